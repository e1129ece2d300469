#include "experiments/experiment_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include "storage/database.h"

namespace animerec::experiments {

namespace {

constexpr const char* kSelectExperiments = R"(
    SELECT experiment_id, name, salt, status, routes, variants, created_at, updated_at, started_at,
           stopped_at
    FROM Experiments)";
constexpr const char* kInsertExperiment = R"(
    INSERT INTO Experiments (name, salt, status, routes, variants, created_at, updated_at,
                             started_at, stopped_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    RETURNING experiment_id)";
constexpr const char* kUpdateExperiment = R"(
    UPDATE Experiments SET name = ?, salt = ?, status = ?, routes = ?, variants = ?,
        created_at = ?, updated_at = ?, started_at = ?, stopped_at = ?
    WHERE experiment_id = ?)";
constexpr const char* kSelectExposures = R"(
    SELECT exposure_id, experiment_id, variant, user_id, session_id, route, model, model_version,
           items, served_at
    FROM Exposures WHERE experiment_id = ? ORDER BY exposure_id)";
constexpr const char* kSelectFeedback = R"(
    SELECT feedback_id, user_id, anime_id, event, value, created_at, exposure_id, experiment_id,
           variant, position, session_id
    FROM Feedback WHERE experiment_id = ? ORDER BY feedback_id)";
// Feedback outside any experiment is stored with experiment_id NULL (attributed to a sampled
// list of variant "default", or to nothing).
constexpr const char* kSelectFeedbackOutsideExperiments = R"(
    SELECT feedback_id, user_id, anime_id, event, value, created_at, exposure_id, experiment_id,
           variant, position, session_id
    FROM Feedback WHERE experiment_id IS NULL ORDER BY feedback_id)";

QString compactJson(const QJsonArray& array) {
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

ExperimentDefinition definitionOf(const QSqlQuery& query) {
    ExperimentDefinition experiment;
    experiment.id = query.value(0).toLongLong();
    experiment.name = query.value(1).toString();
    experiment.salt = query.value(2).toString();
    experiment.status = parseStatus(query.value(3).toString()).value_or(ExperimentStatus::Draft);
    for (const QJsonValue& route :
         QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array())
        experiment.routes << route.toString();
    for (const QJsonValue& value :
         QJsonDocument::fromJson(query.value(5).toString().toUtf8()).array()) {
        const QJsonObject object = value.toObject();
        VariantDefinition variant;
        variant.name = object.value(QStringLiteral("name")).toString();
        variant.role = parseRole(object.value(QStringLiteral("role")).toString())
                           .value_or(service::ModelRole::Collaborative);
        variant.model = object.value(QStringLiteral("model")).toString();
        variant.modelVersion = object.value(QStringLiteral("model_version")).toString();
        variant.share = object.value(QStringLiteral("share")).toDouble();
        experiment.variants.push_back(variant);
    }
    experiment.createdAtMs = query.value(6).toLongLong();
    experiment.updatedAtMs = query.value(7).toLongLong();
    experiment.startedAtMs = query.value(8).toLongLong();
    experiment.stoppedAtMs = query.value(9).toLongLong();
    return experiment;
}

QVariant timeOrNull(qint64 ms) {
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType(QMetaType::LongLong));
}

qint64 scalar(const QSqlDatabase& db, const QString& sql, const QVariant& bound = {}) {
    QSqlQuery query(db);
    query.prepare(sql);
    if (bound.isValid()) query.addBindValue(bound);
    return query.exec() && query.next() ? query.value(0).toLongLong() : 0;
}

}  // namespace

QSqlError ExperimentStore::list(std::vector<ExperimentDefinition>& experiments) const {
    QSqlQuery query(database_.connection());
    if (!query.exec(QString::fromUtf8(kSelectExperiments) +
                    QStringLiteral(" ORDER BY experiment_id")))
        return query.lastError();
    experiments.clear();
    while (query.next()) experiments.push_back(definitionOf(query));
    // A connection that breaks mid-read ends the rows early: report it, not a shorter list.
    if (query.lastError().isValid()) return query.lastError();
    return {};
}

std::optional<ExperimentDefinition> ExperimentStore::find(const QString& name,
                                                          QSqlError* error) const {
    QSqlQuery query(database_.connection());
    query.prepare(QString::fromUtf8(kSelectExperiments) + QStringLiteral(" WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec()) {
        if (error) *error = query.lastError();
        return std::nullopt;
    }
    if (!query.next()) return std::nullopt;
    return definitionOf(query);
}

QSqlError ExperimentStore::save(ExperimentDefinition& experiment) const {
    QJsonArray variants;
    for (const QJsonValue& value : experiment.toJson().value(QStringLiteral("variants")).toArray())
        variants.append(value);
    QSqlQuery query(database_.connection());
    query.prepare(QString::fromUtf8(experiment.id == 0 ? kInsertExperiment : kUpdateExperiment));
    query.addBindValue(experiment.name);
    query.addBindValue(experiment.salt);
    query.addBindValue(statusName(experiment.status));
    query.addBindValue(compactJson(QJsonArray::fromStringList(experiment.routes)));
    query.addBindValue(compactJson(variants));
    query.addBindValue(experiment.createdAtMs);
    query.addBindValue(experiment.updatedAtMs);
    query.addBindValue(timeOrNull(experiment.startedAtMs));
    query.addBindValue(timeOrNull(experiment.stoppedAtMs));
    if (experiment.id != 0) query.addBindValue(experiment.id);
    if (!query.exec()) return query.lastError();
    if (experiment.id == 0) {
        if (!query.next()) return query.lastError();
        experiment.id = query.value(0).toLongLong();
    }
    return {};
}

QSqlError ExperimentStore::exposuresOf(qint64 experimentId,
                                       std::vector<ExposureRecord>& exposures) const {
    QSqlQuery query(database_.connection());
    query.setForwardOnly(true);
    query.prepare(QString::fromUtf8(kSelectExposures));
    query.addBindValue(experimentId);
    if (!query.exec()) return query.lastError();
    exposures.clear();
    while (query.next()) {
        ExposureRecord record;
        record.exposureId = query.value(0).toLongLong();
        record.experimentId = query.value(1).toLongLong();
        record.variant = query.value(2).toString();
        if (!query.value(3).isNull()) record.userId = query.value(3).toLongLong();
        record.sessionId = query.value(4).toString();
        record.route = query.value(5).toString();
        record.model = query.value(6).toString();
        record.modelVersion = query.value(7).toString();
        const QString items = query.value(8).toString();
        for (const QStringView id : QStringView(items).split(u',', Qt::SkipEmptyParts))
            record.items.push_back(id.toLongLong());
        record.servedAtMs = query.value(9).toLongLong();
        exposures.push_back(std::move(record));
    }
    return query.lastError().isValid() ? query.lastError() : QSqlError();
}

QSqlError ExperimentStore::feedbackOf(qint64 experimentId,
                                      std::vector<FeedbackRecord>& feedback) const {
    QSqlQuery query(database_.connection());
    query.setForwardOnly(true);
    query.prepare(
        QString::fromUtf8(experimentId == 0 ? kSelectFeedbackOutsideExperiments : kSelectFeedback));
    if (experimentId != 0) query.addBindValue(experimentId);
    if (!query.exec()) return query.lastError();
    feedback.clear();
    while (query.next()) {
        FeedbackRecord record;
        record.feedbackId = query.value(0).toLongLong();
        if (!query.value(1).isNull()) record.userId = query.value(1).toLongLong();
        record.animeId = query.value(2).toLongLong();
        record.event = parseFeedbackEvent(query.value(3).toString()).value_or(FeedbackEvent::Click);
        if (!query.value(4).isNull()) record.value = query.value(4).toDouble();
        record.createdAtMs = query.value(5).toLongLong();
        record.exposureId = query.value(6).toLongLong();
        record.experimentId = query.value(7).toLongLong();
        record.variant = query.value(8).toString();
        record.position = query.value(9).toInt();
        record.sessionId = query.value(10).toString();
        feedback.push_back(std::move(record));
    }
    return query.lastError().isValid() ? query.lastError() : QSqlError();
}

qint64 ExperimentStore::exposureCount(qint64 experimentId) const {
    if (experimentId == 0)
        return scalar(database_.connection(), QStringLiteral("SELECT count(*) FROM Exposures"));
    return scalar(database_.connection(),
                  QStringLiteral("SELECT count(*) FROM Exposures WHERE experiment_id = ?"),
                  experimentId);
}

qint64 ExperimentStore::feedbackCount() const {
    return scalar(database_.connection(), QStringLiteral("SELECT count(*) FROM Feedback"));
}

}  // namespace animerec::experiments

#include "storage/experiment_tables.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

#include "storage/database.h"

namespace animerec::storage {

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
// Changes any process makes to the definitions move one of these.
constexpr const char* kDefinitionsSignature =
    "SELECT count(*), coalesce(max(updated_at), 0) FROM Experiments";
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

ExperimentRow rowOf(const QSqlQuery& query) {
    ExperimentRow experiment;
    experiment.id = query.value(0).toLongLong();
    experiment.name = query.value(1).toString();
    experiment.salt = query.value(2).toString();
    experiment.status = query.value(3).toString();
    for (const QJsonValue& route :
         QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array())
        experiment.routes << route.toString();
    experiment.variants = QJsonDocument::fromJson(query.value(5).toString().toUtf8()).array();
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

QSqlError ExperimentTables::list(std::vector<ExperimentRow>& experiments) const {
    QSqlQuery query(database_.connection());
    if (!query.exec(QString::fromUtf8(kSelectExperiments) +
                    QStringLiteral(" ORDER BY experiment_id")))
        return query.lastError();
    experiments.clear();
    while (query.next()) experiments.push_back(rowOf(query));
    // A connection that breaks mid-read ends the rows early: report it, not a shorter list.
    if (query.lastError().isValid()) return query.lastError();
    return {};
}

std::optional<ExperimentRow> ExperimentTables::find(const QString& name, QSqlError* error) const {
    QSqlQuery query(database_.connection());
    query.prepare(QString::fromUtf8(kSelectExperiments) + QStringLiteral(" WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec()) {
        if (error) *error = query.lastError();
        return std::nullopt;
    }
    if (!query.next()) return std::nullopt;
    return rowOf(query);
}

QSqlError ExperimentTables::save(ExperimentRow& experiment) const {
    QSqlQuery query(database_.connection());
    query.prepare(QString::fromUtf8(experiment.id == 0 ? kInsertExperiment : kUpdateExperiment));
    query.addBindValue(experiment.name);
    query.addBindValue(experiment.salt);
    query.addBindValue(experiment.status);
    query.addBindValue(compactJson(QJsonArray::fromStringList(experiment.routes)));
    query.addBindValue(compactJson(experiment.variants));
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

std::optional<std::pair<qint64, qint64>> ExperimentTables::signature() const {
    QSqlQuery query(database_.connection());
    if (!database_.isOpen() || !query.exec(QString::fromLatin1(kDefinitionsSignature)) ||
        !query.next())
        return std::nullopt;
    return std::pair{query.value(0).toLongLong(), query.value(1).toLongLong()};
}

QSqlError ExperimentTables::exposuresOf(qint64 experimentId,
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

QSqlError ExperimentTables::feedbackOf(qint64 experimentId,
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

qint64 ExperimentTables::exposureCount(qint64 experimentId) const {
    if (experimentId == 0)
        return scalar(database_.connection(), QStringLiteral("SELECT count(*) FROM Exposures"));
    return scalar(database_.connection(),
                  QStringLiteral("SELECT count(*) FROM Exposures WHERE experiment_id = ?"),
                  experimentId);
}

qint64 ExperimentTables::feedbackCount() const {
    return scalar(database_.connection(), QStringLiteral("SELECT count(*) FROM Feedback"));
}

}  // namespace animerec::storage

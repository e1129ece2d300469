#include "experiments/experiment_store.h"

#include "storage/experiment_tables.h"

namespace animerec::experiments {

namespace {

ExperimentDefinition definitionOf(const storage::ExperimentRow& row) {
    ExperimentDefinition experiment;
    experiment.id = row.id;
    experiment.name = row.name;
    experiment.salt = row.salt;
    experiment.status = parseStatus(row.status).value_or(ExperimentStatus::Draft);
    experiment.routes = row.routes;
    for (const QJsonValue& value : row.variants) {
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
    experiment.createdAtMs = row.createdAtMs;
    experiment.updatedAtMs = row.updatedAtMs;
    experiment.startedAtMs = row.startedAtMs;
    experiment.stoppedAtMs = row.stoppedAtMs;
    return experiment;
}

storage::ExperimentRow rowOf(const ExperimentDefinition& experiment) {
    storage::ExperimentRow row;
    row.id = experiment.id;
    row.name = experiment.name;
    row.salt = experiment.salt;
    row.status = statusName(experiment.status);
    row.routes = experiment.routes;
    row.variants = experiment.toJson().value(QStringLiteral("variants")).toArray();
    row.createdAtMs = experiment.createdAtMs;
    row.updatedAtMs = experiment.updatedAtMs;
    row.startedAtMs = experiment.startedAtMs;
    row.stoppedAtMs = experiment.stoppedAtMs;
    return row;
}

}  // namespace

QSqlError ExperimentStore::list(std::vector<ExperimentDefinition>& experiments) const {
    std::vector<storage::ExperimentRow> rows;
    if (const QSqlError error = storage::ExperimentTables(database_).list(rows); error.isValid())
        return error;
    experiments.clear();
    for (const storage::ExperimentRow& row : rows) experiments.push_back(definitionOf(row));
    return {};
}

std::optional<ExperimentDefinition> ExperimentStore::find(const QString& name,
                                                          QSqlError* error) const {
    const auto row = storage::ExperimentTables(database_).find(name, error);
    if (!row) return std::nullopt;
    return definitionOf(*row);
}

QSqlError ExperimentStore::save(ExperimentDefinition& experiment) const {
    storage::ExperimentRow row = rowOf(experiment);
    if (const QSqlError error = storage::ExperimentTables(database_).save(row); error.isValid())
        return error;
    experiment.id = row.id;
    return {};
}

QSqlError ExperimentStore::exposuresOf(qint64 experimentId,
                                       std::vector<storage::ExposureRecord>& exposures) const {
    return storage::ExperimentTables(database_).exposuresOf(experimentId, exposures);
}

QSqlError ExperimentStore::feedbackOf(qint64 experimentId,
                                      std::vector<storage::FeedbackRecord>& feedback) const {
    return storage::ExperimentTables(database_).feedbackOf(experimentId, feedback);
}

qint64 ExperimentStore::exposureCount(qint64 experimentId) const {
    return storage::ExperimentTables(database_).exposureCount(experimentId);
}

qint64 ExperimentStore::feedbackCount() const {
    return storage::ExperimentTables(database_).feedbackCount();
}

std::optional<std::pair<qint64, qint64>> ExperimentStore::signature() const {
    return storage::ExperimentTables(database_).signature();
}

}  // namespace animerec::experiments

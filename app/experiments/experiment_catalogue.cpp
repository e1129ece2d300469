#include "experiments/experiment_catalogue.h"

#include <QDateTime>
#include <QSqlError>

#include "data/dataset.h"
#include "experiments/assignment.h"
#include "experiments/experiment_store.h"
#include "storage/database.h"
#include "storage/reconnect.h"

namespace animerec::experiments {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

}  // namespace

ExperimentCatalogue::ExperimentCatalogue(QString databasePath, std::shared_ptr<const Dataset> data)
    : data_(std::move(data)),
      database_(std::make_unique<storage::Database>(
          databasePath, QStringLiteral("experiments_%1").arg(reinterpret_cast<quintptr>(this)))) {}

ExperimentCatalogue::~ExperimentCatalogue() = default;

QString ExperimentCatalogue::open() {
    if (const QSqlError error = database_->open(); error.isValid())
        return database_->path() + QStringLiteral(": ") + error.text();
    refresh();
    return {};
}

void ExperimentCatalogue::setConnection(bool connected, const QString& error) {
    connected_ = connected;
    std::lock_guard lock(mutex_);
    connectionError_ = connected ? QString() : error;
}

QString ExperimentCatalogue::connectionError() const {
    std::lock_guard lock(mutex_);
    return connectionError_;
}

// A failed statement: Unavailable (retry) when the connection was lost, whether or not it could
// be reopened already; Failed when the database answered with an error of its own.
ExperimentError ExperimentCatalogue::databaseFailure(const QSqlError& error) {
    QString reason;
    const storage::ConnectionState state = storage::reconnectIfLost(*database_, &reason);
    setConnection(state != storage::ConnectionState::Lost, reason);
    if (state == storage::ConnectionState::Alive)
        return {ErrorKind::Failed, QStringLiteral("database"), error.text()};
    return databaseAway(state == storage::ConnectionState::Lost ? reason : error.text());
}

ExperimentCatalogue::Snapshot ExperimentCatalogue::snapshot() const {
    std::lock_guard lock(mutex_);
    return definitions_;
}

void ExperimentCatalogue::refresh() {
    std::vector<ExperimentDefinition> loaded;
    if (ExperimentStore(*database_).list(loaded).isValid()) return;  // keep what we have
    std::pair<qint64, qint64> signature{static_cast<qint64>(loaded.size()), 0};
    for (const ExperimentDefinition& experiment : loaded)
        signature.second = std::max(signature.second, experiment.updatedAtMs);
    auto fresh = std::make_shared<const std::vector<ExperimentDefinition>>(std::move(loaded));
    std::lock_guard lock(mutex_);
    // Definitions are never deleted (a stopped experiment stays for its report), so fewer rows
    // than we hold means a read cut short by a dying connection (seen while PostgreSQL
    // restarts): keep serving the running experiments rather than dropping them.
    if (fresh->size() < definitions_->size()) return;
    definitions_ = std::move(fresh);
    signature_ = signature;
}

void ExperimentCatalogue::refreshIfChanged() {
    const auto seen = ExperimentStore(*database_).signature();
    if (!seen) {
        QString reason;
        const storage::ConnectionState state = storage::reconnectIfLost(*database_, &reason);
        setConnection(state != storage::ConnectionState::Lost, reason);
        return;  // next time, on the reopened connection
    }
    setConnection(true, {});
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        changed = *seen != signature_;
    }
    if (changed) refresh();
}

Result<ExperimentDefinition> ExperimentCatalogue::define(const QJsonObject& body) {
    auto parsed = definitionFromJson(body);
    if (const auto* error = std::get_if<DefinitionError>(&parsed))
        return ExperimentError{ErrorKind::Invalid, error->field, error->message};
    ExperimentDefinition definition = std::get<ExperimentDefinition>(std::move(parsed));
    ExperimentStore store(*database_);
    QSqlError error;
    const auto existing = store.find(definition.name, &error);
    if (error.isValid()) return databaseFailure(error);
    const qint64 now = nowMs();
    if (existing) {
        if (existing->status != ExperimentStatus::Draft)
            return ExperimentError{
                ErrorKind::Conflict, QStringLiteral("name"),
                QStringLiteral("experiment %1 is %2; only a draft can be redefined")
                    .arg(definition.name, statusName(existing->status))};
        definition.id = existing->id;
        definition.createdAtMs = existing->createdAtMs;
    } else {
        definition.createdAtMs = now;
    }
    definition.updatedAtMs = now;
    if (const QSqlError saveError = store.save(definition); saveError.isValid())
        return databaseFailure(saveError);
    refresh();
    return definition;
}

std::optional<ExperimentError> ExperimentCatalogue::checkOverlap(
    const ExperimentDefinition& starting) const {
    for (const ExperimentDefinition& other : *snapshot()) {
        if (other.id == starting.id || other.status != ExperimentStatus::Running) continue;
        for (const QString& route : starting.routes)
            if (other.routes.contains(route))
                return ExperimentError{
                    ErrorKind::Conflict, QStringLiteral("routes"),
                    QStringLiteral("experiment %1 already runs on %2; pause or stop it first")
                        .arg(other.name, route)};
    }
    return std::nullopt;
}

Result<ExperimentDefinition> ExperimentCatalogue::transition(const QString& name,
                                                             const QString& action,
                                                             const service::ModelRegistry* models) {
    refresh();  // the overlap check reads the definitions of every process
    ExperimentStore store(*database_);
    QSqlError error;
    auto found = store.find(name, &error);
    if (error.isValid()) return databaseFailure(error);
    if (!found)
        return ExperimentError{ErrorKind::NotFound, QStringLiteral("name"),
                               QStringLiteral("no experiment named %1").arg(name)};
    ExperimentDefinition experiment = *found;
    const ExperimentStatus from = experiment.status;
    const auto refuse = [&] {
        return ExperimentError{ErrorKind::Conflict, QStringLiteral("status"),
                               QStringLiteral("experiment %1 is %2; cannot %3 it")
                                   .arg(name, statusName(from), action)};
    };
    const qint64 now = nowMs();
    if (action == QLatin1String("start")) {
        if (from != ExperimentStatus::Draft && from != ExperimentStatus::Paused) return refuse();
        if (auto overlap = checkOverlap(experiment)) return *overlap;
        if (models)
            for (const VariantDefinition& variant : experiment.variants) {
                const auto served = modelFor({experiment.id, experiment.name, variant.name,
                                              variant.role, variant.model, variant.modelVersion},
                                             *models);
                if (const auto* error = std::get_if<ExperimentError>(&served))
                    return ExperimentError{ErrorKind::Conflict, error->field,
                                           error->message + QStringLiteral("; cannot start")};
            }
        experiment.status = ExperimentStatus::Running;
        if (experiment.startedAtMs == 0) experiment.startedAtMs = now;
    } else if (action == QLatin1String("pause")) {
        if (from != ExperimentStatus::Running) return refuse();
        experiment.status = ExperimentStatus::Paused;
    } else if (action == QLatin1String("stop")) {
        if (from == ExperimentStatus::Stopped) return refuse();
        experiment.status = ExperimentStatus::Stopped;
        experiment.stoppedAtMs = now;
    } else {
        return ExperimentError{
            ErrorKind::NotFound, QStringLiteral("action"),
            QStringLiteral("unknown action '%1'; use start, pause or stop").arg(action)};
    }
    experiment.updatedAtMs = now;
    if (const QSqlError saveError = store.save(experiment); saveError.isValid())
        return databaseFailure(saveError);
    refresh();
    return experiment;
}

std::vector<ExperimentDefinition> ExperimentCatalogue::list() {
    refresh();
    return *snapshot();
}

Result<AbReport> ExperimentCatalogue::report(const QString& name, ReportOptions options) {
    ExperimentStore store(*database_);
    QSqlError error;
    const auto experiment = store.find(name, &error);
    if (error.isValid()) return databaseFailure(error);
    if (!experiment)
        return ExperimentError{ErrorKind::NotFound, QStringLiteral("experiment"),
                               QStringLiteral("no experiment named %1").arg(name)};
    std::vector<storage::ExposureRecord> exposures;
    std::vector<storage::FeedbackRecord> feedback;
    if (const QSqlError e = store.exposuresOf(experiment->id, exposures); e.isValid())
        return databaseFailure(e);
    if (const QSqlError e = store.feedbackOf(experiment->id, feedback); e.isValid())
        return databaseFailure(e);
    if (options.catalogueSize == 0 && data_) options.catalogueSize = data_->catalog.size();
    return buildReport(*experiment, exposures, feedback, options);
}

}  // namespace animerec::experiments

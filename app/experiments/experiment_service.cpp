#include "experiments/experiment_service.h"

#include <QDateTime>
#include <QSqlError>
#include <QThread>
#include <QTimer>
#include <cmath>

#include "data/dataset.h"
#include "experiments/experiment_store.h"
#include "service/recommend_service.h"
#include "storage/database.h"
#include "storage/reconnect.h"

namespace animerec::experiments {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

ExperimentError databaseAway(const QString& reason) {
    return {ErrorKind::Unavailable, QStringLiteral("database"),
            QStringLiteral("database unavailable: ") + reason, storage::kDatabaseRetryAfterSeconds};
}

}  // namespace

// A failed admin statement: Unavailable (retry) when the connection was lost, whether or not it
// could be reopened already; Failed when the database answered with an error of its own.
ExperimentError ExperimentService::databaseFailure(const QSqlError& error) {
    QString reason;
    const storage::ConnectionState state = storage::reconnectIfLost(*database_, &reason);
    adminConnected_ = state != storage::ConnectionState::Lost;
    if (state == storage::ConnectionState::Alive)
        return {ErrorKind::Failed, QStringLiteral("database"), error.text()};
    return databaseAway(state == storage::ConnectionState::Lost ? reason : error.text());
}

ExperimentService::ExperimentService(QString databasePath, std::shared_ptr<const Dataset> data,
                                     storage::EventWriterOptions writerOptions)
    : data_(std::move(data)),
      database_(std::make_unique<storage::Database>(
          databasePath, QStringLiteral("ab_admin_%1").arg(reinterpret_cast<quintptr>(this)))),
      writer_(databasePath, writerOptions) {
    bool ok = false;
    const double share = qEnvironmentVariable("ANIMEREC_DEFAULT_EXPOSURE_SAMPLE").toDouble(&ok);
    setDefaultExposureSample(ok ? share : kDefaultExposureSample);
}

void ExperimentService::setDefaultExposureSample(double share) {
    // A period instead of a random draw: one atomic increment per request, and exact counts.
    samplePeriod_ =
        share > 0.0 ? static_cast<std::uint64_t>(std::llround(1.0 / std::min(share, 1.0))) : 0;
}

bool ExperimentService::sampleDefaultExposure() {
    const std::uint64_t period = samplePeriod_.load(std::memory_order_relaxed);
    return period != 0 && served_.fetch_add(1, std::memory_order_relaxed) % period == 0;
}

Assignment ExperimentService::defaultAssignment() {
    Assignment assignment;
    assignment.variant = QString::fromLatin1(storage::kDefaultVariant);
    return assignment;
}

Result<std::shared_ptr<const service::ServedModel>> ExperimentService::modelFor(
    const Assignment& assignment, const service::ModelRegistry& models) {
    auto served = models.get(assignment.role, assignment.model);
    const bool sameVersion =
        served && (assignment.modelVersion.isEmpty() || served->version == assignment.modelVersion);
    if (sameVersion) return served;  // every request of a running experiment: no message built
    const QString role = service::roleName(assignment.role);
    const QString wanted = assignment.model.isEmpty()
                               ? QStringLiteral("the default %1 model").arg(role)
                               : QStringLiteral("model %1").arg(assignment.model);
    const QString who = QStringLiteral("variant %1 of experiment %2 needs ")
                            .arg(assignment.variant, assignment.experiment);
    if (!served)
        return ExperimentError{
            ErrorKind::Unavailable, QStringLiteral("model"),
            who + wanted + QStringLiteral(" (%1), which is not loaded").arg(role)};
    return ExperimentError{ErrorKind::Unavailable, QStringLiteral("model_version"),
                           who + wanted +
                               QStringLiteral(" version %1; the server has %2")
                                   .arg(assignment.modelVersion, served->version)};
}

ExperimentService::~ExperimentService() { writer_.flush(); }

QString ExperimentService::open() {
    owner_ = QThread::currentThread();
    if (const QSqlError error = database_->open(); error.isValid())
        return database_->path() + QStringLiteral(": ") + error.text();
    if (const QSqlError error =
            storage::prepareIdSequence(*database_, QStringLiteral("exposure"),
                                       QStringLiteral("Exposures"), QStringLiteral("exposure_id"));
        error.isValid())
        return database_->path() + QStringLiteral(": IdBlocks: ") + error.text();
    if (const QString error = writer_.start(); !error.isEmpty()) return error;
    topUpExposureIds();
    refresh();
    maintenance_ = std::make_unique<QTimer>();
    maintenance_->setInterval(kMaintenanceIntervalMs);
    QObject::connect(maintenance_.get(), &QTimer::timeout, [this] { maintain(); });
    maintenance_->start();
    return {};
}

void ExperimentService::topUpExposureIds() {
    refillPending_ = false;
    if (!database_->isOpen()) return;  // maintain() reopens it
    while (exposureIds_.needsRefill())
        if (exposureIds_.refill(*database_, QStringLiteral("exposure")).isValid())
            return;  // maintain() notices a lost connection and tries again
}

void ExperimentService::maintain() {
    if (QThread::currentThread() != owner_) return;
    const auto seen = ExperimentStore(*database_).signature();
    if (!seen) {
        QString reason;
        const storage::ConnectionState state = storage::reconnectIfLost(*database_, &reason);
        adminConnected_ = state != storage::ConnectionState::Lost;
        std::lock_guard lock(mutex_);
        adminError_ = state == storage::ConnectionState::Lost ? reason : QString();
        return;  // next tick, on the reopened connection
    }
    adminConnected_ = true;
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        changed = *seen != definitionsSeen_;
    }
    if (changed) refresh();
    topUpExposureIds();
}

DatabaseHealth ExperimentService::databaseHealth() const {
    DatabaseHealth health;
    health.pending = writer_.stats().pending;
    if (!writer_.accepting(&health.reason)) {
        health.available = false;
    } else if (!adminConnected_) {
        health.available = false;
        std::lock_guard lock(mutex_);
        health.reason = QStringLiteral("database connection lost: ") + adminError_;
    }
    return health;
}

void ExperimentService::refresh() {
    std::vector<ExperimentDefinition> loaded;
    if (ExperimentStore(*database_).list(loaded).isValid()) return;  // keep what we have
    std::lock_guard lock(mutex_);
    // Definitions are never deleted (a stopped experiment stays for its report), so fewer rows
    // than we hold means a read cut short by a dying connection (seen while PostgreSQL
    // restarts): keep serving the running experiments rather than dropping them.
    if (loaded.size() < experiments_.size()) return;
    experiments_ = std::move(loaded);
    definitionsSeen_ = {static_cast<qint64>(experiments_.size()), 0};
    for (const ExperimentDefinition& experiment : experiments_)
        definitionsSeen_.second = std::max(definitionsSeen_.second, experiment.updatedAtMs);
    sinceRefresh_.start();
}

void ExperimentService::refreshIfStale() {
    {
        std::lock_guard lock(mutex_);
        if (sinceRefresh_.isValid() && sinceRefresh_.elapsed() < kRefreshIntervalMs) return;
    }
    // Qt SQL connections belong to the thread that opened them.
    if (QThread::currentThread() == owner_) refresh();
}

std::optional<Assignment> ExperimentService::assign(const QString& route,
                                                    std::optional<qint64> userId,
                                                    const QString& sessionId) {
    if (!userId && sessionId.isEmpty()) return std::nullopt;
    refreshIfStale();
    std::lock_guard lock(mutex_);
    for (const ExperimentDefinition& experiment : experiments_) {
        if (experiment.status != ExperimentStatus::Running || !experiment.routes.contains(route))
            continue;
        const int index =
            assignVariant(experiment, userId ? userUnit(*userId) : sessionUnit(sessionId));
        if (index < 0) return std::nullopt;
        const VariantDefinition& variant = experiment.variants[static_cast<std::size_t>(index)];
        return Assignment{experiment.id, experiment.name, variant.name,
                          variant.role,  variant.model,   variant.modelVersion};
    }
    return std::nullopt;
}

qint64 ExperimentService::recordExposure(const Assignment& assignment, const QString& route,
                                         std::optional<qint64> userId, const QString& sessionId,
                                         const service::Recommendation& served) {
    storage::ExposureRecord record;
    // 0 when the database has been away long enough to use up the reserved ids: the writer
    // numbers the row when it writes it (feedback then cannot name this exposure).
    bool low = false;
    record.exposureId = exposureIds_.take(&low);
    if (low && maintenance_ && !refillPending_.exchange(true))
        QMetaObject::invokeMethod(
            maintenance_.get(), [this] { topUpExposureIds(); }, Qt::QueuedConnection);
    record.experimentId = assignment.experimentId;
    record.variant = assignment.variant;
    record.userId = userId;
    record.sessionId = userId ? QString() : sessionId;
    record.route = route;
    record.model = served.model;
    record.modelVersion = served.modelVersion;
    record.items.reserve(served.items.size());
    for (const service::RecommendedItem& item : served.items) record.items.push_back(item.animeId);
    record.servedAtMs = nowMs();
    if (userId || !sessionId.isEmpty())
        recent_.add(userId ? userUnit(*userId) : sessionUnit(sessionId),
                    {record.exposureId, record.experimentId, record.variant, record.items,
                     record.servedAtMs});
    const qint64 id = record.exposureId;
    writer_.enqueue(std::move(record));
    return id;
}

Result<FeedbackReceipt> ExperimentService::recordFeedback(const FeedbackInput& input) {
    std::optional<int> item;
    if (data_) {
        item = data_->catalog.indexOf(input.animeId);
        if (!item)
            return ExperimentError{
                ErrorKind::NotFound, QStringLiteral("anime_id"),
                QStringLiteral("anime_id %1 is not in the catalogue").arg(input.animeId)};
    }
    if (input.event == storage::FeedbackEvent::Rate) {
        if (!input.value)
            return ExperimentError{ErrorKind::Invalid, QStringLiteral("value"),
                                   QStringLiteral("event rate needs a value in [1, 10]")};
        if (!(*input.value >= 1.0 && *input.value <= 10.0))
            return ExperimentError{
                ErrorKind::Invalid, QStringLiteral("value"),
                QStringLiteral("a rating must be in [1, 10], got %1").arg(*input.value)};
    } else if (input.value) {
        return ExperimentError{ErrorKind::Invalid, QStringLiteral("value"),
                               QStringLiteral("value is only accepted with event rate, not %1")
                                   .arg(storage::feedbackEventName(input.event))};
    }

    if (input.userId.has_value() == !input.sessionId.isEmpty())
        return ExperimentError{ErrorKind::Invalid, QStringLiteral("user_id"),
                               QStringLiteral("give either user_id or session_id")};
    if (QString reason; !writer_.accepting(&reason)) return databaseAway(reason);
    if (!adminConnected_) {
        std::lock_guard lock(mutex_);
        return databaseAway(adminError_);
    }
    storage::FeedbackRecord record;
    record.userId = input.userId;
    record.sessionId = input.sessionId;
    record.animeId = input.animeId;
    record.event = input.event;
    record.value = input.value;
    record.createdAtMs = nowMs();
    FeedbackReceipt receipt;
    if (const auto attributed =
            recent_.attribute(input.userId ? userUnit(*input.userId) : sessionUnit(input.sessionId),
                              input.animeId, record.createdAtMs, kAttributionWindowMs)) {
        record.exposureId = attributed->exposureId;
        record.experimentId = attributed->experimentId;
        record.variant = attributed->variant;
        record.position = attributed->position;
    }
    {
        std::lock_guard lock(mutex_);
        for (const ExperimentDefinition& experiment : experiments_)
            if (experiment.id == record.experimentId) receipt.experiment = experiment.name;
    }
    receipt.exposureId = record.exposureId;
    receipt.variant = record.variant;
    receipt.position = record.position;
    // Queued means acknowledged: it is written even if the database goes away meanwhile.
    if (!writer_.enqueue(std::move(record))) {
        QString reason;
        writer_.accepting(&reason);
        return databaseAway(reason);
    }
    if (input.event != storage::FeedbackEvent::Click && item && input.userId) {
        Event event;
        event.item = *item;
        if (input.event == storage::FeedbackEvent::Rate)
            event.rating = static_cast<float>(*input.value);
        if (input.event == storage::FeedbackEvent::Watch) event.status = WatchStatus::Watching;
        if (input.event == storage::FeedbackEvent::Complete) event.status = WatchStatus::Completed;
        history_->append(*input.userId, event);
        receipt.addedToHistory = true;
    }
    return receipt;
}

Result<ExperimentDefinition> ExperimentService::define(const QJsonObject& body) {
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

std::optional<ExperimentError> ExperimentService::checkOverlap(
    const ExperimentDefinition& starting) const {
    for (const ExperimentDefinition& other : experiments_) {
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

Result<ExperimentDefinition> ExperimentService::transition(const QString& name,
                                                           const QString& action,
                                                           const service::ModelRegistry* models) {
    refresh();
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
        {
            std::lock_guard lock(mutex_);
            if (auto overlap = checkOverlap(experiment)) return *overlap;
        }
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

std::vector<ExperimentDefinition> ExperimentService::experiments() {
    refresh();
    std::lock_guard lock(mutex_);
    return experiments_;
}

Result<AbReport> ExperimentService::report(const QString& name, ReportOptions options) {
    ExperimentStore store(*database_);
    QSqlError error;
    const auto experiment = store.find(name, &error);
    if (error.isValid()) return databaseFailure(error);
    if (!experiment)
        return ExperimentError{ErrorKind::NotFound, QStringLiteral("experiment"),
                               QStringLiteral("no experiment named %1").arg(name)};
    if (!writer_.flush())
        return ExperimentError{
            ErrorKind::Unavailable, QStringLiteral("database"),
            QStringLiteral("pending exposures could not be written: ") + writer_.stats().lastError};
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

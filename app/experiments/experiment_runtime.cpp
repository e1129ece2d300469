#include "experiments/experiment_runtime.h"

#include <QDateTime>
#include <QSqlError>
#include <QThread>
#include <QTimer>
#include <cmath>

#include "data/dataset.h"
#include "service/recommend_service.h"
#include "storage/database.h"

namespace animerec::experiments {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

}  // namespace

ExperimentRuntime::ExperimentRuntime(QString databasePath, std::shared_ptr<const Dataset> data,
                                     storage::EventWriterOptions writerOptions)
    : data_(data), catalogue_(databasePath, data), writer_(databasePath, writerOptions) {
    bool ok = false;
    const double share = qEnvironmentVariable("ANIMEREC_DEFAULT_EXPOSURE_SAMPLE").toDouble(&ok);
    setDefaultExposureSample(ok ? share : kDefaultExposureSample);
}

ExperimentRuntime::~ExperimentRuntime() { writer_.flush(); }

void ExperimentRuntime::setDefaultExposureSample(double share) {
    // A period instead of a random draw: one atomic increment per request, and exact counts.
    samplePeriod_ =
        share > 0.0 ? static_cast<std::uint64_t>(std::llround(1.0 / std::min(share, 1.0))) : 0;
}

bool ExperimentRuntime::sampleDefaultExposure() {
    const std::uint64_t period = samplePeriod_.load(std::memory_order_relaxed);
    return period != 0 && served_.fetch_add(1, std::memory_order_relaxed) % period == 0;
}

QString ExperimentRuntime::open() {
    owner_ = QThread::currentThread();
    if (const QString error = catalogue_.open(); !error.isEmpty()) return error;
    storage::Database& database = catalogue_.database();
    if (const QSqlError error =
            storage::prepareIdSequence(database, QStringLiteral("exposure"),
                                       QStringLiteral("Exposures"), QStringLiteral("exposure_id"));
        error.isValid())
        return database.path() + QStringLiteral(": IdBlocks: ") + error.text();
    if (const QString error = writer_.start(); !error.isEmpty()) return error;
    topUpExposureIds();
    maintenance_ = std::make_unique<QTimer>();
    maintenance_->setInterval(kMaintenanceIntervalMs);
    QObject::connect(maintenance_.get(), &QTimer::timeout, [this] { maintain(); });
    maintenance_->start();
    return {};
}

void ExperimentRuntime::topUpExposureIds() {
    refillPending_ = false;
    storage::Database& database = catalogue_.database();
    if (!database.isOpen()) return;  // maintain() reopens it
    while (exposureIds_.needsRefill())
        if (exposureIds_.refill(database, QStringLiteral("exposure")).isValid())
            return;  // maintain() notices a lost connection and tries again
}

void ExperimentRuntime::maintain() {
    if (QThread::currentThread() != owner_) return;
    catalogue_.refreshIfChanged();
    if (catalogue_.connected()) topUpExposureIds();
}

DatabaseHealth ExperimentRuntime::databaseHealth() const {
    DatabaseHealth health;
    health.pending = writer_.stats().pending;
    if (!writer_.accepting(&health.reason)) {
        health.available = false;
    } else if (!catalogue_.connected()) {
        health.available = false;
        health.reason = QStringLiteral("database connection lost: ") + catalogue_.connectionError();
    }
    return health;
}

std::optional<Assignment> ExperimentRuntime::assign(const QString& route,
                                                    std::optional<qint64> userId,
                                                    const QString& sessionId) const {
    if (!userId && sessionId.isEmpty()) return std::nullopt;
    const ExperimentCatalogue::Snapshot experiments = catalogue_.snapshot();
    for (const ExperimentDefinition& experiment : *experiments) {
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

qint64 ExperimentRuntime::recordExposure(const Assignment& assignment, const QString& route,
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

Result<FeedbackReceipt> ExperimentRuntime::recordFeedback(const FeedbackInput& input) {
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
    if (!catalogue_.connected()) return databaseAway(catalogue_.connectionError());
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
    for (const ExperimentDefinition& experiment : *catalogue_.snapshot())
        if (experiment.id == record.experimentId) receipt.experiment = experiment.name;
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

Result<AbReport> ExperimentRuntime::report(const QString& name, ReportOptions options) {
    if (!writer_.flush())
        return ExperimentError{
            ErrorKind::Unavailable, QStringLiteral("database"),
            QStringLiteral("pending exposures could not be written: ") + writer_.stats().lastError};
    return catalogue_.report(name, options);
}

}  // namespace animerec::experiments

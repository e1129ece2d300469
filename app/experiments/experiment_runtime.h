#pragma once

#include <QString>
#include <atomic>
#include <memory>
#include <optional>

#include "experiments/ab_report.h"
#include "experiments/assignment.h"
#include "experiments/experiment_catalogue.h"
#include "experiments/experiment_error.h"
#include "experiments/recent_exposures.h"
#include "service/recent_history.h"
#include "storage/event_records.h"
#include "storage/event_writer.h"
#include "storage/id_blocks.h"

class QThread;
class QTimer;

namespace animerec {
struct Dataset;
}
namespace animerec::service {
struct Recommendation;
}

namespace animerec::experiments {

// Whether writes can be acknowledged now (the database answers and the writer keeps up).
struct DatabaseHealth {
    bool available = true;
    QString reason;      // why not, when !available
    qint64 pending = 0;  // exposures and feedback waiting to be written
};

// A user's (userId) or an anonymous session's (sessionId) feedback; exactly one is set.
struct FeedbackInput {
    std::optional<qint64> userId;
    QString sessionId;
    qint64 animeId = 0;
    storage::FeedbackEvent event = storage::FeedbackEvent::Click;
    std::optional<double> value;
};

// What POST /feedback answers: where the event was attributed and whether the event joined the
// user's recent history.
struct FeedbackReceipt {
    qint64 exposureId = 0;  // 0 = not attributed to an exposure
    QString experiment;
    QString variant;
    int position = 0;
    bool addedToHistory = false;
};

// The serving side of A/B testing: sticky assignment of users and sessions to the variants of
// the catalogue's running experiments, exposure and feedback logging through a batched
// storage::EventWriter with ids reserved in blocks, attribution of feedback to recent exposures,
// and the recent-history overlay RecommendService merges. The catalogue (definitions) shares
// the connection of the thread that called open() (the HTTP thread); assign(), recordExposure()
// and recordFeedback() are thread-safe.
class ExperimentRuntime {
public:
    static constexpr int kRecentExposuresPerUser = 16;
    // Units (users, sessions) whose recent exposures are kept for attribution; the least recently
    // served are forgotten beyond this (RecentExposures), so a long soak stays flat in memory.
    static constexpr std::size_t kMaxRecentUnits = 200'000;
    static constexpr qint64 kAttributionWindowMs = 7LL * 24 * 3600 * 1000;
    // maintain() period: other processes' definition changes show up within about this long.
    static constexpr int kMaintenanceIntervalMs = 1000;
    static constexpr qint64 kExposureIdBlock = 1000;  // ids reserved per IdBlocks round trip
    // Share of the lists served outside any experiment that are logged (variant "default");
    // ANIMEREC_DEFAULT_EXPOSURE_SAMPLE overrides it. See README (A/B tests) for the measurement.
    static constexpr double kDefaultExposureSample = 0.01;

    // `data` validates anime ids and maps them to catalogue items.
    ExperimentRuntime(QString databasePath, std::shared_ptr<const Dataset> data,
                      storage::EventWriterOptions writerOptions = {});
    ~ExperimentRuntime();

    // Opens the catalogue, reserves exposure ids and starts the writer; then runs maintain()
    // every kMaintenanceIntervalMs on this thread's event loop. Returns the error text.
    QString open();
    // On the open() thread: reconnects after a lost connection, re-reads the definitions when
    // another process changed them and tops up the exposure ids.
    void maintain();
    DatabaseHealth databaseHealth() const;

    // The running experiment covering `route` and the unit's variant; nullopt when none applies
    // (no experiment, paused, or an anonymous request without a session id).
    std::optional<Assignment> assign(const QString& route, std::optional<qint64> userId,
                                     const QString& sessionId) const;
    // Logs a served list; returns its exposure id.
    qint64 recordExposure(const Assignment& assignment, const QString& route,
                          std::optional<qint64> userId, const QString& sessionId,
                          const service::Recommendation& served);
    // True for the share of calls set by setDefaultExposureSample(): log this list served outside
    // an experiment (recordExposure with defaultAssignment()).
    bool sampleDefaultExposure();
    void setDefaultExposureSample(double share);
    Result<FeedbackReceipt> recordFeedback(const FeedbackInput& input);

    // The definitions, on the open() thread.
    ExperimentCatalogue& catalogue() { return catalogue_; }
    // Writes what is pending, then reports from the database.
    Result<AbReport> report(const QString& name, ReportOptions options);

    std::shared_ptr<const service::RecentHistory> recentHistory() const { return history_; }
    bool flush(int timeoutMs = 30000) { return writer_.flush(timeoutMs); }
    storage::EventWriterStats writerStats() const { return writer_.stats(); }
    storage::Database& database() { return catalogue_.database(); }

private:
    void topUpExposureIds();

    std::shared_ptr<const Dataset> data_;
    ExperimentCatalogue catalogue_;
    QThread* owner_ = nullptr;  // thread that opened the catalogue's connection
    storage::EventWriter writer_;
    std::shared_ptr<service::RecentHistory> history_ = std::make_shared<service::RecentHistory>();
    // By unit (userUnit, sessionUnit); has its own lock, so serving does not contend with assign().
    RecentExposures recent_{kMaxRecentUnits, kRecentExposuresPerUser};
    storage::IdBlockPool exposureIds_{kExposureIdBlock};
    std::unique_ptr<QTimer> maintenance_;  // in the open() thread; also the context of refills
    std::atomic<bool> refillPending_{false};
    std::atomic<std::uint64_t> served_{0};          // lists offered to sampleDefaultExposure()
    std::atomic<std::uint64_t> samplePeriod_{100};  // log one list in this many (0 = none)
};

}  // namespace animerec::experiments

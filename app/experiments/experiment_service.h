#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include "experiments/ab_report.h"
#include "experiments/experiment.h"
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
namespace animerec::storage {
class Database;
}

namespace animerec::experiments {

// Why an operation was refused. Callers decide what a kind means to them: HTTP maps it to a
// status (app/http), the CLI and Studio only print the message.
enum class ErrorKind {
    Invalid,      // the input itself is wrong
    NotFound,     // no such experiment, action or anime
    Conflict,     // the experiment's state forbids it (not a draft, overlapping routes, ...)
    Unavailable,  // a model or the database is away for now; may succeed later
    Failed,       // the database answered with an error of its own
};

// A refused operation, phrased for the caller.
struct ExperimentError {
    ErrorKind kind = ErrorKind::Invalid;
    QString field;
    QString message;
    int retryAfterSeconds = 0;  // > 0 with Unavailable: the database is away, try again later
};

// Whether writes can be acknowledged now (the database answers and the writer keeps up).
struct DatabaseHealth {
    bool available = true;
    QString reason;      // why not, when !available
    qint64 pending = 0;  // exposures and feedback waiting to be written
};

template <typename T>
using Result = std::variant<T, ExperimentError>;

// Which variant serves a request.
struct Assignment {
    qint64 experimentId = 0;
    QString experiment;
    QString variant;
    service::ModelRole role = service::ModelRole::Collaborative;
    QString model;         // family ("" = the role's default)
    QString modelVersion;  // expected version ("" = any)
};

// A user's (userId) or an anonymous session's (sessionId) feedback; exactly one is set.
struct FeedbackInput {
    std::optional<qint64> userId;
    QString sessionId;
    qint64 animeId = 0;
    storage::FeedbackEvent event = storage::FeedbackEvent::Click;
    std::optional<double> value;
};

// What POST /feedback answers: where the event was attributed and how long the user's recent
// history (added since the snapshot) is now.
struct FeedbackReceipt {
    qint64 exposureId = 0;  // 0 = not attributed to an exposure
    QString experiment;
    QString variant;
    int position = 0;
    bool addedToHistory = false;
};

// The online side of A/B testing: experiment definitions (kept in memory, stored in the
// database), sticky assignment of users and sessions to variants, exposure and feedback logging
// through a batched storage::EventWriter, the recent-history overlay RecommendService merges, and
// reports. Database reads and definition changes use a connection owned by the thread that called
// open() (the HTTP thread); assign(), recordExposure() and recordFeedback() are thread-safe.
class ExperimentService {
public:
    static constexpr int kRecentExposuresPerUser = 16;
    // Units (users, sessions) whose recent exposures are kept for attribution; the least recently
    // served are forgotten beyond this (RecentExposures), so a long soak stays flat in memory.
    static constexpr std::size_t kMaxRecentUnits = 200'000;
    static constexpr qint64 kAttributionWindowMs = 7LL * 24 * 3600 * 1000;
    static constexpr qint64 kRefreshIntervalMs = 2000;  // picks up `animerec ab` changes
    // maintain() period: other replicas' definition changes show up within about this long.
    static constexpr int kMaintenanceIntervalMs = 1000;
    static constexpr qint64 kExposureIdBlock = 1000;  // ids reserved per IdBlocks round trip
    // Share of the lists served outside any experiment that are logged (variant "default");
    // ANIMEREC_DEFAULT_EXPOSURE_SAMPLE overrides it. See README (A/B tests) for the measurement.
    static constexpr double kDefaultExposureSample = 0.01;

    // `data` validates anime ids and maps them to catalogue items (may be null for the CLI).
    ExperimentService(QString databasePath, std::shared_ptr<const Dataset> data,
                      storage::EventWriterOptions writerOptions = {});
    ~ExperimentService();

    // Opens the database, loads the definitions, reserves exposure ids and starts the writer;
    // then runs maintain() every kMaintenanceIntervalMs on this thread's event loop. Returns the
    // error text.
    QString open();
    // On the open() thread: reconnects after a lost connection, re-reads the definitions when
    // another process changed them (a cheap count/max(updated_at) probe) and tops up the
    // exposure ids.
    void maintain();
    DatabaseHealth databaseHealth() const;

    // The running experiment covering `route` and the unit's variant; nullopt when none applies
    // (no experiment, paused, or an anonymous request without a session id).
    std::optional<Assignment> assign(const QString& route, std::optional<qint64> userId,
                                     const QString& sessionId);
    // The model that must serve `assignment`: the variant's family at its version. An Unavailable
    // error when that model is not loaded or has another version: a variant is never served by a
    // model it did not name.
    static Result<std::shared_ptr<const service::ServedModel>> modelFor(
        const Assignment& assignment, const service::ModelRegistry& models);
    // Logs a served list; returns its exposure id.
    qint64 recordExposure(const Assignment& assignment, const QString& route,
                          std::optional<qint64> userId, const QString& sessionId,
                          const service::Recommendation& served);
    // True for the share of calls set by setDefaultExposureSample(): log this list served outside
    // an experiment (recordExposure with defaultAssignment()).
    bool sampleDefaultExposure();
    static Assignment defaultAssignment();
    void setDefaultExposureSample(double share);
    Result<FeedbackReceipt> recordFeedback(const FeedbackInput& input);

    // Creates an experiment from its JSON definition, or replaces a draft of the same name.
    Result<ExperimentDefinition> define(const QJsonObject& body);
    // "start", "pause" or "stop". With `models`, a start is refused (Conflict) while a variant's
    // model is not loaded there at the version it names.
    Result<ExperimentDefinition> transition(const QString& name, const QString& action,
                                            const service::ModelRegistry* models = nullptr);
    std::vector<ExperimentDefinition> experiments();
    // Flushes pending writes, then reads the experiment's log from the database.
    Result<AbReport> report(const QString& name, ReportOptions options);

    std::shared_ptr<const service::RecentHistory> recentHistory() const { return history_; }
    bool flush(int timeoutMs = 30000) { return writer_.flush(timeoutMs); }
    storage::EventWriterStats writerStats() const { return writer_.stats(); }
    storage::Database& database() { return *database_; }
    // Re-reads the definitions now (normally every kRefreshIntervalMs, from assign()).
    void refresh();

private:
    void refreshIfStale();
    void topUpExposureIds();
    ExperimentError databaseFailure(const QSqlError& error);
    std::optional<ExperimentError> checkOverlap(const ExperimentDefinition& starting) const;

    std::shared_ptr<const Dataset> data_;
    std::unique_ptr<storage::Database> database_;
    QThread* owner_ = nullptr;  // thread that opened database_
    storage::EventWriter writer_;
    std::shared_ptr<service::RecentHistory> history_ = std::make_shared<service::RecentHistory>();

    mutable std::mutex mutex_;  // guards the fields below
    std::vector<ExperimentDefinition> experiments_;
    QElapsedTimer sinceRefresh_;
    // By unit (userUnit, sessionUnit); has its own lock, so serving does not contend with assign().
    RecentExposures recent_{kMaxRecentUnits, kRecentExposuresPerUser};
    storage::IdBlockPool exposureIds_{kExposureIdBlock};
    std::unique_ptr<QTimer> maintenance_;  // in the open() thread; also the context of refills
    std::atomic<bool> refillPending_{false};
    std::atomic<bool> adminConnected_{true};
    QString adminError_;                                 // guarded by mutex_
    std::pair<qint64, qint64> definitionsSeen_{-1, -1};  // count, max(updated_at); by mutex_
    std::atomic<std::uint64_t> served_{0};               // lists offered to sampleDefaultExposure()
    std::atomic<std::uint64_t> samplePeriod_{100};       // log one list in this many (0 = none)
};

}  // namespace animerec::experiments

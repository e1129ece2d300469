#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QSqlError>
#include <QString>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "eval/list_outcome.h"
#include "eval/quality_counts.h"
#include "storage/quality_store.h"

namespace animerec {
struct Dataset;
}
namespace animerec::storage {
class Database;
}

namespace animerec::service {

// A request the server answered on a recommendation route, as the quality view counts it.
struct ServedList {
    QString route;  // route template
    QString role;   // the role the route asks for ("collaborative", "session", ...)
    QString model;  // family that answered; empty when none did
    QString version;
    int status = 200;
    QString strategy;                 // the answer's strategy ("cold_start:popular (...)", ...)
    std::vector<std::int64_t> items;  // anime ids sent, best first
    bool cacheLookup = false;         // the answer cache was asked
    bool cacheHit = false;
    qint64 sampledExposureId = 0;          // > 0: logged as an exposure of variant "default"
    std::optional<std::int64_t> userId;    // the user the request named
    std::vector<std::int64_t> namedAnime;  // anime ids the request named (content, history)
};

// One POST /feedback event, with the exposure it was attributed to (0 = none).
struct FeedbackSeen {
    std::int64_t animeId = 0;
    ListFeedback event = ListFeedback::Click;
    std::optional<double> value;  // the rating of a rate event
    qint64 exposureId = 0;
    int position = 0;      // 1-based position in that exposure
    bool accepted = true;  // false: refused for naming a title outside the catalogue (drift only)
};

// The always-on online quality view: every served list and every feedback event, counted per
// (route, role, model, version) and minute, summed over sliding windows (5 min, 1 h, 24 h) and
// since start. CTR@K and the watch and completion rates are over the sampled lists (the exposures
// logged outside experiments), with the same rule (applyListFeedback) and the same estimate
// (estimateProportion) as the A/B report. Drift: shares of requests naming users and titles the
// training data does not have.
//
// On one process the view is this process's counts. With shareThroughDatabase() (replicas on one
// PostgreSQL), flush() adds the counts since the last flush to table QualityCounts (and the titles
// served to QualityItems) and reads back every replica's sums: the view is then theirs plus what
// this replica counted since. Distinct titles (coverage) do not add up, so they are counted in
// the database at each flush and lag by up to one flush interval. Thread-safe.
class QualityMonitor {
public:
    static constexpr int kK = 10;  // CTR@K, as the A/B report's default
    struct Window {
        const char* name;
        qint64 minutes;  // 0 = since start
    };
    static constexpr Window kWindows[] = {{"5m", 5}, {"1h", 60}, {"24h", 24 * 60}, {"total", 0}};
    static constexpr qint64 kTimelineBucketMinutes = 5;
    // Sampled lists remembered for their feedback (the oldest go first beyond this).
    static constexpr std::size_t kMaxTrackedLists = 500'000;
    using Clock = std::function<qint64()>;  // milliseconds since the epoch

    // `data` (may be null: then no drift, coverage or novelty) is what the models were trained on.
    explicit QualityMonitor(std::shared_ptr<const Dataset> data, Clock clock = {});

    void recordList(const ServedList& list);
    void recordFeedback(const FeedbackSeen& feedback);

    // From now on counts wait for flush() and the view includes every replica's.
    void shareThroughDatabase();
    // Writes the counts since the previous flush, then reads every replica's back. On an error
    // the counts wait for the next flush.
    QSqlError flush(storage::Database& database, const QString& replica);
    // The view of the database alone (Studio, without a server): every replica's counts since
    // `fromMs`.
    QSqlError loadFromDatabase(storage::Database& database, qint64 fromMs);

    // GET /quality: windows per group and overall, with intervals at `confidence`, and the CTR
    // timeline per group.
    QJsonObject toJson(double confidence = 0.95) const;
    // This replica's counters and window gauges in the Prometheus text format (labels route,
    // role, model, version, and window for the gauges); Prometheus adds the replicas up.
    QByteArray renderPrometheus() const;

private:
    struct Group {
        MinuteSeries minutes;  // the last 24 h
        QualityCounts total;   // since start
    };
    struct TrackedList {
        storage::QualityKey key;
        qint64 minute = 0;
        ListOutcome outcome;
    };
    using PendingKey = std::pair<storage::QualityKey, qint64>;
    // Distinct titles of `key` (nullptr: every key) served in window `w`; nullopt when unknown.
    std::optional<std::int64_t> distinctTitles(const storage::QualityKey* key, std::size_t w,
                                               qint64 fromMinute) const;

    qint64 nowMs() const;
    void add(const storage::QualityKey& key, qint64 minute, const QualityCounts& counts);
    void forgetOld(qint64 minute);
    std::map<storage::QualityKey, Group> view() const;  // local or shared, under mutex_
    QSqlError readShared(storage::Database& database, qint64 fromMinute);

    std::shared_ptr<const Dataset> data_;
    Clock clock_;
    std::vector<double> novelty_;  // per catalogue item, bits
    qint64 startMinute_ = 0;

    mutable std::mutex mutex_;
    std::map<storage::QualityKey, Group> local_;
    std::map<storage::QualityKey, ItemRecency> served_;
    std::unordered_map<qint64, TrackedList> tracked_;
    std::deque<std::pair<qint64, qint64>> trackedOrder_;  // minute, exposure id; oldest first
    bool sharing_ = false;
    // With sharing: counted since the last flush (pending_), being written (writing_), written
    // but not yet in the last read (unread_); the view adds all three to shared_.
    std::map<PendingKey, QualityCounts> pending_;
    std::map<PendingKey, QualityCounts> writing_;
    std::map<PendingKey, QualityCounts> unread_;
    std::optional<std::map<storage::QualityKey, Group>> shared_;  // every replica, last read
    // Titles served since the last flush: (key, anime id) -> latest minute.
    std::map<std::pair<storage::QualityKey, qint64>, qint64> pendingTitles_;
    // Distinct titles of every replica per window (kWindows order), as of the last read.
    std::optional<std::vector<storage::DistinctTitles>> sharedTitles_;
    std::mutex flushMutex_;
};

}  // namespace animerec::service

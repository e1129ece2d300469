#pragma once

#include <QString>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include "storage/event_records.h"

namespace animerec::storage {

class Database;

struct EventWriterOptions {
    int flushIntervalMs = 100;   // a batch is committed at least this often while rows wait
    int maxBatchRows = 2000;     // rows per transaction
    int retryDelayMs = 200;      // after a failed transaction (e.g. the database is locked)
    int maxRetryDelayMs = 2000;  // the delay doubles per failure up to this (database away)
    int maxQueuedRows = 200000;  // enqueue() refuses beyond this: memory stays bounded
};

struct EventWriterStats {
    std::int64_t exposuresWritten = 0;
    std::int64_t feedbackWritten = 0;
    std::int64_t transactions = 0;
    std::int64_t failedTransactions = 0;
    std::int64_t pending = 0;
    std::int64_t refused = 0;   // rows enqueue() turned away (queue full)
    std::int64_t rejected = 0;  // rows the database refused on their own (constraint), logged
    bool connected = true;      // false from a lost connection until a reconnect succeeds
    QString lastError;
};

// Writes exposures and feedback from a background thread in batched transactions, so a request
// only appends to a queue (no disk I/O on the serving thread). Feedback that adds to a history
// (watch, complete, rate) also becomes a history entry as user_history.h stores one (and a Users
// row for a new user) in the same transaction. A failed transaction is retried with the same rows,
// with a growing delay and a reconnect when the connection was lost (PostgreSQL restarted); the
// destructor drains the queue, so a clean shutdown loses nothing. An exposure without an id
// gets one from the IdBlocks "exposure" sequence in its own transaction.
class EventWriter {
public:
    EventWriter(QString databasePath, EventWriterOptions options = {});
    ~EventWriter();
    EventWriter(const EventWriter&) = delete;
    EventWriter& operator=(const EventWriter&) = delete;

    // Opens the writer's own connection on its thread; returns the error text, empty when fine.
    QString start();
    // False (row not taken) when maxQueuedRows rows already wait.
    bool enqueue(ExposureRecord exposure);
    bool enqueue(FeedbackRecord feedback);
    // True unless the connection is lost or the queue is full: what a route that acknowledges
    // a write checks first. `reason` says why not.
    bool accepting(QString* reason = nullptr) const;
    // Blocks until every row enqueued before the call is committed (or the writer gave up after
    // `timeoutMs` of failing). Returns false on timeout.
    bool flush(int timeoutMs = 30000);
    EventWriterStats stats() const;

private:
    using Row = std::variant<ExposureRecord, FeedbackRecord>;
    bool push(Row row);
    void run();
    bool writeBatch(Database& database, const std::deque<Row>& batch);

    QString path_;
    EventWriterOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;     // rows or stop for the writer
    std::condition_variable written_;  // progress for flush()
    std::deque<Row> queue_;
    std::uint64_t enqueued_ = 0;
    std::uint64_t committed_ = 0;
    bool flushRequested_ = false;
    bool stopping_ = false;
    bool started_ = false;
    QString openError_;
    bool opened_ = false;
    EventWriterStats stats_;
    std::thread thread_;
};

}  // namespace animerec::storage

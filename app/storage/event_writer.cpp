#include "storage/event_writer.h"

#include <sqlite3.h>

#include <QSqlError>
#include <QSqlQuery>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"
#include "storage/id_blocks.h"
#include "storage/reconnect.h"
#include "storage/row_values.h"
#include "storage/user_history.h"

namespace animerec::storage {

namespace {

constexpr const char* kInsertExposure = R"(
    INSERT INTO Exposures (exposure_id, experiment_id, variant, user_id, session_id, route, model,
                           model_version, items, served_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";
constexpr const char* kInsertFeedback = R"(
    INSERT INTO Feedback (user_id, anime_id, event, value, created_at, exposure_id, experiment_id,
                          variant, position, session_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";

using Row = std::variant<ExposureRecord, FeedbackRecord>;

RowValue optionalId(const std::optional<qint64>& value) {
    if (value) return *value;
    return std::monostate{};
}
RowValue positiveOrNull(qint64 value) { return value > 0 ? RowValue(value) : std::monostate{}; }

// "12,7,301": the exposure's items column, built in `text` (which the row's values view).
std::string_view itemsText(const std::vector<qint64>& items, std::string& text) {
    text.clear();
    char digits[24];
    for (const qint64 id : items) {
        if (!text.empty()) text += ',';
        text.append(digits, std::to_chars(digits, digits + sizeof digits, id).ptr);
    }
    return text;
}

// The columns of kInsertExposure and kInsertFeedback: one mapping for both backends.
std::array<RowValue, 10> exposureValues(const ExposureRecord& e, qint64 id, std::string& items) {
    return {id,
            e.experimentId,
            textValue(e.variant),
            optionalId(e.userId),
            textValue(e.sessionId, true),
            textValue(e.route),
            textValue(e.model),
            textValue(e.modelVersion),
            itemsText(e.items, items),
            e.servedAtMs};
}
std::array<RowValue, 10> feedbackValues(const FeedbackRecord& f, const QString& eventName) {
    return {optionalId(f.userId),
            f.animeId,
            textValue(eventName),
            f.value ? RowValue(*f.value) : RowValue(std::monostate{}),
            f.createdAtMs,
            positiveOrNull(f.exposureId),
            positiveOrNull(f.experimentId),
            textValue(f.variant, true),
            positiveOrNull(f.position),
            textValue(f.sessionId, true)};
}

// What a feedback event adds to the user's history (user_history.h): watch, complete and rate
// do, a click does not; an anonymous session has no stored history to add to.
std::optional<HistoryEntry> historyEntryOf(const FeedbackRecord& f) {
    if (f.event == FeedbackEvent::Click || !f.userId) return std::nullopt;
    HistoryEntry entry;
    entry.userId = *f.userId;
    entry.animeId = f.animeId;
    if (f.event == FeedbackEvent::Rate && f.value)
        entry.rating = static_cast<int>(std::llround(*f.value));
    if (f.event == FeedbackEvent::Watch) entry.status = WatchStatus::Watching;
    if (f.event == FeedbackEvent::Complete) entry.status = WatchStatus::Completed;
    entry.timestamp = f.createdAtMs / 1000;
    return entry;
}

// The statements a batch runs, in order, and the rows' values through `bind`: the SQLite C API
// or Qt's driver. Returns false at the first statement that fails (the writer rolls back).
template <typename Bind>
bool writeRows(const std::deque<Row>& batch, qint64 nextId, Bind&& bind) {
    std::string items;
    for (const Row& row : batch) {
        if (const auto* e = std::get_if<ExposureRecord>(&row)) {
            if (!bind(0, exposureValues(*e, e->exposureId > 0 ? e->exposureId : nextId++, items)))
                return false;
            continue;
        }
        const auto& f = std::get<FeedbackRecord>(row);
        const QString event = feedbackEventName(f.event);
        if (!bind(1, feedbackValues(f, event))) return false;
        const auto entry = historyEntryOf(f);
        if (!entry) continue;
        if (!bind(2, std::array<RowValue, 1>{entry->userId})) return false;
        if (!bind(3, historyEntryValues(*entry))) return false;
    }
    return true;
}
constexpr std::array kBatchStatements{kInsertExposure, kInsertFeedback, kEnsureUser,
                                      kInsertHistoryEntry};

// The batch's rows through SQLite's C API. Qt's QSqlResult::bindValue(int) formats and hashes a
// placeholder name for every value; with ten values a row that cost more than SQLite's own insert
// (perf, every list logged: a quarter of the writer thread). Same statements, same values.
class SqliteRows {
public:
    explicit SqliteRows(sqlite3* db) : db_(db) {}
    ~SqliteRows() {
        for (sqlite3_stmt* statement : statements_) sqlite3_finalize(statement);
    }
    SqliteRows(const SqliteRows&) = delete;
    SqliteRows& operator=(const SqliteRows&) = delete;

    // Writes the rows in the open transaction; exposures without an id take `nextId` onwards.
    // Returns the error text, empty when every row went in.
    QString write(const std::deque<Row>& batch, qint64 nextId) {
        for (const char* sql : kBatchStatements) {
            sqlite3_stmt* statement = nullptr;
            if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) return error();
            statements_.push_back(statement);
        }
        const bool written =
            writeRows(batch, nextId, [&](std::size_t index, std::span<const RowValue> values) {
                sqlite3_stmt* statement = statements_[index];
                if (bindRow(statement, values) != SQLITE_OK) {
                    sqlite3_reset(statement);
                    return false;
                }
                return step(statement);
            });
        return written ? QString() : error();
    }

private:
    bool step(sqlite3_stmt* statement) {
        const bool done = sqlite3_step(statement) == SQLITE_DONE;
        if (!done) error_ = QString::fromUtf8(sqlite3_errmsg(db_));
        sqlite3_reset(statement);
        return done;
    }
    QString error() const {
        return error_.isEmpty() ? QString::fromUtf8(sqlite3_errmsg(db_)) : error_;
    }

    sqlite3* db_;
    QString error_;
    std::vector<sqlite3_stmt*> statements_;
};

}  // namespace

QString feedbackEventName(FeedbackEvent event) {
    switch (event) {
        case FeedbackEvent::Click:
            return QStringLiteral("click");
        case FeedbackEvent::Watch:
            return QStringLiteral("watch");
        case FeedbackEvent::Complete:
            return QStringLiteral("complete");
        case FeedbackEvent::Rate:
            return QStringLiteral("rate");
    }
    return QStringLiteral("click");
}

ListFeedback listFeedbackOf(FeedbackEvent event) {
    switch (event) {
        case FeedbackEvent::Click:
            return ListFeedback::Click;
        case FeedbackEvent::Watch:
            return ListFeedback::Watch;
        case FeedbackEvent::Complete:
            return ListFeedback::Complete;
        case FeedbackEvent::Rate:
            return ListFeedback::Rate;
    }
    return ListFeedback::Click;
}

std::optional<FeedbackEvent> parseFeedbackEvent(const QString& text) {
    for (const auto event :
         {FeedbackEvent::Click, FeedbackEvent::Watch, FeedbackEvent::Complete, FeedbackEvent::Rate})
        if (feedbackEventName(event) == text) return event;
    return std::nullopt;
}

EventWriter::EventWriter(QString databasePath, EventWriterOptions options)
    : path_(std::move(databasePath)), options_(options) {}

EventWriter::~EventWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

QString EventWriter::start() {
    std::unique_lock lock(mutex_);
    if (started_) return openError_;
    started_ = true;
    thread_ = std::thread([this] { run(); });
    written_.wait(lock, [&] { return opened_ || !openError_.isEmpty(); });
    return openError_;
}

bool EventWriter::enqueue(ExposureRecord exposure) { return push(Row(std::move(exposure))); }

bool EventWriter::enqueue(FeedbackRecord feedback) { return push(Row(std::move(feedback))); }

bool EventWriter::accepting(QString* reason) const {
    std::lock_guard lock(mutex_);
    if (!stats_.connected) {
        if (reason) *reason = QStringLiteral("database connection lost: ") + stats_.lastError;
        return false;
    }
    if (static_cast<int>(queue_.size()) >= options_.maxQueuedRows) {
        if (reason)
            *reason = QStringLiteral("%1 events wait to be written: ").arg(queue_.size()) +
                      stats_.lastError;
        return false;
    }
    return true;
}

bool EventWriter::push(Row row) {
    bool full = false;
    {
        std::lock_guard lock(mutex_);
        if (static_cast<int>(queue_.size()) >= options_.maxQueuedRows) {
            ++stats_.refused;
            return false;
        }
        queue_.push_back(std::move(row));
        ++enqueued_;
        full = static_cast<int>(queue_.size()) >= options_.maxBatchRows;
    }
    if (full) wake_.notify_one();
    return true;
}

bool EventWriter::flush(int timeoutMs) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = enqueued_;
    flushRequested_ = true;
    wake_.notify_one();
    return written_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
        return committed_ >= target || !opened_;
    }) && committed_ >= target;
}

EventWriterStats EventWriter::stats() const {
    std::lock_guard lock(mutex_);
    EventWriterStats stats = stats_;
    stats.pending = static_cast<std::int64_t>(queue_.size());
    return stats;
}

namespace {

// A batch the database keeps refusing while the connection answers holds a row it will never
// take (a constraint): after this many attempts the rows are written one by one.
constexpr int kBatchAttemptsBeforeIsolating = 3;

QString describeRow(const std::variant<ExposureRecord, FeedbackRecord>& row) {
    if (const auto* exposure = std::get_if<ExposureRecord>(&row))
        return QStringLiteral("exposure %1 (experiment %2, variant %3)")
            .arg(exposure->exposureId)
            .arg(exposure->experimentId)
            .arg(exposure->variant);
    const auto& feedback = std::get<FeedbackRecord>(row);
    return QStringLiteral("feedback %1 on anime %2 by %3")
        .arg(feedbackEventName(feedback.event))
        .arg(feedback.animeId)
        .arg(feedback.userId ? QString::number(*feedback.userId)
                             : QStringLiteral("session ") + feedback.sessionId);
}

}  // namespace

void EventWriter::run() {
    Database database(path_, QStringLiteral("ab_writer_%1").arg(reinterpret_cast<quintptr>(this)));
    const QSqlError error = database.open();
    {
        std::lock_guard lock(mutex_);
        if (error.isValid())
            openError_ =
                error.text().isEmpty() ? QStringLiteral("cannot open ") + path_ : error.text();
        else
            opened_ = true;
    }
    written_.notify_all();
    if (error.isValid()) return;

    const auto interval = std::chrono::milliseconds(options_.flushIntervalMs);
    int retryDelayMs = options_.retryDelayMs;
    int refusedWhileAlive = 0;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait_for(lock, interval, [&] {
            return stopping_ || flushRequested_ ||
                   static_cast<int>(queue_.size()) >= options_.maxBatchRows;
        });
        if (queue_.empty()) {
            flushRequested_ = false;
            written_.notify_all();
            if (stopping_) break;
            continue;
        }
        const std::size_t count =
            std::min(queue_.size(), static_cast<std::size_t>(options_.maxBatchRows));
        std::deque<Row> batch(
            std::make_move_iterator(queue_.begin()),
            std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(count)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        lock.unlock();
        bool ok = writeBatch(database, batch);
        std::size_t handled = ok ? batch.size() : 0;  // rows of the batch written or rejected
        std::vector<bool> rejected;                   // per handled row of the row-by-row pass
        if (!ok && refusedWhileAlive + 1 >= kBatchAttemptsBeforeIsolating &&
            reconnectIfLost(database) == ConnectionState::Alive) {
            // The database answers but keeps refusing the batch: a row breaks a constraint.
            // Write the rows one by one so that row cannot hold up the rest forever.
            ok = true;
            for (const Row& row : batch) {
                if (!writeBatch(database, std::deque<Row>{row})) {
                    if (reconnectIfLost(database) != ConnectionState::Alive) {
                        ok = false;  // the connection went: the rest waits for it
                        break;
                    }
                    rejected.resize(handled + 1, false);
                    rejected[handled] = true;
                    qWarning("ab writer: the database refused %s; dropped it: %s",
                             qPrintable(describeRow(row)), qPrintable(stats_.lastError));
                }
                ++handled;
            }
        }
        lock.lock();
        if (handled > 0) {
            committed_ += handled;
            for (std::size_t i = 0; i < handled; ++i) {
                if (i < rejected.size() && rejected[i])
                    ++stats_.rejected;
                else
                    ++(std::holds_alternative<ExposureRecord>(batch[i]) ? stats_.exposuresWritten
                                                                        : stats_.feedbackWritten);
            }
            batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(handled));
        }
        if (ok) {
            refusedWhileAlive = 0;
            retryDelayMs = options_.retryDelayMs;
            stats_.connected = true;
            ++stats_.transactions;
            written_.notify_all();
            continue;
        }
        // Keep the rows, in order, and try again: nothing is dropped while the process lives.
        ++stats_.failedTransactions;
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        lock.unlock();
        QString reconnectError;
        const ConnectionState state = reconnectIfLost(database, &reconnectError);
        const bool connected = state != ConnectionState::Lost;
        refusedWhileAlive = state == ConnectionState::Alive ? refusedWhileAlive + 1 : 0;
        lock.lock();
        stats_.connected = connected;
        if (!connected) stats_.lastError = reconnectError;
        written_.notify_all();  // flush() callers see the state
        wake_.wait_for(lock, std::chrono::milliseconds(retryDelayMs));
        retryDelayMs = std::min(retryDelayMs * 2, options_.maxRetryDelayMs);
        // Stopping with the database away: give up after the delay has grown to its limit
        // (the destructor's caller flushed with its own timeout first).
        if (stopping_ && !connected && retryDelayMs >= options_.maxRetryDelayMs) break;
    }
}

bool EventWriter::writeBatch(Database& database, const std::deque<Row>& batch) {
    if (!database.isOpen()) {  // a reconnect failed: run() tries again after its delay
        std::lock_guard lock(mutex_);
        stats_.lastError = QStringLiteral("database not open");
        return false;
    }
    QSqlDatabase db = database.connection();
    const auto fail = [&](const QSqlQuery& query) {
        const QString text = query.lastError().text();
        db.rollback();
        std::lock_guard lock(mutex_);
        stats_.lastError = text;
        return false;
    };
    if (!db.transaction()) {
        std::lock_guard lock(mutex_);
        stats_.lastError = db.lastError().text();
        return false;
    }
    // Exposures served while no id block could be reserved are numbered now, in this
    // transaction, from the same sequence the replicas reserve from.
    qint64 unnumbered = 0;
    for (const Row& row : batch)
        if (const auto* e = std::get_if<ExposureRecord>(&row); e && e->exposureId <= 0)
            ++unnumbered;
    qint64 nextId = 0;
    if (unnumbered > 0) {
        QSqlError reserveError;
        const auto first = reserveIds(db, QStringLiteral("exposure"), unnumbered, &reserveError);
        if (!first) {
            db.rollback();
            std::lock_guard lock(mutex_);
            stats_.lastError = reserveError.text();
            return false;
        }
        nextId = *first;
    }
    if (sqlite3* handle = database.sqliteHandle()) {
        if (const QString rowError = SqliteRows(handle).write(batch, nextId); !rowError.isEmpty()) {
            db.rollback();
            std::lock_guard lock(mutex_);
            stats_.lastError = rowError;
            return false;
        }
        if (db.commit()) return true;
        std::lock_guard lock(mutex_);
        stats_.lastError = db.lastError().text();
        db.rollback();
        return false;
    }
    std::vector<QSqlQuery> statements;
    statements.reserve(kBatchStatements.size());
    for (const char* sql : kBatchStatements) {
        statements.emplace_back(db);
        if (!statements.back().prepare(QString::fromUtf8(sql))) return fail(statements.back());
    }
    QSqlQuery* failed = nullptr;
    const bool written =
        writeRows(batch, nextId, [&](std::size_t index, std::span<const RowValue> values) {
            QSqlQuery& query = statements[index];
            bindRow(query, values);
            if (query.exec()) return true;
            failed = &query;
            return false;
        });
    if (!written) return fail(*failed);
    if (!db.commit()) {
        std::lock_guard lock(mutex_);
        stats_.lastError = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

}  // namespace animerec::storage

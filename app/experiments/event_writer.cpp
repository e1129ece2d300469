#include "experiments/event_writer.h"

#include <sqlite3.h>

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "experiments/id_blocks.h"
#include "experiments/reconnect.h"
#include "storage/database.h"

namespace animerec::experiments {

namespace {

constexpr const char* kInsertExposure = R"(
    INSERT INTO Exposures (exposure_id, experiment_id, variant, user_id, session_id, route, model,
                           model_version, items, served_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";
constexpr const char* kInsertFeedback = R"(
    INSERT INTO Feedback (user_id, anime_id, event, value, created_at, exposure_id, experiment_id,
                          variant, position, session_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";
// Plain SQL that SQLite (>= 3.24) and PostgreSQL both accept.
constexpr const char* kInsertUser =
    R"(INSERT INTO Users (user_id) VALUES (?) ON CONFLICT DO NOTHING)";
constexpr const char* kInsertInteraction = R"(
    INSERT INTO UserAnimeInteractions (user_id, anime_id, rating, status, watched_episodes, timestamp)
    VALUES (?, ?, ?, ?, NULL, ?))";

// MAL status codes as stored by the import (1 = watching, 2 = completed).
constexpr int kStatusWatching = 1;
constexpr int kStatusCompleted = 2;

QVariant nullInt() { return QVariant(QMetaType(QMetaType::LongLong)); }
QVariant nullText() { return QVariant(QMetaType(QMetaType::QString)); }

QString itemsText(const std::vector<qint64>& items) {
    QStringList parts;
    parts.reserve(static_cast<qsizetype>(items.size()));
    for (const qint64 id : items) parts << QString::number(id);
    return parts.join(u',');
}

bool addsToHistory(FeedbackEvent event) { return event != FeedbackEvent::Click; }

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
    QString write(const std::deque<std::variant<ExposureRecord, FeedbackRecord>>& batch,
                  qint64 nextId) {
        for (const auto* sql :
             {kInsertExposure, kInsertFeedback, kInsertUser, kInsertInteraction}) {
            sqlite3_stmt* statement = nullptr;
            if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) return error();
            statements_.push_back(statement);
        }
        sqlite3_stmt* exposure = statements_[0];
        sqlite3_stmt* feedback = statements_[1];
        sqlite3_stmt* user = statements_[2];
        sqlite3_stmt* interaction = statements_[3];
        std::string items;
        for (const auto& row : batch) {
            if (const auto* e = std::get_if<ExposureRecord>(&row)) {
                items.clear();
                char digits[24];
                for (const qint64 id : e->items) {
                    if (!items.empty()) items += ',';
                    const auto end = std::to_chars(digits, digits + sizeof digits, id).ptr;
                    items.append(digits, end);
                }
                sqlite3_bind_int64(exposure, 1, e->exposureId > 0 ? e->exposureId : nextId++);
                sqlite3_bind_int64(exposure, 2, e->experimentId);
                text(exposure, 3, e->variant);
                integer(exposure, 4, e->userId);
                text(exposure, 5, e->sessionId, true);
                text(exposure, 6, e->route);
                text(exposure, 7, e->model);
                text(exposure, 8, e->modelVersion);
                sqlite3_bind_text(exposure, 9, items.data(), static_cast<int>(items.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_int64(exposure, 10, e->servedAtMs);
                if (!step(exposure)) return error();
                continue;
            }
            const auto& f = std::get<FeedbackRecord>(row);
            const QString event = feedbackEventName(f.event);
            integer(feedback, 1, f.userId);
            sqlite3_bind_int64(feedback, 2, f.animeId);
            text(feedback, 3, event);
            if (f.value)
                sqlite3_bind_double(feedback, 4, *f.value);
            else
                sqlite3_bind_null(feedback, 4);
            sqlite3_bind_int64(feedback, 5, f.createdAtMs);
            positive(feedback, 6, f.exposureId);
            positive(feedback, 7, f.experimentId);
            text(feedback, 8, f.variant, true);
            positive(feedback, 9, f.position);
            text(feedback, 10, f.sessionId, true);
            if (!step(feedback)) return error();
            // An anonymous session has no stored history to add to.
            if (!addsToHistory(f.event) || !f.userId) continue;
            sqlite3_bind_int64(user, 1, *f.userId);
            if (!step(user)) return error();
            sqlite3_bind_int64(interaction, 1, *f.userId);
            sqlite3_bind_int64(interaction, 2, f.animeId);
            if (f.event == FeedbackEvent::Rate && f.value)
                sqlite3_bind_int64(interaction, 3, std::llround(*f.value));
            else
                sqlite3_bind_null(interaction, 3);
            if (f.event == FeedbackEvent::Watch || f.event == FeedbackEvent::Complete)
                sqlite3_bind_int(
                    interaction, 4,
                    f.event == FeedbackEvent::Watch ? kStatusWatching : kStatusCompleted);
            else
                sqlite3_bind_null(interaction, 4);
            sqlite3_bind_int64(interaction, 5, f.createdAtMs / 1000);
            if (!step(interaction)) return error();
        }
        return {};
    }

private:
    // The QString outlives the step that reads it: SQLITE_STATIC, no copy. A null QString is
    // NULL, as Qt binds it.
    static void text(sqlite3_stmt* statement, int index, const QString& value,
                     bool emptyIsNull = false) {
        if (value.isNull() || (emptyIsNull && value.isEmpty()))
            sqlite3_bind_null(statement, index);
        else
            sqlite3_bind_text16(statement, index, value.utf16(), static_cast<int>(value.size() * 2),
                                SQLITE_STATIC);
    }
    static void integer(sqlite3_stmt* statement, int index, const std::optional<qint64>& value) {
        if (value)
            sqlite3_bind_int64(statement, index, *value);
        else
            sqlite3_bind_null(statement, index);
    }
    static void positive(sqlite3_stmt* statement, int index, qint64 value) {
        integer(statement, index, value > 0 ? std::optional<qint64>(value) : std::nullopt);
    }
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
    storage::Database database(
        path_, QStringLiteral("ab_writer_%1").arg(reinterpret_cast<quintptr>(this)));
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

bool EventWriter::writeBatch(storage::Database& database, const std::deque<Row>& batch) {
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
    QSqlQuery exposure(db), feedback(db), user(db), interaction(db);
    if (!exposure.prepare(QString::fromUtf8(kInsertExposure))) return fail(exposure);
    if (!feedback.prepare(QString::fromUtf8(kInsertFeedback))) return fail(feedback);
    if (!user.prepare(QString::fromUtf8(kInsertUser))) return fail(user);
    if (!interaction.prepare(QString::fromUtf8(kInsertInteraction))) return fail(interaction);
    for (const Row& row : batch) {
        if (const auto* e = std::get_if<ExposureRecord>(&row)) {
            exposure.bindValue(0, e->exposureId > 0 ? e->exposureId : nextId++);
            exposure.bindValue(1, e->experimentId);
            exposure.bindValue(2, e->variant);
            exposure.bindValue(3, e->userId ? QVariant(*e->userId) : nullInt());
            exposure.bindValue(4, e->sessionId.isEmpty() ? nullText() : QVariant(e->sessionId));
            exposure.bindValue(5, e->route);
            exposure.bindValue(6, e->model);
            exposure.bindValue(7, e->modelVersion);
            exposure.bindValue(8, itemsText(e->items));
            exposure.bindValue(9, e->servedAtMs);
            if (!exposure.exec()) return fail(exposure);
            continue;
        }
        const auto& f = std::get<FeedbackRecord>(row);
        feedback.bindValue(0, f.userId ? QVariant(*f.userId) : nullInt());
        feedback.bindValue(1, f.animeId);
        feedback.bindValue(2, feedbackEventName(f.event));
        feedback.bindValue(3,
                           f.value ? QVariant(*f.value) : QVariant(QMetaType(QMetaType::Double)));
        feedback.bindValue(4, f.createdAtMs);
        feedback.bindValue(5, f.exposureId > 0 ? QVariant(f.exposureId) : nullInt());
        feedback.bindValue(6, f.experimentId > 0 ? QVariant(f.experimentId) : nullInt());
        feedback.bindValue(7, f.variant.isEmpty() ? nullText() : QVariant(f.variant));
        feedback.bindValue(8, f.position > 0 ? QVariant(f.position) : nullInt());
        feedback.bindValue(9, f.sessionId.isEmpty() ? nullText() : QVariant(f.sessionId));
        if (!feedback.exec()) return fail(feedback);
        // An anonymous session has no stored history to add to.
        if (!addsToHistory(f.event) || !f.userId) continue;
        user.bindValue(0, *f.userId);
        if (!user.exec()) return fail(user);
        interaction.bindValue(0, *f.userId);
        interaction.bindValue(1, f.animeId);
        interaction.bindValue(2, f.event == FeedbackEvent::Rate && f.value
                                     ? QVariant(static_cast<qint64>(std::llround(*f.value)))
                                     : nullInt());
        interaction.bindValue(3, f.event == FeedbackEvent::Watch      ? QVariant(kStatusWatching)
                                 : f.event == FeedbackEvent::Complete ? QVariant(kStatusCompleted)
                                                                      : nullInt());
        interaction.bindValue(4, static_cast<qint64>(f.createdAtMs / 1000));
        if (!interaction.exec()) return fail(interaction);
    }
    if (!db.commit()) {
        std::lock_guard lock(mutex_);
        stats_.lastError = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

}  // namespace animerec::experiments

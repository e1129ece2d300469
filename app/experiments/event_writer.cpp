#include "experiments/event_writer.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <chrono>

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
constexpr const char* kInsertUser = R"(INSERT INTO Users (user_id) VALUES (?) ON CONFLICT DO NOTHING)";
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

void EventWriter::enqueue(ExposureRecord exposure) { push(Row(std::move(exposure))); }

void EventWriter::enqueue(FeedbackRecord feedback) { push(Row(std::move(feedback))); }

void EventWriter::push(Row row) {
    bool full = false;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(row));
        ++enqueued_;
        full = static_cast<int>(queue_.size()) >= options_.maxBatchRows;
    }
    if (full) wake_.notify_one();
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
        const bool ok = writeBatch(database, batch);
        lock.lock();
        if (ok) {
            committed_ += count;
            ++stats_.transactions;
            for (const Row& row : batch)
                ++(std::holds_alternative<ExposureRecord>(row) ? stats_.exposuresWritten
                                                               : stats_.feedbackWritten);
            written_.notify_all();
            continue;
        }
        // Keep the rows, in order, and try again: nothing is dropped while the process lives.
        ++stats_.failedTransactions;
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        wake_.wait_for(lock, std::chrono::milliseconds(options_.retryDelayMs));
    }
}

bool EventWriter::writeBatch(storage::Database& database, const std::deque<Row>& batch) {
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
    QSqlQuery exposure(db), feedback(db), user(db), interaction(db);
    if (!exposure.prepare(QString::fromUtf8(kInsertExposure))) return fail(exposure);
    if (!feedback.prepare(QString::fromUtf8(kInsertFeedback))) return fail(feedback);
    if (!user.prepare(QString::fromUtf8(kInsertUser))) return fail(user);
    if (!interaction.prepare(QString::fromUtf8(kInsertInteraction))) return fail(interaction);
    for (const Row& row : batch) {
        if (const auto* e = std::get_if<ExposureRecord>(&row)) {
            exposure.bindValue(0, e->exposureId > 0 ? QVariant(e->exposureId) : nullInt());
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

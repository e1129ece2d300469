#include "storage/id_blocks.h"

#include <QSqlQuery>
#include <QVariant>

#include "storage/database.h"

namespace animerec::storage {

namespace {

constexpr const char* kCreateIdBlocks = R"(
    CREATE TABLE IF NOT EXISTS IdBlocks (
        name TEXT PRIMARY KEY,
        next_id {BIGINT} NOT NULL
    ))";
// "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT.
constexpr const char* kSeedSequence = R"(
    INSERT INTO IdBlocks (name, next_id)
    SELECT ?, coalesce(max(%2), 0) + 1 FROM %1 WHERE true
    ON CONFLICT DO NOTHING)";
constexpr const char* kReserve = R"(
    UPDATE IdBlocks SET next_id = next_id + ? WHERE name = ? RETURNING next_id)";

}  // namespace

QSqlError prepareIdSequence(Database& database, const QString& sequence, const QString& table,
                            const QString& column) {
    QSqlQuery query(database.connection());
    // Replicas starting together may race on CREATE TABLE (PostgreSQL then reports a duplicate
    // type); the loser finds the table on its next attempt.
    QSqlError error;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (query.exec(database.dialect().ddl(kCreateIdBlocks)) &&
            query.prepare(QString::fromUtf8(kSeedSequence).arg(table, column))) {
            query.addBindValue(sequence);
            if (query.exec()) return {};
        }
        error = query.lastError();
    }
    return error;
}

std::optional<qint64> reserveIds(const QSqlDatabase& db, const QString& sequence, qint64 count,
                                 QSqlError* error) {
    QSqlQuery query(db);
    if (query.prepare(QString::fromUtf8(kReserve))) {
        query.addBindValue(count);
        query.addBindValue(sequence);
        if (query.exec()) {
            if (query.next()) return query.value(0).toLongLong() - count;
            if (error)
                *error = QSqlError(QStringLiteral("no IdBlocks row for ") + sequence, {},
                                   QSqlError::StatementError);
            return std::nullopt;
        }
    }
    // A closed connection fails prepare() without setting an error: never report success.
    if (error)
        *error = query.lastError().isValid() ? query.lastError()
                                             : QSqlError(QStringLiteral("database not open"), {},
                                                         QSqlError::ConnectionError);
    return std::nullopt;
}

qint64 IdBlockPool::take(bool* lowOut) {
    std::lock_guard lock(mutex_);
    while (!ranges_.empty() && ranges_.front().first >= ranges_.front().second) ranges_.pop_front();
    if (lowOut) *lowOut = available_ <= blockSize_;
    if (ranges_.empty()) return 0;
    --available_;
    return ranges_.front().first++;
}

bool IdBlockPool::needsRefill() const {
    std::lock_guard lock(mutex_);
    return available_ < blockSize_;
}

QSqlError IdBlockPool::refill(const Database& database, const QString& sequence) {
    QSqlError error;
    const auto first = reserveIds(database.connection(), sequence, blockSize_, &error);
    if (!first) return error;
    std::lock_guard lock(mutex_);
    ranges_.emplace_back(*first, *first + blockSize_);
    available_ += blockSize_;
    return {};
}

}  // namespace animerec::storage

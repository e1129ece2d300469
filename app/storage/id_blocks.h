#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace animerec::storage {

class Database;

// Ids that stay unique across every process writing to one database (several `animerec serve`
// replicas on one PostgreSQL). Each process reserves blocks of ids from the IdBlocks table (one
// row per sequence, bumped by UPDATE ... RETURNING, which both backends run atomically), so a
// request takes an id from memory and two replicas never hand out the same one. Gaps are fine.

// Creates IdBlocks when missing and seeds `sequence` above the largest id already stored in
// `table`.`column` (so a database written before IdBlocks existed continues after its ids).
QSqlError prepareIdSequence(Database& database, const QString& sequence, const QString& table,
                            const QString& column);
// Reserves `count` ids of `sequence`: the first of them (the rest follow it), or nullopt with
// `error` set. Part of the caller's transaction when one is open.
std::optional<qint64> reserveIds(const QSqlDatabase& db, const QString& sequence, qint64 count,
                                 QSqlError* error = nullptr);

// Reserved ids waiting to be handed out; thread-safe. The owner keeps it topped up (refill()
// while needsRefill()) from a thread with a database connection; take() never touches the
// database.
class IdBlockPool {
public:
    explicit IdBlockPool(qint64 blockSize) : blockSize_(blockSize) {}

    // The next reserved id, or 0 when none is left (the database was unreachable for a while).
    // `lowOut` (optional) becomes needsRefill() after the take.
    qint64 take(bool* lowOut = nullptr);
    // True when less than one block is left: refill before the pool runs dry.
    bool needsRefill() const;
    // Reserves one more block on `database`; returns the error, invalid on success.
    QSqlError refill(const Database& database, const QString& sequence);
    qint64 blockSize() const { return blockSize_; }

private:
    const qint64 blockSize_;
    mutable std::mutex mutex_;
    std::deque<std::pair<qint64, qint64>> ranges_;  // [first, end) in reservation order
    qint64 available_ = 0;
};

}  // namespace animerec::storage

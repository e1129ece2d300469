#pragma once

#include <QDate>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <array>
#include <optional>

#include "data/interaction_record.h"
#include "storage/row_values.h"

namespace animerec::storage {

// A title a user added to their history after the import: Studio's new user rates titles,
// POST /feedback watches, completes and rates them. Every such writer stores it the same way
// (the import keeps what its file says):
//   status            the MyAnimeList code of WatchStatus (1 watching, 2 completed, ...); NULL
//                     when the event says nothing of it (a bare rating)
//   watched_episodes  a completed title was watched to its end: the catalogue's episode count
//                     (NULL when the catalogue does not know it); NULL for any other status,
//                     since no writer learns how far a viewer got
//   rating            1..10 as given, or NULL
//   timestamp         seconds since the epoch
struct HistoryEntry {
    qint64 userId = 0;
    qint64 animeId = 0;
    std::optional<int> rating;
    WatchStatus status = WatchStatus::Unknown;
    qint64 timestamp = 0;  // seconds since the epoch
};

// The entry's row; its placeholders are the values of historyEntryValues, in order.
inline constexpr const char* kInsertHistoryEntry = R"(
    INSERT INTO UserAnimeInteractions (user_id, anime_id, rating, status, watched_episodes, timestamp)
    VALUES (?, ?, ?, ?, (SELECT episodes FROM Anime WHERE anime_id = ?), ?))";
std::array<RowValue, 6> historyEntryValues(const HistoryEntry& entry);

// The Users row a history entry needs, added when missing (plain SQL both backends accept).
inline constexpr const char* kEnsureUser =
    R"(INSERT INTO Users (user_id) VALUES (?) ON CONFLICT DO NOTHING)";

// Users created by hand and the titles they add, on one connection (Studio's write connection).
class UserHistoryStore {
public:
    explicit UserHistoryStore(QSqlDatabase connection) : db_(std::move(connection)) {}

    // The next free user id (the largest + 1), or nullopt with `error` set (also when the
    // database is not open).
    std::optional<qint64> nextUserId(QSqlError* error = nullptr) const;
    // Adds user `id` called `name` (trimmed; NULL when empty) who joined on `joinDate`.
    QSqlError createUser(qint64 id, const QString& name, const QDate& joinDate) const;
    // Stores the entry (the user must exist); returns the error, invalid on success.
    QSqlError add(const HistoryEntry& entry) const;

private:
    QSqlDatabase db_;
};

}  // namespace animerec::storage

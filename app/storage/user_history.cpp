#include "storage/user_history.h"

#include <QSqlQuery>
#include <QVariant>

namespace animerec::storage {

namespace {

constexpr const char* kNextUserId = R"(SELECT COALESCE(MAX(user_id), 0) + 1 FROM Users)";
constexpr const char* kInsertUser =
    R"(INSERT INTO Users (user_id, name, join_date) VALUES (?, ?, ?))";

QSqlError notOpen() {
    return QSqlError(QStringLiteral("database not open"), {}, QSqlError::ConnectionError);
}

}  // namespace

std::array<RowValue, 6> historyEntryValues(const HistoryEntry& entry) {
    const auto orNull = [](const std::optional<int>& value) -> RowValue {
        if (value) return static_cast<qint64>(*value);
        return std::monostate{};
    };
    const bool known = entry.status != WatchStatus::Unknown;
    const bool completed = entry.status == WatchStatus::Completed;
    return {entry.userId,
            entry.animeId,
            orNull(entry.rating),
            known ? RowValue(static_cast<qint64>(entry.status)) : RowValue(std::monostate{}),
            completed ? RowValue(entry.animeId) : RowValue(std::monostate{}),  // no row: NULL
            entry.timestamp};
}

std::optional<qint64> UserHistoryStore::nextUserId(QSqlError* error) const {
    QSqlQuery next(db_);
    if (!db_.isOpen() || !next.exec(QString::fromLatin1(kNextUserId)) || !next.next()) {
        if (error) *error = next.lastError().isValid() ? next.lastError() : notOpen();
        return std::nullopt;
    }
    return next.value(0).toLongLong();  // the query ends here: no read left open on `db_`
}

QSqlError UserHistoryStore::createUser(qint64 id, const QString& name,
                                       const QDate& joinDate) const {
    if (!db_.isOpen()) return notOpen();
    QSqlQuery insert(db_);
    insert.prepare(QString::fromLatin1(kInsertUser));
    insert.addBindValue(id);
    insert.addBindValue(name.trimmed().isEmpty() ? QVariant() : QVariant(name.trimmed()));
    insert.addBindValue(joinDate.toString(Qt::ISODate));
    if (!insert.exec()) return insert.lastError();
    return {};
}

QSqlError UserHistoryStore::add(const HistoryEntry& entry) const {
    if (!db_.isOpen()) return notOpen();
    QSqlQuery insert(db_);
    if (!insert.prepare(QString::fromLatin1(kInsertHistoryEntry)))
        return insert.lastError().isValid() ? insert.lastError() : notOpen();
    bindRow(insert, historyEntryValues(entry));
    if (!insert.exec()) return insert.lastError();
    return {};
}

}  // namespace animerec::storage

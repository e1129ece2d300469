#include "storage/browsing_tables.h"

#include <QSet>
#include <QSqlQuery>

#include "storage/browsing_connections.h"

namespace animerec::storage {

namespace {

constexpr auto kCatalogQuery = R"(
    SELECT anime_id AS "ID", title AS "Title", genre AS "Genres", type AS "Type",
           episodes AS "Episodes", rating AS "Rating", members AS "Members"
    FROM Anime
    WHERE (? = '' OR lower(title) LIKE '%' || lower(?) || '%')
      AND (? = '' OR (', ' || genre || ',') LIKE '%, ' || ? || ',%')
      AND (? = '' OR type = ?)
    ORDER BY members DESC
    LIMIT 5000)";
constexpr auto kGenresQuery = R"(SELECT DISTINCT genre FROM Anime WHERE genre IS NOT NULL)";
constexpr auto kTypesQuery = R"(SELECT DISTINCT type FROM Anime WHERE type <> '' ORDER BY type)";

// Counting per user over the whole table is too slow at the 100M-row scale, so the list shows
// the first users by id (or the matches of a search); the count comes from the per-user index.
constexpr auto kUsersQuery = R"(
    SELECT u.user_id AS "User", COALESCE(u.name, '') AS "Name",
           (SELECT COUNT(*) FROM UserAnimeInteractions i WHERE i.user_id = u.user_id) AS "Titles"
    FROM Users u
    WHERE (? = '' OR CAST(u.user_id AS TEXT) = ? OR lower(u.name) LIKE '%' || lower(?) || '%')
    ORDER BY u.user_id
    LIMIT 2000)";

constexpr auto kHistoryQuery = R"(
    SELECT i.interaction_id AS "#", a.title AS "Title", a.genre AS "Genres",
           i.rating AS "Rating",
           CASE i.status WHEN 1 THEN 'Watching' WHEN 2 THEN 'Completed' WHEN 3 THEN 'On-Hold'
                         WHEN 4 THEN 'Dropped' WHEN 6 THEN 'Plan to Watch' ELSE '' END AS "Status",
           CASE WHEN i.watched_episodes IS NULL THEN '' ELSE
                CAST(i.watched_episodes AS TEXT) || ' / ' ||
                COALESCE(CAST(a.episodes AS TEXT), '?') END AS "Episodes"
    FROM UserAnimeInteractions i JOIN Anime a ON a.anime_id = i.anime_id
    WHERE i.user_id = ?
    ORDER BY COALESCE(i.timestamp, i.interaction_id), i.interaction_id)";

QStringList column(BrowsingConnections& connections, const char* sql) {
    QStringList values;
    QSqlDatabase db = connections.reader();
    if (!db.isOpen()) return values;
    QSqlQuery query(db);
    if (query.exec(QString::fromLatin1(sql)))
        while (query.next()) values << query.value(0).toString();
    return values;
}

void fetchAll(QSqlQueryModel& model) {
    while (model.canFetchMore()) model.fetchMore();
}

}  // namespace

QSqlError CatalogTable::search(BrowsingConnections& connections, const QString& title,
                               const QString& genre, const QString& type) {
    QSqlDatabase db = connections.reader();
    if (!db.isOpen()) {
        clear();
        return {};
    }
    QSqlQuery query(db);
    query.prepare(QString::fromLatin1(kCatalogQuery));
    // Each filter is bound twice: once for "is it set", once for the comparison.
    for (const QString& filter : {title, genre, type}) {
        query.addBindValue(filter.isNull() ? QStringLiteral("") : filter);
        query.addBindValue(filter.isNull() ? QStringLiteral("") : filter);
    }
    query.exec();
    const QSqlError error = query.lastError();
    setQuery(std::move(query));
    fetchAll(*this);
    return error;
}

QStringList catalogGenres(BrowsingConnections& connections) {
    QSet<QString> genres;
    for (const QString& list : column(connections, kGenresQuery))
        for (const QString& genre : list.split(',', Qt::SkipEmptyParts))
            genres.insert(genre.trimmed());
    QStringList sorted(genres.begin(), genres.end());
    sorted.sort();
    return sorted;
}

QStringList catalogTypes(BrowsingConnections& connections) {
    return column(connections, kTypesQuery);
}

QSqlError UserTable::search(BrowsingConnections& connections, const QString& search) {
    QSqlDatabase db = connections.reader();
    if (!db.isOpen()) {
        clear();
        return {};
    }
    QSqlQuery query(db);
    query.prepare(QString::fromLatin1(kUsersQuery));
    const QString text = search.trimmed().isEmpty() ? QStringLiteral("") : search.trimmed();
    for (int i = 0; i < 3; ++i) query.addBindValue(text);
    query.exec();
    const QSqlError error = query.lastError();
    setQuery(std::move(query));
    return error;
}

QSqlError UserHistoryTable::show(BrowsingConnections& connections, qint64 userId) {
    QSqlQuery query(connections.reader());
    query.prepare(QString::fromLatin1(kHistoryQuery));
    query.addBindValue(userId);
    const bool ok = query.exec();
    QSqlError error;
    if (!ok)  // a closed connection fails without an error of its own
        error = query.lastError().isValid() ? query.lastError()
                                            : QSqlError(QStringLiteral("database not open"), {},
                                                        QSqlError::ConnectionError);
    setQuery(std::move(query));
    fetchAll(*this);
    return error;
}

}  // namespace animerec::storage

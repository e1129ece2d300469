#pragma once

#include <QSqlError>
#include <QSqlQueryModel>
#include <QString>
#include <QStringList>

namespace animerec::storage {

class BrowsingConnections;

// The read-only tables Studio browses, each one query on the read connection of
// BrowsingConnections, shown as is by a view. Column titles are part of the query.

// The catalogue: ID, Title, Genres, Type, Episodes, Rating, Members; most members first, at
// most 5000 titles.
class CatalogTable : public QSqlQueryModel {
public:
    using QSqlQueryModel::QSqlQueryModel;
    // Titles containing `title` (any case), listing `genre` and of `type`; an empty filter
    // matches every title. Reads every row at once. Empty when the database is absent.
    QSqlError search(BrowsingConnections& connections, const QString& title, const QString& genre,
                     const QString& type);
};
// The genres the catalogue lists (sorted) and its types (sorted, blank left out).
QStringList catalogGenres(BrowsingConnections& connections);
QStringList catalogTypes(BrowsingConnections& connections);

// The users: User, Name, Titles; at most 2000, by id.
class UserTable : public QSqlQueryModel {
public:
    using QSqlQueryModel::QSqlQueryModel;
    // Users whose id is `search` or whose name contains it (any case); everyone when empty.
    // Empty when the database is absent.
    QSqlError search(BrowsingConnections& connections, const QString& search);
};

// One user's history in sequence order: #, Title, Genres, Rating, Status, Episodes.
class UserHistoryTable : public QSqlQueryModel {
public:
    using QSqlQueryModel::QSqlQueryModel;
    // Reads every row at once; the error when the history could not be read.
    QSqlError show(BrowsingConnections& connections, qint64 userId);
};

}  // namespace animerec::storage

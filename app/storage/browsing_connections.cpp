#include "storage/browsing_connections.h"

#include <QSqlQuery>

#include "storage/database.h"
#include "storage/database_location.h"

namespace animerec::storage {

BrowsingConnections::BrowsingConnections(QString location, QString name)
    : location_(std::move(location)),
      readName_(name),
      writeName_(name + QStringLiteral("-write")) {}

BrowsingConnections::~BrowsingConnections() {
    for (const QString& name : {readName_, writeName_}) {
        if (!QSqlDatabase::contains(name)) continue;
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
}

QSqlDatabase BrowsingConnections::connection(const QString& name) {
    const DatabaseLocation location = DatabaseLocation::parse(location_);
    if (!QSqlDatabase::contains(name)) {
        QSqlDatabase db = addQtConnection(location, name);
        // The experiment writer and imports write from other connections: wait for their
        // short transactions instead of failing with "database is locked".
        if (location.backend == Backend::Sqlite)
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    }
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen() && location.exists()) db.open();
    return db;
}

QSqlDatabase BrowsingConnections::reader() { return connection(readName_); }

QSqlDatabase BrowsingConnections::writer() { return connection(writeName_); }

bool BrowsingConnections::hasData() {
    QSqlDatabase db = reader();
    if (!db.isOpen()) return false;
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT 1 FROM Anime LIMIT 1")) && query.next();
}

void BrowsingConnections::close() {
    for (const QString& name : {readName_, writeName_})
        if (QSqlDatabase::contains(name)) QSqlDatabase::database(name, false).close();
}

}  // namespace animerec::storage

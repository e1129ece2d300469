#pragma once

#include <QSqlDatabase>
#include <QString>

#include "storage/user_history.h"

namespace animerec::storage {

// The long-lived connections of one GUI thread to the database it browses (Studio): one for
// reads, whose lazily fetched tables (browsing_tables.h) keep statements open, and one for
// writes, because an open read snapshot cannot become a write once another connection (the
// experiment writer, the embedded server) committed. Each connects on first use; neither ever
// creates a database (a SQLite file must exist). Use them on the thread that made them.
class BrowsingConnections {
public:
    // `location`: a SQLite file or a postgresql:// URL (DatabaseLocation); `name` keeps the Qt
    // connection names of two instances apart.
    BrowsingConnections(QString location, QString name);
    ~BrowsingConnections();
    BrowsingConnections(const BrowsingConnections&) = delete;
    BrowsingConnections& operator=(const BrowsingConnections&) = delete;

    // The read connection, opened when needed; invalid (not open) when the database is absent.
    QSqlDatabase reader();
    // The write connection, opened when needed.
    QSqlDatabase writer();
    bool isOpen() { return reader().isOpen(); }
    // True when the database holds at least one anime.
    bool hasData();
    // Users created by hand and the titles they add, through the write connection.
    UserHistoryStore userHistory() { return UserHistoryStore(writer()); }
    // Closes both, so another thread can replace the database; the next use reopens them.
    void close();

private:
    QSqlDatabase connection(const QString& name);

    QString location_;
    QString readName_;
    QString writeName_;
};

}  // namespace animerec::storage

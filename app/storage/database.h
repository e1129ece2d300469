#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

struct sqlite3;

namespace animerec::storage {

// One named QSQLITE connection to the AnimeRec database file. Each thread that talks to the
// database needs its own Database (Qt connections are per thread), so give each a distinct
// connection name. The schema is created on open when missing; the journal is WAL so readers
// (the HTTP service, Studio) are not blocked by an import.
class Database {
public:
    explicit Database(QString path, QString connectionName = QStringLiteral("animerec"));
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens the file (creating it and its directory when missing), sets the pragmas and creates
    // missing tables and indexes. Returns an invalid QSqlError on success.
    QSqlError open();
    void close();
    bool isOpen() const { return db_.isOpen(); }

    QSqlDatabase connection() const { return db_; }
    const QString& path() const { return path_; }
    const QString& connectionName() const { return name_; }

    // The driver's own sqlite3 handle, for bulk work through the C API; nullptr when closed.
    sqlite3* sqliteHandle() const;

private:
    QString path_;
    QString name_;
    QSqlDatabase db_;
};

}  // namespace animerec::storage

#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include "storage/database_location.h"
#include "storage/sql_dialect.h"

struct sqlite3;
struct pg_conn;  // libpq's PGconn

namespace animerec::storage {

// Registers a Qt connection named `connectionName` for `location` (QSQLITE for a file, QPSQL with
// the URL's host, port, user, password, database and options), not yet opened. Database uses it;
// so does Studio for its long-lived browsing connections.
QSqlDatabase addQtConnection(const DatabaseLocation& location, const QString& connectionName);

// One named connection to the AnimeRec database: a SQLite file (QSQLITE) or a PostgreSQL
// database given as `postgresql://user:password@host:port/dbname` (QPSQL). Each thread that
// talks to the database needs its own Database (Qt connections are per thread), so give each a
// distinct connection name. The schema is created on open when missing. On SQLite the journal
// is WAL so readers (the HTTP service, Studio) are not blocked by an import.
class Database {
public:
    // `location`: a file path or a postgresql:// URL (see DatabaseLocation).
    explicit Database(QString location, QString connectionName = QStringLiteral("animerec"));
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens the database (SQLite: creating the file and its directory when missing), sets the
    // session options and creates missing tables and indexes. Returns an invalid QSqlError on
    // success. Error texts never contain the password.
    QSqlError open();
    void close();
    bool isOpen() const { return db_.isOpen(); }

    QSqlDatabase connection() const { return db_; }
    // For messages: the SQLite path, or the PostgreSQL URL without its password.
    const QString& path() const { return location_.displayName; }
    // The location as given (password included): to open another connection to it.
    const QString& location() const { return location_.text; }
    const QString& connectionName() const { return name_; }
    Backend backend() const { return location_.backend; }
    SqlDialect dialect() const { return SqlDialect(location_.backend); }
    // Default reject report of an import: "<file>.rejects.txt" next to a SQLite file, else
    // "<dbname>.rejects.txt" in the working directory.
    QString defaultRejectsPath() const;

    // The driver's own sqlite3 handle, for bulk work through the C API; nullptr when closed or
    // not SQLite.
    sqlite3* sqliteHandle() const;
    // The driver's own libpq connection, for COPY; nullptr when closed or not PostgreSQL.
    pg_conn* postgresHandle() const;

private:
    QSqlError openSqlite();
    QSqlError openPostgres();
    QSqlError createSchema();

    DatabaseLocation location_;
    QString name_;
    QSqlDatabase db_;
};

}  // namespace animerec::storage

#pragma once

#include <QString>

#include "storage/sql_dialect.h"

namespace animerec::storage {

// Where the database lives, from `--db` / $ANIMEREC_DB: a SQLite file path, or a PostgreSQL URL
// `postgresql://user:password@host:port/dbname` (also `postgres://`; `?host=/socket/dir` and
// other libpq keywords go in the query string). The password is kept out of displayName().
struct DatabaseLocation {
    Backend backend = Backend::Sqlite;
    QString text;         // as given (with the password): to open another connection
    QString displayName;  // SQLite: the path; PostgreSQL: the URL without the password
    // PostgreSQL only
    QString host;   // name, address or unix socket directory; empty = libpq default
    int port = -1;  // -1 = libpq default (5432)
    QString user;
    QString password;
    QString databaseName;
    QString connectOptions;  // "key=value;key=value" for QSqlDatabase::setConnectOptions

    // An empty error means `text` was understood. A URL without a database name is an error.
    static DatabaseLocation parse(const QString& text, QString* error = nullptr);
    static bool isPostgresUrl(const QString& text);
    // A PostgreSQL URL always "exists" (connecting says whether it does); a SQLite file must be
    // there (opening it through Database would create it).
    bool exists() const;
};

}  // namespace animerec::storage

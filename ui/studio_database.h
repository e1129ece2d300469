#pragma once

#include <QString>

namespace animerec::ui {

// Studio opens either database the command-line tools take: a SQLite file or a
// postgresql://user:password@host:port/dbname URL (the one the server replicas share).

// A PostgreSQL URL always "exists" (connecting says whether it does); a SQLite file must be there:
// Studio never creates an empty database just by opening it.
bool databaseExists(const QString& location);
// For titles and messages: the SQLite path, or the URL without its password.
QString databaseDisplayName(const QString& location);
// Where Studio keeps files that belong to the database (models/, demo-data/): beside a SQLite
// file; var/ under the working directory for PostgreSQL, as `animerec serve` does.
QString localDataDirectory(const QString& location);
bool isPostgresLocation(const QString& location);

}  // namespace animerec::ui

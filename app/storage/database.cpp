#include "storage/database.h"

#include <sqlite3.h>

#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QVariant>

#include "storage/schema.h"

namespace animerec::storage {

Database::Database(QString path, QString connectionName)
    : path_(std::move(path)), name_(std::move(connectionName)) {}

Database::~Database() { close(); }

void Database::close() {
    if (!db_.isValid()) return;
    db_.close();
    db_ = QSqlDatabase();  // removeDatabase wants no live handles to the connection
    QSqlDatabase::removeDatabase(name_);
}

QSqlError Database::open() {
    close();
    const QFileInfo file(path_);
    if (!QDir().mkpath(file.absolutePath()))
        return QSqlError(QStringLiteral("cannot create directory %1").arg(file.absolutePath()),
                         {}, QSqlError::ConnectionError);
    db_ = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name_);
    db_.setDatabaseName(path_);
    if (!db_.open()) return db_.lastError();

    QSqlQuery query(db_);
    // WAL: readers keep working during an import; NORMAL sync is durable enough with WAL.
    const char* pragmas[] = {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                             "PRAGMA busy_timeout = 5000"};
    for (const char* pragma : pragmas)
        if (!query.exec(QString::fromLatin1(pragma))) return query.lastError();
    for (const char* statement : schema::kCreateTables)
        if (!query.exec(QString::fromUtf8(statement))) return query.lastError();
    for (const char* statement : schema::kCreateIndexes)
        if (!query.exec(QString::fromUtf8(statement))) return query.lastError();
    return {};
}

sqlite3* Database::sqliteHandle() const {
    if (!db_.isOpen()) return nullptr;
    const QVariant handle = db_.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

}  // namespace animerec::storage

#include "storage/database.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include "storage/schema.h"

namespace animerec::storage {

namespace {

// Any constant works: it only has to be the same in every AnimeRec process.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7410093201)";

}  // namespace

Database::Database(QString location, QString connectionName)
    : location_(DatabaseLocation::parse(location)), name_(std::move(connectionName)) {}

QSqlDatabase addQtConnection(const DatabaseLocation& location, const QString& connectionName) {
    if (location.backend == Backend::Sqlite) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(location.text);
        return db;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(location.host);
    if (location.port > 0) db.setPort(location.port);
    db.setUserName(location.user);
    db.setPassword(location.password);
    db.setDatabaseName(location.databaseName);
    db.setConnectOptions(location.connectOptions);
    return db;
}

Database::~Database() { close(); }

void Database::close() {
    if (!db_.isValid()) return;
    db_.close();
    db_ = QSqlDatabase();  // removeDatabase wants no live handles to the connection
    QSqlDatabase::removeDatabase(name_);
}

QString Database::defaultRejectsPath() const {
    if (backend() == Backend::Sqlite) return location_.text + QStringLiteral(".rejects.txt");
    return location_.databaseName + QStringLiteral(".rejects.txt");
}

QSqlError Database::open() {
    close();
    const QSqlError error = backend() == Backend::Sqlite ? openSqlite() : openPostgres();
    if (error.isValid()) return error;
    return createSchema();
}

QSqlError Database::openSqlite() {
    const QFileInfo file(location_.text);
    if (!QDir().mkpath(file.absolutePath()))
        return QSqlError(QStringLiteral("cannot create directory %1").arg(file.absolutePath()), {},
                         QSqlError::ConnectionError);
    db_ = addQtConnection(location_, name_);
    if (!db_.open()) return db_.lastError();

    QSqlQuery query(db_);
    // WAL: readers keep working during an import; NORMAL sync is durable enough with WAL.
    const char* pragmas[] = {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                             "PRAGMA busy_timeout = 5000"};
    for (const char* pragma : pragmas)
        if (!query.exec(QString::fromLatin1(pragma))) return query.lastError();
    return {};
}

QSqlError Database::openPostgres() {
    QString problem;
    DatabaseLocation::parse(location_.text, &problem);
    if (!problem.isEmpty()) return QSqlError(problem, {}, QSqlError::ConnectionError);
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return QSqlError(QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed "
                                        "(Debian: libqt6sql6-psql)"),
                         {}, QSqlError::ConnectionError);
    db_ = addQtConnection(location_, name_);
    // libpq's messages name the host and socket but never the password.
    if (!db_.open()) return db_.lastError();
    QSqlQuery query(db_);
    // CREATE ... IF NOT EXISTS reports existing objects as NOTICEs: keep them off stderr.
    if (!query.exec(QStringLiteral("SET client_min_messages = warning"))) return query.lastError();
    return {};
}

QSqlError Database::createSchema() {
    const SqlDialect sql = dialect();
    QSqlQuery query(db_);
    // Two processes creating the same tables at once race on the catalogue in PostgreSQL;
    // one transaction under an advisory lock serialises them. SQLite needs neither.
    const bool transaction = sql.isPostgres();
    if (transaction && !db_.transaction()) return db_.lastError();
    const auto fail = [&](const QSqlError& error) {
        if (transaction) db_.rollback();
        return error;
    };
    if (transaction && !query.exec(QString::fromLatin1(kSchemaLock)))
        return fail(query.lastError());
    for (const char* statement : schema::kCreateTables)
        if (!query.exec(sql.ddl(statement))) return fail(query.lastError());
    for (const char* statement : schema::kCreateIndexes)
        if (!query.exec(sql.ddl(statement))) return fail(query.lastError());
    if (sql.separateHistoryIndex() && !query.exec(sql.ddl(schema::kCreateUserIndex)))
        return fail(query.lastError());
    for (const char* statement : schema::kDropRetiredIndexes)
        if (!query.exec(QString::fromLatin1(statement))) return fail(query.lastError());
    for (const schema::AddedColumn& added : schema::kAddedColumns) {
        // QPSQL reports unquoted identifiers folded to lower case.
        const QString table = QString::fromLatin1(added.table);
        const QSqlRecord columns = db_.record(sql.isPostgres() ? table.toLower() : table);
        if (columns.contains(QString::fromLatin1(added.column))) continue;
        if (!query.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3")
                            .arg(table, QString::fromLatin1(added.column),
                                 QString::fromLatin1(added.definition))))
            return fail(query.lastError());
    }
    if (transaction && !db_.commit()) return fail(db_.lastError());
    return {};
}

sqlite3* Database::sqliteHandle() const {
    if (!db_.isOpen() || backend() != Backend::Sqlite) return nullptr;
    const QVariant handle = db_.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

pg_conn* Database::postgresHandle() const {
    if (!db_.isOpen() || backend() != Backend::Postgres) return nullptr;
    const QVariant handle = db_.driver()->handle();
    // Qt 6.4 names the type "pg_conn*", other versions "PGconn*": the same libpq struct.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<pg_conn* const*>(handle.constData());
}

}  // namespace animerec::storage

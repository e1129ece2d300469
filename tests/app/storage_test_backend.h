#pragma once

// Which database the storage tests run against. ANIMEREC_TEST_BACKEND=postgres selects
// PostgreSQL at ANIMEREC_TEST_PG_URL, or at the URL that scripts/postgres-test-cluster.sh wrote
// to $ANIMEREC_TEST_PG_STATE/url (CTest's postgres fixture); anything else means SQLite. A
// PostgreSQL run without a reachable server is an error (error() is set), never a skip.
#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>
#include <memory>

#include "storage/database.h"
#include "storage/database_location.h"

namespace animerec::testing {

class StorageTestBackend {
public:
    StorageTestBackend() {
        postgres_ = qEnvironmentVariable("ANIMEREC_TEST_BACKEND") == QLatin1String("postgres");
        if (!postgres_) return;
        baseUrl_ = qEnvironmentVariable("ANIMEREC_TEST_PG_URL");
        const QString state = qEnvironmentVariable("ANIMEREC_TEST_PG_STATE");
        if (baseUrl_.isEmpty() && !state.isEmpty()) {
            QFile file(state + QStringLiteral("/url"));
            if (file.open(QIODevice::ReadOnly))
                baseUrl_ = QString::fromUtf8(file.readAll()).trimmed();
        }
        if (baseUrl_.isEmpty()) {
            error_ = QStringLiteral(
                "ANIMEREC_TEST_BACKEND=postgres but no server: set ANIMEREC_TEST_PG_URL or start "
                "one with scripts/postgres-test-cluster.sh start STATE_DIR and set "
                "ANIMEREC_TEST_PG_STATE=STATE_DIR (ctest does both)");
            return;
        }
        const storage::DatabaseLocation location = storage::DatabaseLocation::parse(baseUrl_);
        admin_ = storage::addQtConnection(location, QStringLiteral("test-admin"));
        if (!admin_.open())
            error_ = QStringLiteral("cannot reach the PostgreSQL test server %1: %2")
                         .arg(location.displayName, admin_.lastError().text());
        else
            QSqlQuery(admin_).exec(QStringLiteral("SET client_min_messages = warning"));
    }

    bool isPostgres() const { return postgres_; }
    QString name() const {
        return postgres_ ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
    }
    // Non-empty: the backend cannot be used; fail the test case with this text.
    const QString& error() const { return error_; }

    // A new, empty database called after `name`: a file in `dir`, or a freshly created
    // PostgreSQL database (its URL carries a password, which must never be printed).
    QString freshLocation(const QTemporaryDir& dir, const QString& name) {
        if (!postgres_) return dir.filePath(name);
        QString database = QStringLiteral("t_") + name.toLower();
        database.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
        QSqlQuery query(admin_);
        if (!query.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database)) ||
            !query.exec(QStringLiteral("CREATE DATABASE %1").arg(database)))
            qFatal("cannot create test database %s: %s", qPrintable(database),
                   qPrintable(query.lastError().text()));
        QUrl url(baseUrl_);
        url.setPassword(QStringLiteral("never-printed"));
        url.setPath(QStringLiteral("/") + database);
        return url.toString();
    }

    // freshLocation(dir, name) opened as connection `connectionName` (schema created); a failure
    // ends the test run with the database's message.
    std::unique_ptr<storage::Database> openFresh(const QTemporaryDir& dir, const QString& name,
                                                 const QString& connectionName) {
        auto db = std::make_unique<storage::Database>(freshLocation(dir, name), connectionName);
        const QSqlError error = db->open();
        if (error.isValid()) qFatal("open failed: %s", qPrintable(error.text()));
        return db;
    }

    // Stores the anime ids of `catalog` in `database`'s Anime table (title = the id), so rows
    // that reference them satisfy PostgreSQL's foreign keys as after a real import. Returns the
    // database's error text, empty on success.
    template <typename CatalogType>
    static QString storeCatalogIds(const QSqlDatabase& database, const CatalogType& catalog) {
        QSqlQuery insert(database);
        insert.prepare(QStringLiteral("INSERT INTO Anime (anime_id, title) VALUES (?, ?)"));
        for (int item = 0; item < static_cast<int>(catalog.size()); ++item) {
            insert.bindValue(0, static_cast<qint64>(catalog.idAt(item)));
            insert.bindValue(1, QString::number(catalog.idAt(item)));
            if (!insert.exec()) return insert.lastError().text();
        }
        return {};
    }

    // How many of the import's secondary indexes exist (PostgreSQL has none: its primary key is
    // the per-user index).
    QString interactionIndexCountSql() const {
        return postgres_ ? QStringLiteral(
                               "SELECT count(*) FROM pg_indexes "
                               "WHERE indexname LIKE 'idx_interactions_%'")
                         : QStringLiteral(
                               "SELECT count(*) FROM sqlite_master WHERE type = "
                               "'index' AND name LIKE 'idx_interactions_%'");
    }

private:
    bool postgres_ = false;
    QString baseUrl_;
    QString error_;
    QSqlDatabase admin_;
};

}  // namespace animerec::testing

// What other stores rely on, on SQLite and (ANIMEREC_TEST_BACKEND=postgres) PostgreSQL: the
// --db location parsing, passwords kept out of messages, the dialect-built schema (identity
// keys, 64-bit millisecond times, doubles), statements written once for both backends
// (RETURNING, ON CONFLICT DO NOTHING) and the evaluation history.
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "eval/evaluation_report.h"
#include "storage/database.h"
#include "storage/database_location.h"
#include "storage/evaluation_store.h"
#include "storage/sql_dialect.h"
#include "storage_test_backend.h"

using namespace animerec;
using namespace animerec::storage;

class TestStorageBackends : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    testing::StorageTestBackend backend_;
    int connections_ = 0;

    std::unique_ptr<Database> openDb(const QString& name) {
        return backend_.openFresh(dir_, name, QString("backends%1").arg(++connections_));
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
        qInfo("backend: %s", qPrintable(backend_.name()));
    }

    void locationParsing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("display");
        QTest::addColumn<bool>("valid");
        QTest::addRow("sqlite path") << "var/animerec.sqlite" << false << "" << -1 << ""
                                     << ""
                                     << "var/animerec.sqlite" << true;
        QTest::addRow("full url") << "postgresql://anna:pa%40ss@db.local:5433/anime" << true
                                  << "db.local" << 5433 << "anna"
                                  << "anime"
                                  << "postgresql://anna@db.local:5433/anime" << true;
        QTest::addRow("socket dir")
            << "postgres://anna@/anime?host=/run/pg" << true << "/run/pg" << -1 << "anna"
            << "anime"
            << "postgres://anna@/anime?host=/run/pg" << true;
        QTest::addRow("no database")
            << "postgresql://anna:secret@db.local/" << true << "db.local" << -1 << "anna"
            << ""
            << "postgresql://anna@db.local/" << false;
    }

    void locationParsing() {
        QFETCH(QString, text);
        QFETCH(bool, postgres);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, database);
        QFETCH(QString, display);
        QFETCH(bool, valid);
        QString error;
        const DatabaseLocation location = DatabaseLocation::parse(text, &error);
        QCOMPARE(location.backend == Backend::Postgres, postgres);
        QCOMPARE(error.isEmpty(), valid);
        QCOMPARE(location.displayName, display);
        QVERIFY(!error.contains("secret"));
        if (!postgres) return;
        QCOMPARE(location.host, host);
        QCOMPARE(location.port, port);
        QCOMPARE(location.user, user);
        QCOMPARE(location.databaseName, database);
    }

    void passwordNeverShown() {
        Database db(
            "postgresql://anna:s3cret-pw@/anime?host=/nonexistent-socket-dir&connect_timeout=2",
            "password-check");
        const QSqlError error = db.open();
        QVERIFY(error.isValid());
        QVERIFY2(!error.text().contains("s3cret"), qPrintable(error.text()));
        QVERIFY(!db.path().contains("s3cret"));
        QCOMPARE(
            db.path(),
            QString("postgresql://anna@/anime?host=/nonexistent-socket-dir&connect_timeout=2"));
        QVERIFY(db.location().contains("s3cret"));  // kept to open further connections
    }

    void dialectStatementsRunOnBothBackends() {
        auto db = openDb("dialect.sqlite");
        QCOMPARE(db->backend() == Backend::Postgres, backend_.isPostgres());
        QSqlDatabase connection = db->connection();
        // Identity keys assigned by the database, read back with RETURNING.
        QSqlQuery insert(connection);
        QVERIFY(
            insert.prepare("INSERT INTO Feedback (user_id, anime_id, event, value, created_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING feedback_id"));
        const qint64 createdAt = 1'732'000'000'123;  // milliseconds: needs 64 bits
        QList<qint64> ids;
        for (int i = 0; i < 2; ++i) {
            insert.addBindValue(qint64(5'000'000'000) + i);
            insert.addBindValue(20);
            insert.addBindValue("rate");
            insert.addBindValue(0.1 + 0.2);
            insert.addBindValue(createdAt + i);
            QVERIFY2(insert.exec() && insert.next(), qPrintable(insert.lastError().text()));
            ids << insert.value(0).toLongLong();
            insert.finish();
        }
        QCOMPARE(ids, (QList<qint64>{1, 2}));
        QSqlQuery read(connection);
        QVERIFY(read.exec("SELECT user_id, value, created_at FROM Feedback ORDER BY feedback_id"));
        QVERIFY(read.next());
        QCOMPARE(read.value(0).toLongLong(), qint64(5'000'000'000));
        QCOMPARE(read.value(1).toDouble(), 0.1 + 0.2);  // a double, not a 4-byte float
        QCOMPARE(read.value(2).toLongLong(), createdAt);
        read.finish();

        // Upsert that keeps the existing row, in the one spelling both accept.
        QSqlQuery upsert(connection);
        QVERIFY(
            upsert.prepare("INSERT INTO Users (user_id, name) VALUES (?, ?) "
                           "ON CONFLICT DO NOTHING"));
        for (const QString& name : {QString("first"), QString("second")}) {
            upsert.addBindValue(qint64(7'000'000'000));
            upsert.addBindValue(name);
            QVERIFY2(upsert.exec(), qPrintable(upsert.lastError().text()));
        }
        QVERIFY(read.exec("SELECT count(*), min(name) FROM Users"));
        QVERIFY(read.next());
        QCOMPARE(read.value(0).toLongLong(), 1);
        QCOMPARE(read.value(1).toString(), QString("first"));
        read.finish();

        // Experiments: identity key and a UNIQUE name.
        QSqlQuery experiment(connection);
        QVERIFY(experiment.prepare(
            "INSERT INTO Experiments (name, salt, status, routes, variants, created_at, "
            "updated_at) VALUES (?, 's', 'draft', '[]', '[]', ?, ?) RETURNING experiment_id"));
        experiment.addBindValue("exp");
        experiment.addBindValue(createdAt);
        experiment.addBindValue(createdAt);
        QVERIFY2(experiment.exec() && experiment.next(), qPrintable(experiment.lastError().text()));
        QCOMPARE(experiment.value(0).toLongLong(), 1);
        experiment.finish();
        experiment.addBindValue("exp");
        experiment.addBindValue(createdAt);
        experiment.addBindValue(createdAt);
        QVERIFY(!experiment.exec());
    }

    void schemaTypes() {
        const SqlDialect sqlite(Backend::Sqlite);
        const SqlDialect postgres(Backend::Postgres);
        const char* ddl = "CREATE TABLE t (id {ID}, k {KEY}, n {BIGINT}, x {DOUBLE}, i INTEGER)";
        QCOMPARE(sqlite.ddl(ddl), QString("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER "
                                          "PRIMARY KEY, n INTEGER, x REAL, i INTEGER)"));
        QCOMPARE(postgres.ddl(ddl),
                 QString("CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                         "k BIGINT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, i INTEGER)"));
        if (!backend_.isPostgres()) return;
        auto db = openDb("types.sqlite");
        QSqlQuery query(db->connection());
        QVERIFY(
            query.exec("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = 'public' AND (column_name LIKE '%\\_id' OR "
                       "column_name LIKE '%\\_at') AND data_type NOT IN ('bigint', 'text')"));
        QStringList narrow;
        while (query.next()) narrow << query.value(0).toString() + "." + query.value(1).toString();
        QVERIFY2(narrow.isEmpty(), qPrintable(narrow.join(", ")));
    }

    void evaluationHistory() {
        auto db = openDb("evaluation.sqlite");
        EvaluationReport report;
        report.protocol = {{"protocol", "holdout"}, {"test_share", "0.2"}};
        ModelReport model;
        model.model = "als";
        model.metrics = {{"recall@10", 0.25},
                         {"recall@10_ci_low", 0.2},
                         {"recall@10_ci_high", 0.3},
                         {"rmse", 1.5}};
        model.evaluatedUsers = 42;
        report.models.push_back(model);
        EvaluationStore store(*db);
        qint64 first = 0, second = 0;
        QVERIFY(!store.saveRun(report, 5'000'000'000, 10, &first).isValid());
        QVERIFY(!store.saveRun(report, 7, 20, &second).isValid());
        QCOMPARE(first, 1);
        QCOMPARE(second, 2);
        QVector<EvaluationRun> runs;
        QVERIFY(!store.listRuns(runs).isValid());
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].runId, 2);  // newest first
        QCOMPARE(runs[1].seed, qint64(5'000'000'000));
        QVector<EvaluationMetric> metrics;
        QVERIFY(!store.metricsOf(first, metrics).isValid());
        QCOMPARE(metrics.size(), 5);  // recall@10, rmse, train/eval seconds, users
        const auto recall =
            std::find_if(metrics.begin(), metrics.end(),
                         [](const EvaluationMetric& m) { return m.metric == "recall"; });
        QVERIFY(recall != metrics.end());
        QCOMPARE(recall->k, 10);
        QCOMPARE(recall->value, 0.25);
        QCOMPARE(*recall->ciLow, 0.2);
        QCOMPARE(*recall->ciHigh, 0.3);
    }
};

QTEST_GUILESS_MAIN(TestStorageBackends)
#include "test_storage_backends.moc"

// The import path on SQLite and, with ANIMEREC_TEST_BACKEND=postgres, on PostgreSQL (CTest
// runs both: test_import and test_import_postgres): the shipped real sample end to end, rejects
// with line numbers, all-or-nothing failures (reject limit, bad header, cancel), idempotent
// re-import, loading back a Dataset and the `animerec import` command. The layouts not shipped
// are imported by test_import_real_layouts (the real-data group).
#include <QSqlQuery>
#include <QtTest>
#include <stdexcept>

#include "cli/commands.h"
#include "data/csv_dataset.h"
#include "import_test_support.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/importer.h"

using namespace animerec;
using namespace animerec::storage;
using namespace animerec::testing;

namespace {
const QString kAnime = kSampleAnime;
const QString kHead = kSampleHead;
}  // namespace

class TestImport : public QObject {
    Q_OBJECT

private:
    ImportFixture fx_;
    QString cliLocation_;

private slots:
    void initTestCase() {
        QVERIFY(fx_.dir.isValid());
        QVERIFY2(fx_.backend.error().isEmpty(), qPrintable(fx_.backend.error()));
        qInfo("backend: %s", qPrintable(fx_.backend.name()));
    }

    void cooperUnionEndToEnd() {
        auto db = fx_.openDb("cooper.sqlite");
        const ImportSummary summary = importDataset(*db, fx_.options(kAnime, kHead));
        QCOMPARE(summary.animeRows, 12294);
        QCOMPARE(summary.interactions, 101001);
        QCOMPARE(summary.users, 1036);
        QCOMPARE(summary.animeRejects + summary.interactionRejects, 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime"), 12294);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime WHERE episodes IS NULL"), 340);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime WHERE rating IS NULL"), 230);
        QCOMPARE(
            scalar(*db,
                   "SELECT count(*) FROM Anime WHERE title LIKE '%&#%' OR title LIKE '%&amp;%'"),
            0);
        QSqlQuery query(db->connection());
        query.prepare("SELECT title, genre FROM Anime WHERE anime_id = ?");
        query.addBindValue(9969);
        QVERIFY(query.exec() && query.next());
        QCOMPARE(query.value(0).toString(), QString("Gintama'"));
        QCOMPARE(query.value(1).toString(),
                 QString("Action, Comedy, Historical, Parody, Samurai, Sci-Fi, Shounen"));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), 101001);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users"), 1036);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions WHERE rating IS NULL"),
                 20067);
        // interaction_id keeps file order: row 1 of the file is "1,20,-1".
        QCOMPARE(scalar(*db, "SELECT anime_id FROM UserAnimeInteractions WHERE interaction_id = 1"),
                 20);
        QCOMPARE(scalar(*db, "SELECT max(interaction_id) FROM UserAnimeInteractions"), 101001);
        QCOMPARE(fx_.indexCount(*db), fx_.backend.isPostgres() ? 0 : 1);
        QCOMPARE(scalar(*db, "SELECT interactions FROM ImportRuns ORDER BY run_id DESC LIMIT 1"),
                 101001);
        if (fx_.backend.isPostgres()) {
            fx_.checkPostgresConstraints(*db);
            QSqlQuery type(db->connection());
            QVERIFY(type.exec("SELECT data_type FROM information_schema.columns WHERE table_name = "
                              "'useranimeinteractions' AND column_name = 'user_id'") &&
                    type.next());
            QCOMPARE(type.value(0).toString(), QString("bigint"));
            // New rows (feedback) get ids after the imported ones.
            QCOMPARE(scalar(*db,
                            "SELECT nextval(pg_get_serial_sequence('useranimeinteractions', "
                            "'interaction_id'))"),
                     101002);
            return;
        }
        QSqlQuery journal(db->connection());
        QVERIFY(journal.exec("PRAGMA journal_mode") && journal.next());
        QCOMPARE(journal.value(0).toString(), QString("wal"));
    }

    void brokenFileRejectsAtTheRightLines() {
        const QString path = fx_.dir.filePath("broken.csv");
        writeFile(path,
                  "user_id,anime_id,rating\n"  // 1
                  "1,20,-1\n"                  // 2
                  "1,24,8\n"                   // 3
                  "1,abc,5\n"                  // 4  non-numeric id
                  "2,20,7\r\n"                 // 5
                  "2,24\n"                     // 6  column count
                  "2,\"79\",9\n"               // 7  quoted id is fine
                  "3,99999999,7\n"             // 8  unknown anime
                  "3,20,11\n"                  // 9  rating range
                  "3,24,\"6\n"                 // 10 open quote to the end
                  "4,20,6");                   // 11
        auto db = fx_.openDb("broken.sqlite");
        const ImportSummary summary = importDataset(*db, fx_.options(kAnime, path, 0.6));
        QCOMPARE(summary.interactions, 5);
        QCOMPARE(summary.interactionRejects, 5);
        QFile rejects(summary.rejectsPath);
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(rejects.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines, (QStringList{path + ":4: field anime_id: 'abc' is not an integer",
                                     path + ":6: wrong column count 2, expected 3",
                                     path + ":8: unknown anime_id 99999999",
                                     path + ":9: rating 11 outside 1..10",
                                     path + ":10: unterminated quote"}));
    }

    void failuresLeaveTheDatabaseUnchanged_data() {
        QTest::addColumn<QByteArray>("interactions");
        QTest::addColumn<QString>("message");
        QTest::addRow("reject share")
            << QByteArray("user_id,anime_id,rating\n1,20,5\n1,abc,5\n1,99999999,5\n")
            << "2 of 3 rows rejected";
        QTest::addRow("unknown header")
            << QByteArray("uid,item,score\n1,20,5\n") << "unknown interactions CSV header";
        QTest::addRow("missing column")
            << QByteArray("user_id,anime_id\n1,20\n") << "missing column 'rating'";
    }

    void failuresLeaveTheDatabaseUnchanged() {
        QFETCH(QByteArray, interactions);
        QFETCH(QString, message);
        auto db = fx_.openDb(QString("unchanged%1.sqlite").arg(fx_.connections()));
        importDataset(*db, fx_.options(kAnime, kSamplePart1));
        const QByteArray before = snapshot(*db);
        const QString path = fx_.dir.filePath("bad.csv");
        writeFile(path, interactions);
        QString error;
        try {
            importDataset(*db, fx_.options(kAnime, path, 0.5));
        } catch (const std::invalid_argument& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(snapshot(*db), before);
        QCOMPARE(fx_.indexCount(*db), fx_.backend.isPostgres() ? 0 : 1);
        if (fx_.backend.isPostgres()) fx_.checkPostgresConstraints(*db);
    }

    void cancelRollsBack_data() {
        QTest::addColumn<QString>("stage");
        QTest::addRow("anime") << "import anime";
        QTest::addRow("interactions") << "import interactions";
        QTest::addRow("indexes") << "build indexes";
    }

    void cancelRollsBack() {
        QFETCH(QString, stage);
        auto db = fx_.openDb(QString("cancel%1.sqlite").arg(fx_.connections()));
        importDataset(*db, fx_.options(kAnime, kSamplePart1));
        const QByteArray before = snapshot(*db);
        bool asked = false;
        const ProgressCallback cancel = [&](const Progress& progress) {
            if (QString::fromStdString(progress.stage) != stage) return true;
            asked = true;
            return false;
        };
        QVERIFY_THROWS_EXCEPTION(OperationCancelled,
                                 importDataset(*db, fx_.options(kAnime, kHead), cancel));
        QVERIFY(asked);
        QCOMPARE(snapshot(*db), before);
        QCOMPARE(fx_.indexCount(*db), fx_.backend.isPostgres() ? 0 : 1);
        if (fx_.backend.isPostgres()) fx_.checkPostgresConstraints(*db);
    }

    void reimportIsIdempotent() {
        auto db = fx_.openDb("again.sqlite");
        importDataset(*db, fx_.options(kAnime, kSamplePart1));
        importDataset(*db, fx_.options(kAnime, kHead));
        const QByteArray first = snapshot(*db, false);
        importDataset(*db, fx_.options(kAnime, kHead));
        QCOMPARE(snapshot(*db, false), first);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM ImportRuns"), 3);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), 101001);
    }

    void datasetLoaderMatchesTheCsvLoader() {
        auto db = fx_.openDb("loader.sqlite");
        checkLoaderMatchesCsv(*db, fx_.options(kAnime, kHead));
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addRow("ok") << QStringList{"--anime", kAnime, "--interactions", kHead} << 0;
        QTest::addRow("missing --interactions") << QStringList{"--anime", kAnime} << 2;
        QTest::addRow("bad share")
            << QStringList{"--anime", kAnime, "--interactions", kHead, "--max-reject-share", "2"}
            << 2;
        // Two of three rows name anime the catalogue lacks: over the default 0.2 reject share.
        const QString mostlyUnknown = fx_.dir.filePath("mostly-unknown.csv");
        writeFile(mostlyUnknown, "user_id,anime_id,rating\n1,1,9\n1,99999998,5\n2,99999999,7\n");
        QTest::addRow("share exceeded")
            << QStringList{"--anime", kAnime, "--interactions", mostlyUnknown} << 1;
        QTest::addRow("no such file")
            << QStringList{"--anime", kAnime, "--interactions", fx_.dir.filePath("nope.csv")} << 1;
    }

    void commandLine() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        if (cliLocation_.isEmpty()) cliLocation_ = fx_.backend.freshLocation(fx_.dir, "cli.sqlite");
        const QString dbPath = cliLocation_;
        // The PostgreSQL default report goes to the working directory: keep it in fx_.dir.
        if (fx_.backend.isPostgres())
            arguments << "--rejects" << fx_.dir.filePath("cli-rejects.txt");
        QCOMPARE(cli::runImport(QStringList{"import", "--db", dbPath} + arguments), exitCode);
        if (exitCode == 0) {
            Database db(dbPath, "cli-check");
            QVERIFY(!db.open().isValid());
            QCOMPARE(scalar(db, "SELECT count(*) FROM UserAnimeInteractions"), 101001);
        }
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"

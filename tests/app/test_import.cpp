// The import path on SQLite and, with ANIMEREC_TEST_BACKEND=postgres, on PostgreSQL (CTest
// runs both: test_import and test_import_postgres): real files end to end, rejects with line
// numbers, all-or-nothing failures (reject limit, bad header, cancel), idempotent re-import,
// loading back a Dataset and the `animerec import` command.
#include <QCryptographicHash>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

#include "cli/commands.h"
#include "data/csv_dataset.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/importer.h"
#include "storage_test_backend.h"

using namespace animerec;
using namespace animerec::storage;

namespace {

const QString kReal = QStringLiteral(ANIMEREC_REAL_DATA_DIR);
const QString kAnime = kReal + "/cooperunion/anime.csv";
const QString kHead = kReal + "/cooperunion/rating_head_users1-1036.csv";

qint64 scalar(const Database& db, const QString& sql) {
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next()) qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

// Every row of every table, hashed: equal hashes mean row-for-row equal contents.
QByteArray snapshot(const Database& db, bool withRuns = true) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QStringList tables{"Anime", "Users", "UserAnimeInteractions"};
    if (withRuns) tables << "ImportRuns";
    for (const QString& table : tables) {
        QSqlQuery query(db.connection());
        query.setForwardOnly(true);
        if (!query.exec("SELECT * FROM " + table + " ORDER BY 1")) qFatal("dump failed");
        // record() is rebuilt per call (slow on QPSQL): read the column count once.
        const int columns = query.record().count();
        while (query.next()) {
            for (int i = 0; i < columns; ++i)
                hash.addData((query.value(i).isNull() ? QString("<null>") : query.value(i).toString()).toUtf8() + '\x1f');
            hash.addData("\n");
        }
        hash.addData(table.toUtf8());
    }
    return hash.result();
}

// Independent expectation for a file pair: anime ids from the first column of the anime file,
// and the rows whose anime_id column (a plain split; it precedes any quoted field) is among
// them. Returns {accepted rows, distinct users, rejected rows}.
struct Expected {
    qint64 accepted = 0;
    qint64 users = 0;
    qint64 rejected = 0;
};

Expected expectedFor(const QString& animePath, const QString& interactionsPath) {
    std::set<QString> animeIds;
    std::ifstream anime(animePath.toStdString());
    std::string line;
    std::getline(anime, line);
    while (std::getline(anime, line)) animeIds.insert(QString::fromStdString(line.substr(0, line.find(','))));
    std::ifstream input(interactionsPath.toStdString());
    std::getline(input, line);
    const QStringList header = QString::fromStdString(line).trimmed().split(',');
    const int animeColumn = int(header.indexOf("anime_id"));
    const int userColumn = header.contains("username") ? int(header.indexOf("username")) : int(header.indexOf("user_id"));
    Expected expected;
    std::set<QString> users;
    while (std::getline(input, line)) {
        // A record continues while its quotes are unbalanced (2018 tags hold line breaks).
        std::string more;
        while (std::count(line.begin(), line.end(), '"') % 2 == 1 && std::getline(input, more))
            line += "\n" + more;
        const QStringList fields = QString::fromStdString(line).trimmed().split(',');
        if (animeIds.count(fields.at(animeColumn))) {
            ++expected.accepted;
            users.insert(fields.at(userColumn));
        } else {
            ++expected.rejected;
        }
    }
    expected.users = qint64(users.size());
    return expected;
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

}  // namespace

class TestImport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int connections_ = 0;
    testing::StorageTestBackend backend_;
    QString cliLocation_;

    std::unique_ptr<Database> openDb(const QString& name) {
        return backend_.openFresh(dir_, name, QString("test%1").arg(++connections_));
    }

    qint64 indexCount(const Database& db) { return scalar(db, backend_.interactionIndexCountSql()); }

    // PostgreSQL: the primary key (user_id, interaction_id) and both foreign keys of
    // UserAnimeInteractions exist (the import drops them during COPY and adds them back, or a
    // rollback restores them); the key is the table's only index.
    void checkPostgresConstraints(const Database& db) {
        QCOMPARE(scalar(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                            "'useranimeinteractions'::regclass AND contype IN ('p', 'f')"), 3);
        QSqlQuery key(db.connection());
        QVERIFY(key.exec("SELECT string_agg(a.attname, ',' ORDER BY k.position) FROM pg_constraint c "
                         "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position) "
                         "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                         "WHERE c.conrelid = 'useranimeinteractions'::regclass AND c.contype = 'p'"));
        QVERIFY(key.next());
        QCOMPARE(key.value(0).toString(), QString("user_id,interaction_id"));
        QCOMPARE(scalar(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'useranimeinteractions'"), 1);
    }

    ImportOptions options(const QString& anime, const QString& interactions, double share = 0.2) {
        ImportOptions result;
        result.animePath = anime;
        result.interactionsPath = interactions;
        result.rejectsPath = dir_.filePath(QString("rejects%1.txt").arg(connections_));
        result.maxRejectShare = share;
        return result;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
        qInfo("backend: %s", qPrintable(backend_.name()));
    }

    void cooperUnionEndToEnd() {
        auto db = openDb("cooper.sqlite");
        const ImportSummary summary = importDataset(*db, options(kAnime, kHead));
        QCOMPARE(summary.animeRows, 12294);
        QCOMPARE(summary.interactions, 101001);
        QCOMPARE(summary.users, 1036);
        QCOMPARE(summary.animeRejects + summary.interactionRejects, 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime"), 12294);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime WHERE episodes IS NULL"), 340);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime WHERE rating IS NULL"), 230);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Anime WHERE title LIKE '%&#%' OR title LIKE '%&amp;%'"), 0);
        QSqlQuery query(db->connection());
        query.prepare("SELECT title, genre FROM Anime WHERE anime_id = ?");
        query.addBindValue(9969);
        QVERIFY(query.exec() && query.next());
        QCOMPARE(query.value(0).toString(), QString("Gintama'"));
        QCOMPARE(query.value(1).toString(), QString("Action, Comedy, Historical, Parody, Samurai, Sci-Fi, Shounen"));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), 101001);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users"), 1036);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions WHERE rating IS NULL"), 20067);
        // interaction_id keeps file order: row 1 of the file is "1,20,-1".
        QCOMPARE(scalar(*db, "SELECT anime_id FROM UserAnimeInteractions WHERE interaction_id = 1"), 20);
        QCOMPARE(scalar(*db, "SELECT max(interaction_id) FROM UserAnimeInteractions"), 101001);
        QCOMPARE(indexCount(*db), backend_.isPostgres() ? 0 : 1);
        QCOMPARE(scalar(*db, "SELECT interactions FROM ImportRuns ORDER BY run_id DESC LIMIT 1"), 101001);
        if (backend_.isPostgres()) {
            checkPostgresConstraints(*db);
            QSqlQuery type(db->connection());
            QVERIFY(type.exec("SELECT data_type FROM information_schema.columns WHERE table_name = "
                              "'useranimeinteractions' AND column_name = 'user_id'") && type.next());
            QCOMPARE(type.value(0).toString(), QString("bigint"));
            // New rows (feedback) get ids after the imported ones.
            QCOMPARE(scalar(*db, "SELECT nextval(pg_get_serial_sequence('useranimeinteractions', "
                                 "'interaction_id'))"), 101002);
            return;
        }
        QSqlQuery journal(db->connection());
        QVERIFY(journal.exec("PRAGMA journal_mode") && journal.next());
        QCOMPARE(journal.value(0).toString(), QString("wal"));
    }

    void realPairs_data() {
        QTest::addColumn<QString>("anime");
        QTest::addColumn<QString>("interactions");
        QTest::addColumn<double>("share");
        QTest::addRow("2020 rating_complete") << kAnime << kReal + "/hernan2020/rating_complete_head100k.csv" << 0.2;
        QTest::addRow("2020 animelist") << kAnime << kReal + "/hernan2020/animelist_head500.csv" << 0.3;
        QTest::addRow("2018 azathoth") << kAnime << kReal + "/azathoth42/animelists_cleaned_head10k.csv" << 0.2;
        QTest::addRow("2022 updates") << kReal + "/mal_updates_2022/anime_top200.csv"
                                      << kReal + "/mal_updates_2022/user_updates_top200.csv" << 0.0;
        QTest::addRow("CooperUnion random user order") << kAnime << kReal + "/cooperunion/rating_sample35k.csv" << 0.0;
        QTest::addRow("CooperUnion top500 CRLF") << kAnime << kReal + "/cooperunion/rating_top500users_top300anime.csv" << 0.0;
    }

    void realPairs() {
        QFETCH(QString, anime);
        QFETCH(QString, interactions);
        QFETCH(double, share);
        const Expected expected = expectedFor(anime, interactions);
        QVERIFY(expected.accepted > 0);
        auto db = openDb(QString("pair%1.sqlite").arg(connections_));
        const ImportSummary summary = importDataset(*db, options(anime, interactions, share));
        QCOMPARE(summary.animeRejects, 0);
        QCOMPARE(summary.interactions, expected.accepted);
        QCOMPARE(summary.interactionRejects, expected.rejected);
        QCOMPARE(summary.users, expected.users);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), expected.accepted);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users"), expected.users);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions i LEFT JOIN Anime a "
                             "USING (anime_id) WHERE a.anime_id IS NULL"), 0);
        QFile rejects(summary.rejectsPath);
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        QCOMPARE(qint64(rejects.readAll().count('\n')), expected.rejected);
        // Whether rows came in user order (index kept during the insert) or not (built after).
        QCOMPARE(indexCount(*db), backend_.isPostgres() ? 0 : 1);
        if (backend_.isPostgres()) {
            checkPostgresConstraints(*db);
            return;
        }
        QSqlQuery check(db->connection());
        QVERIFY(check.exec("PRAGMA integrity_check") && check.next());
        QCOMPARE(check.value(0).toString(), QString("ok"));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions INDEXED BY idx_interactions_user WHERE user_id >= 0"),
                 expected.accepted);
    }

    void userNamesAndTimestamps() {
        auto db = openDb("azathoth.sqlite");
        importDataset(*db, options(kAnime, kReal + "/azathoth42/animelists_cleaned_head10k.csv"));
        QCOMPARE(scalar(*db, "SELECT user_id FROM Users WHERE name = 'karthiga'"), 1);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users WHERE name IS NULL"), 0);
        // karthiga,21,...,2013-03-03 10:52:53 is the file's first row.
        QCOMPARE(scalar(*db, "SELECT timestamp FROM UserAnimeInteractions WHERE interaction_id = 1"), 1362307973);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions WHERE timestamp = 0"), 0);
    }

    void brokenFileRejectsAtTheRightLines() {
        const QString path = dir_.filePath("broken.csv");
        writeFile(path, "user_id,anime_id,rating\n"   // 1
                        "1,20,-1\n"                   // 2
                        "1,24,8\n"                    // 3
                        "1,abc,5\n"                   // 4  non-numeric id
                        "2,20,7\r\n"                  // 5
                        "2,24\n"                      // 6  column count
                        "2,\"79\",9\n"                // 7  quoted id is fine
                        "3,99999999,7\n"              // 8  unknown anime
                        "3,20,11\n"                   // 9  rating range
                        "3,24,\"6\n"                  // 10 open quote to the end
                        "4,20,6");                    // 11
        auto db = openDb("broken.sqlite");
        const ImportSummary summary = importDataset(*db, options(kAnime, path, 0.6));
        QCOMPARE(summary.interactions, 5);
        QCOMPARE(summary.interactionRejects, 5);
        QFile rejects(summary.rejectsPath);
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(rejects.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines, (QStringList{path + ":4: field anime_id: 'abc' is not an integer",
                                     path + ":6: wrong column count 2, expected 3",
                                     path + ":8: unknown anime_id 99999999",
                                     path + ":9: rating 11 outside 1..10",
                                     path + ":10: unterminated quote"}));
    }

    void failuresLeaveTheDatabaseUnchanged_data() {
        QTest::addColumn<QByteArray>("interactions");
        QTest::addColumn<QString>("message");
        QTest::addRow("reject share") << QByteArray("user_id,anime_id,rating\n1,20,5\n1,abc,5\n1,99999999,5\n")
                                      << "2 of 3 rows rejected";
        QTest::addRow("unknown header") << QByteArray("uid,item,score\n1,20,5\n") << "unknown interactions CSV header";
        QTest::addRow("missing column") << QByteArray("user_id,anime_id\n1,20\n") << "missing column 'rating'";
    }

    void failuresLeaveTheDatabaseUnchanged() {
        QFETCH(QByteArray, interactions);
        QFETCH(QString, message);
        auto db = openDb(QString("unchanged%1.sqlite").arg(connections_));
        importDataset(*db, options(kAnime, kReal + "/cooperunion/rating_sample35k.csv"));
        const QByteArray before = snapshot(*db);
        const QString path = dir_.filePath("bad.csv");
        writeFile(path, interactions);
        QString error;
        try {
            importDataset(*db, options(kAnime, path, 0.5));
        } catch (const std::invalid_argument& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(snapshot(*db), before);
        QCOMPARE(indexCount(*db), backend_.isPostgres() ? 0 : 1);
        if (backend_.isPostgres()) checkPostgresConstraints(*db);
    }

    void cancelRollsBack_data() {
        QTest::addColumn<QString>("stage");
        QTest::addRow("anime") << "import anime";
        QTest::addRow("interactions") << "import interactions";
        QTest::addRow("indexes") << "build indexes";
    }

    void cancelRollsBack() {
        QFETCH(QString, stage);
        auto db = openDb(QString("cancel%1.sqlite").arg(connections_));
        importDataset(*db, options(kAnime, kReal + "/cooperunion/rating_sample35k.csv"));
        const QByteArray before = snapshot(*db);
        bool asked = false;
        const ProgressCallback cancel = [&](const Progress& progress) {
            if (QString::fromStdString(progress.stage) != stage) return true;
            asked = true;
            return false;
        };
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, importDataset(*db, options(kAnime, kHead), cancel));
        QVERIFY(asked);
        QCOMPARE(snapshot(*db), before);
        QCOMPARE(indexCount(*db), backend_.isPostgres() ? 0 : 1);
        if (backend_.isPostgres()) checkPostgresConstraints(*db);
    }

    void reimportIsIdempotent() {
        auto db = openDb("again.sqlite");
        importDataset(*db, options(kAnime, kReal + "/hernan2020/animelist_head500.csv", 0.3));
        importDataset(*db, options(kAnime, kHead));
        const QByteArray first = snapshot(*db, false);
        importDataset(*db, options(kAnime, kHead));
        QCOMPARE(snapshot(*db, false), first);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM ImportRuns"), 3);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), 101001);
    }

    void datasetLoaderMatchesTheCsvLoader() {
        auto db = openDb("loader.sqlite");
        importDataset(*db, options(kAnime, kReal + "/mal_updates_2022/user_updates_top200.csv", 0.5));
        const Dataset fromDb = loadDataset(*db);
        std::vector<CsvReject> rejects;
        const Dataset fromCsv = loadCsvDataset(kAnime.toStdString(),
                                               {(kReal + "/mal_updates_2022/user_updates_top200.csv").toStdString()},
                                               &rejects);
        QCOMPARE(fromDb.catalog.size(), fromCsv.catalog.size());
        QCOMPARE(fromDb.interactions.size(), fromCsv.interactions.size());
        QCOMPARE(fromDb.interactions.userIds(), fromCsv.interactions.userIds());
        for (int u = 0; u < fromDb.interactions.userCount(); ++u) {
            const auto a = fromDb.interactions.historyOf(u);
            const auto b = fromCsv.interactions.historyOf(u);
            QCOMPARE(a.size(), b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(fromDb.catalog.idAt(a[i].item), fromCsv.catalog.idAt(b[i].item));
                QCOMPARE(a[i].rating, b[i].rating);
                QCOMPARE(a[i].status, b[i].status);
                QCOMPARE(a[i].watchedEpisodes, b[i].watchedEpisodes);
                QCOMPARE(a[i].order, b[i].order);
            }
        }
        const int gintama = *fromDb.catalog.indexOf(9969);
        QCOMPARE(fromDb.catalog.at(gintama).title, std::string("Gintama'"));
        QCOMPARE(fromDb.catalog.at(gintama).genres.size(), std::size_t{7});
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addRow("ok") << QStringList{"--anime", kAnime, "--interactions", kHead} << 0;
        QTest::addRow("missing --interactions") << QStringList{"--anime", kAnime} << 2;
        QTest::addRow("bad share") << QStringList{"--anime", kAnime, "--interactions", kHead, "--max-reject-share", "2"} << 2;
        QTest::addRow("share exceeded")
            << QStringList{"--anime", kAnime, "--interactions", kReal + "/hernan2020/animelist_head500.csv"} << 1;
        QTest::addRow("no such file") << QStringList{"--anime", kAnime, "--interactions", kReal + "/nope.csv"} << 1;
    }

    void commandLine() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        if (cliLocation_.isEmpty()) cliLocation_ = backend_.freshLocation(dir_, "cli.sqlite");
        const QString dbPath = cliLocation_;
        // The PostgreSQL default report goes to the working directory: keep it in dir_.
        if (backend_.isPostgres()) arguments << "--rejects" << dir_.filePath("cli-rejects.txt");
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

// The real-data group for the import: every layout not shipped in data/sample (2020 Kaggle
// rating_complete and animelist, 2018 lists with user names and times, the 2022 update scrape with
// ISO times, other CooperUnion cuts) imported end to end on SQLite and, as
// test_import_real_layouts_postgres, on PostgreSQL. Skipped, with the reason, when the files are
// absent.
#include <QtTest>

#include "data/csv_dataset.h"
#include "import_test_support.h"
#include "real_data_group.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/importer.h"

using namespace animerec;
using namespace animerec::storage;
using namespace animerec::testing;

namespace {
QString real(const char* relative) { return realDataDirectory() + u'/' + QLatin1String(relative); }
}  // namespace

class TestImportRealLayouts : public QObject {
    Q_OBJECT

private:
    ImportFixture fx_;

private slots:
    void initTestCase() {
        ANIMEREC_REQUIRE_REAL_DATA(
            "hernan2020/rating_complete_head100k.csv", "hernan2020/animelist_head500.csv",
            "azathoth42/animelists_cleaned_head10k.csv", "mal_updates_2022/anime_top200.csv",
            "mal_updates_2022/user_updates_top200.csv", "cooperunion/rating_sample35k.csv",
            "cooperunion/rating_top500users_top300anime.csv");
        QVERIFY(fx_.dir.isValid());
        QVERIFY2(fx_.backend.error().isEmpty(), qPrintable(fx_.backend.error()));
        qInfo("backend: %s, real data: %s", qPrintable(fx_.backend.name()),
              qPrintable(realDataDirectory()));
    }

    void realPairs_data() {
        QTest::addColumn<QString>("anime");
        QTest::addColumn<QString>("interactions");
        QTest::addColumn<double>("share");
        QTest::addRow("2020 rating_complete")
            << kSampleAnime << real("hernan2020/rating_complete_head100k.csv") << 0.2;
        QTest::addRow("2020 animelist")
            << kSampleAnime << real("hernan2020/animelist_head500.csv") << 0.3;
        QTest::addRow("2018 azathoth")
            << kSampleAnime << real("azathoth42/animelists_cleaned_head10k.csv") << 0.2;
        QTest::addRow("2022 updates") << real("mal_updates_2022/anime_top200.csv")
                                      << real("mal_updates_2022/user_updates_top200.csv") << 0.0;
        QTest::addRow("CooperUnion random user order")
            << kSampleAnime << real("cooperunion/rating_sample35k.csv") << 0.0;
        QTest::addRow("CooperUnion top500 CRLF")
            << kSampleAnime << real("cooperunion/rating_top500users_top300anime.csv") << 0.0;
    }

    void realPairs() {
        QFETCH(QString, anime);
        QFETCH(QString, interactions);
        QFETCH(double, share);
        const ExpectedImport expected = expectedFor(anime, interactions);
        QVERIFY(expected.accepted > 0);
        auto db = fx_.openDb(QString("pair%1.sqlite").arg(fx_.connections()));
        const ImportSummary summary = importDataset(*db, fx_.options(anime, interactions, share));
        QCOMPARE(summary.animeRejects, 0);
        QCOMPARE(summary.interactions, expected.accepted);
        QCOMPARE(summary.interactionRejects, expected.rejected);
        QCOMPARE(summary.users, expected.users);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions"), expected.accepted);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users"), expected.users);
        QCOMPARE(scalar(*db,
                        "SELECT count(*) FROM UserAnimeInteractions i LEFT JOIN Anime a "
                        "USING (anime_id) WHERE a.anime_id IS NULL"),
                 0);
        QFile rejects(summary.rejectsPath);
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        QCOMPARE(qint64(rejects.readAll().count('\n')), expected.rejected);
        // Whether rows came in user order (index kept during the insert) or not (built after).
        fx_.checkKeys(*db);
        if (fx_.backend.isPostgres()) return;
        QSqlQuery check(db->connection());
        QVERIFY(check.exec("PRAGMA integrity_check") && check.next());
        QCOMPARE(check.value(0).toString(), QString("ok"));
        QCOMPARE(scalar(*db,
                        "SELECT count(*) FROM UserAnimeInteractions INDEXED BY "
                        "idx_interactions_user WHERE user_id >= 0"),
                 expected.accepted);
    }

    void userNamesAndTimestamps() {
        auto db = fx_.openDb("azathoth.sqlite");
        importDataset(*db,
                      fx_.options(kSampleAnime, real("azathoth42/animelists_cleaned_head10k.csv")));
        QCOMPARE(scalar(*db, "SELECT user_id FROM Users WHERE name = 'karthiga'"), 1);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM Users WHERE name IS NULL"), 0);
        // karthiga,21,...,2013-03-03 10:52:53 is the file's first row.
        QCOMPARE(
            scalar(*db, "SELECT timestamp FROM UserAnimeInteractions WHERE interaction_id = 1"),
            1362307973);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM UserAnimeInteractions WHERE timestamp = 0"), 0);
    }

    // Statuses, watched episodes and times survive the database round trip.
    void datasetLoaderMatchesTheCsvLoader() {
        auto db = fx_.openDb("loader.sqlite");
        checkLoaderMatchesCsv(
            *db, fx_.options(kSampleAnime, real("mal_updates_2022/user_updates_top200.csv"), 0.5));
    }
};

QTEST_GUILESS_MAIN(TestImportRealLayouts)
#include "test_import_real_layouts.moc"

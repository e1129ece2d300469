// The real-data group for the CSV readers: layouts not shipped in data/sample (a CRLF CooperUnion
// cut, the 2022 update scrape with ISO times, the 2018 list with user names) read from
// ANIMEREC_REAL_DATA_DIR. Skipped, with the reason, when the files are absent.
#include <QtTest>
#include <cmath>
#include <string>

#include "data/csv_dataset.h"
#include "real_data_group.h"
#include "real_file_check.h"

using namespace animerec;

namespace {
std::string realPath(const char* relative) {
    return (testing::realDataDirectory() + u'/' + QLatin1String(relative)).toStdString();
}
}  // namespace

class TestCsvRealLayouts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        ANIMEREC_REQUIRE_REAL_DATA(
            "cooperunion/anime.csv", "cooperunion/rating_top500users_top300anime.csv",
            "mal_updates_2022/anime_top200.csv", "mal_updates_2022/user_updates_top200.csv",
            "azathoth42/animelists_cleaned_head10k.csv");
    }

    void realFiles_data() {
        QTest::addColumn<QString>("anime");
        QTest::addColumn<QString>("interactions");
        QTest::addColumn<qint64>("rows");  // SOURCES.md row counts (all ids in the catalogue)
        QTest::addColumn<int>("users");
        QTest::addColumn<qint64>("unrated");
        QTest::addRow("CooperUnion top500 CRLF") << "cooperunion/anime.csv"
                                                 << "cooperunion/rating_top500users_top300anime.csv"
                                                 << qint64(103449) << 500 << qint64(0);
        QTest::addRow("mal_updates 2022") << "mal_updates_2022/anime_top200.csv"
                                          << "mal_updates_2022/user_updates_top200.csv"
                                          << qint64(74400) << 36085 << qint64(41615);
    }

    void realFiles() {
        QFETCH(QString, anime);
        QFETCH(QString, interactions);
        QFETCH(qint64, rows);
        QFETCH(int, users);
        QFETCH(qint64, unrated);
        testing::checkRatingsFile(realPath(qPrintable(anime)), realPath(qPrintable(interactions)),
                                  rows, users, unrated);
    }

    void unknownAnimeIdsAreRejected() {
        // The 2018 head against the 2017 catalogue: SOURCES.md says 95.8% of rows have known ids.
        const CsvDataset data =
            loadCsvFiles(realPath("cooperunion/anime.csv"),
                         {realPath("azathoth42/animelists_cleaned_head10k.csv")});
        const std::int64_t accepted = data.interactions.front().size();
        QCOMPARE(accepted + std::int64_t(data.rejects.size()), 9998);
        QVERIFY(std::abs(double(accepted) / 9998 - 0.958) < 0.0006);
        for (const auto& reject : data.rejects)
            QVERIFY2(reject.reason.starts_with("unknown anime_id "), reject.reason.c_str());
        QCOMPARE(data.userNames.size(), 18);
        QCOMPARE(data.userNames.nameOf(1), std::string("karthiga"));
    }
};

QTEST_APPLESS_MAIN(TestCsvRealLayouts)
#include "test_csv_real_layouts.moc"

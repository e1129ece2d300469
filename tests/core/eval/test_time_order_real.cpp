// The real-data group for protocol P3 (eval/time_order.h): the 2022 update scrape and the 2018
// lists read with their times, and the P2 artefact P3 replaces. Skipped, with the reason, when
// ANIMEREC_REAL_DATA_DIR lacks the files.
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "data/anime_csv_reader.h"
#include "real_data_group.h"
#include "real_protocols.h"

using namespace animerec;

namespace {

// Share of tested users whose held-out title has the largest anime id of their titles.
double largestIdShare(const Split& split, const Catalog& catalog) {
    int tested = 0, largest = 0;
    for (int user = 0; user < split.train.userCount(); ++user) {
        const HeldOut& heldOut = split.test[static_cast<std::size_t>(user)];
        if (heldOut.items.empty()) continue;
        ++tested;
        const std::int64_t target = catalog.idAt(heldOut.items.front());
        const auto history = split.train.historyOf(user);
        largest += std::all_of(history.begin(), history.end(), [&](const Event& event) {
            return catalog.idAt(event.item) < target;
        });
    }
    return tested ? double(largest) / tested : 0.0;
}

}  // namespace

class TestTimeOrderReal : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        ANIMEREC_REQUIRE_REAL_DATA(
            "mal_updates_2022/anime_top200.csv", "mal_updates_2022/user_updates_top200.csv",
            "cooperunion/anime.csv", "azathoth42/animelists_cleaned_head10k.csv");
    }

    void updates2022() {
        const real::TimeOrdered p3 = real::p3Updates2022();
        const LatestUpdates& source = p3.source;
        // SOURCES.md: 74,400 rows, 199 titles, every id in anime_top200.csv; 1,695 pairs repeat.
        QCOMPARE(source.layout, std::string("mal_updates_2022 user updates"));
        QVERIFY(source.rejects.empty());
        QCOMPARE(source.rowsRead, std::int64_t(74400));
        QCOMPARE(source.untimedRows, std::int64_t(0));
        QCOMPARE(source.rowsRead - source.collapsedRows, source.data.interactions.size());
        QVERIFY2(source.collapsedRows >= 1695, qPrintable(QString::number(source.collapsedRows)));
        QCOMPARE(source.data.catalog.size(), 200);
        QCOMPARE(source.data.catalog.at(0).title, std::string("Fullmetal Alchemist: Brotherhood"));
        QCOMPARE(source.data.catalog.at(1).title, std::string("Gintama\xC2\xB0"));
        QCOMPARE(source.data.catalog.at(0).genres.front(), std::string("Action"));
        // The importer names the layout (its header is CooperUnion's; its values are literals).
        std::ifstream animeFile(p3.animePath, std::ios::binary);
        QCOMPARE(AnimeCsvReader(animeFile, p3.animePath).layoutName(),
                 std::string("mal_updates_2022 anime.csv (Python literals)"));
        // 2,546 users have >= 5 rows; fewer keep 5 titles once repeats collapse.
        const int tested = p3.split.testUserCount();
        qInfo("P3 2022: %lld titles listed, %d users tested",
              static_cast<long long>(source.data.interactions.size()), tested);
        QVERIFY2(tested > 2400 && tested < 2546, qPrintable(QString::number(tested)));
        QCOMPARE(p3.split.testItemCount(), std::int64_t(tested));
        // Each held-out title is the user's latest: no train event of theirs comes later.
        for (int user = 0; user < p3.split.train.userCount(); ++user) {
            const HeldOut& heldOut = p3.split.test[static_cast<std::size_t>(user)];
            if (heldOut.items.empty()) continue;
            const auto full = source.data.interactions.historyOf(
                source.data.interactions.userIndexOf(p3.split.train.userIdAt(user)));
            QCOMPARE(full.back().item, heldOut.items.front());
            for (const Event& event : p3.split.train.historyOf(user))
                QVERIFY(event.order <= full.back().order);
        }
        // Time order is not id order: the held-out title is the largest id for a minority only.
        const double share = largestIdShare(p3.split, source.data.catalog);
        qInfo("P3 2022: held-out title has the user's largest id for %.3f of users", share);
        QVERIFY2(share < 0.4, qPrintable(QString::number(share)));
    }

    void lists2018() {
        const real::TimeOrdered p3 = real::p3Lists2018();
        const LatestUpdates& source = p3.source;
        QCOMPARE(source.layout, std::string("Azathoth 2018 animelists"));
        // 9,998 rows, 95.8% with an id of the 2017 catalogue; 1970-01-01 means "no time".
        QCOMPARE(source.rowsRead + std::int64_t(source.rejects.size()), std::int64_t(9998));
        QVERIFY(source.untimedRows > 0);
        QCOMPARE(source.rowsRead - source.untimedRows - source.collapsedRows,
                 source.data.interactions.size());
        QVERIFY(p3.split.testUserCount() > 0 && p3.split.testUserCount() <= 18);
    }

    void p2LastInFileOrderIsTheLargestId() {
        // The artefact P3 exists for: the CooperUnion files are sorted by (user_id, anime_id).
        const Dataset all = real::cooperUnionUnion();
        const real::LeaveLastOne p2 = real::p2Split(all);
        int largest = 0;
        for (const auto& [user, target] : p2.tests) {
            const auto history = p2.train.interactions.historyOf(user);
            const std::int64_t id = p2.train.catalog.idAt(target);
            largest += std::all_of(history.begin(), history.end(), [&](const Event& event) {
                return p2.train.catalog.idAt(event.item) < id;
            });
        }
        const double share = double(largest) / double(p2.tests.size());
        qInfo("P2: held-out title has the user's largest id for %.3f of users", share);
        QVERIFY2(share > 0.99, qPrintable(QString::number(share)));
    }
};

QTEST_APPLESS_MAIN(TestTimeOrderReal)
#include "test_time_order_real.moc"

// Protocol P3's pieces (eval/time_order.h, eval/split_files.h) on small hand-made data: the latest
// update per title, ties in time, the split and its validation, the exported files read back.
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <vector>

#include "data/csv_dataset.h"
#include "data/csv_layouts.h"
#include "eval/split.h"
#include "eval/split_files.h"
#include "eval/time_order.h"

using namespace animerec;

namespace {

Event at(int item, std::int64_t time, WatchStatus status = WatchStatus::Completed) {
    return Event{item, 0.0f, status, -1, time};
}

std::vector<int> itemsOf(const Interactions& interactions, int user) {
    std::vector<int> items;
    for (const Event& event : interactions.historyOf(user)) items.push_back(event.item);
    return items;
}

// Statuses of an exported history: not only Completed, so a layout that lost them would show.
WatchStatus statusAt(int position) {
    if (position == 2) return WatchStatus::Dropped;
    if (position == 4) return WatchStatus::PlanToWatch;
    return WatchStatus::Completed;
}

void writeFile(const QString& path, const char* text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

}  // namespace

class TestTimeOrder : public QObject {
    Q_OBJECT

private slots:
    void keepsTheLatestUpdateOfEachTitle() {
        Interactions::Builder builder(4);
        builder.add(7, at(2, 100, WatchStatus::PlanToWatch));
        builder.add(7, at(1, 200));
        builder.add(7, at(2, 300, WatchStatus::Watching));  // the same title, updated later
        builder.add(7, at(3, 250));
        std::int64_t collapsed = 0;
        const Interactions latest = latestPerTitle(std::move(builder).build(), {}, &collapsed);
        QCOMPARE(collapsed, std::int64_t(1));
        QCOMPARE(itemsOf(latest, 0), (std::vector<int>{1, 3, 2}));
        QCOMPARE(latest.historyOf(0).back().status, WatchStatus::Watching);
        QCOMPARE(latest.historyOf(0).back().order, std::int64_t(300));
    }

    void tiesInTimeFollowTheSeedNotTheIds() {
        // Twelve titles updated in the same second, added in id order (as the 2022 scrape's file
        // is sorted by anime id): their order comes from the seeded hash.
        const auto orderWith = [](std::uint64_t seed, bool reversed) {
            Interactions::Builder builder(12);
            for (int i = 0; i < 12; ++i) builder.add(5, at(reversed ? 11 - i : i, 1000));
            LatestUpdatesOptions options;
            options.tieSeed = seed;
            return itemsOf(latestPerTitle(std::move(builder).build(), options), 0);
        };
        const std::vector<int> first = orderWith(42, false);
        QCOMPARE(orderWith(42, true), first);  // not the file's order
        QVERIFY(!std::is_sorted(first.begin(), first.end()));
        QVERIFY(!std::is_sorted(first.rbegin(), first.rend()));
        QVERIFY(orderWith(43, false) != first);
    }

    void holdsOutTheLatestTitleOfUsersWithFiveOrMore() {
        Interactions::Builder builder(10);
        for (int i = 0; i < 6; ++i) builder.add(1, at((7 * i + 3) % 10, 100 * (6 - i)));
        for (int i = 0; i < 4; ++i) builder.add(2, at(i, 100 + i));
        const Interactions latest = latestPerTitle(std::move(builder).build());
        const Split split = nextItemSplit(latest);
        QCOMPARE(split.testUserCount(), 1);
        const int user = split.train.userIndexOf(1);
        // User 1's latest update (time 600) is the first row added, item 3.
        QCOMPARE(split.test[static_cast<std::size_t>(user)].items, std::vector<int>{3});
        QCOMPARE(split.train.historyOf(user).size(), std::size_t(5));
        // The short history trains but is not tested, unless asked to go.
        QCOMPARE(split.train.historyOf(split.train.userIndexOf(2)).size(), std::size_t(4));
        NextItemOptions dropShort;
        dropShort.keepShortHistoriesInTrain = false;
        QCOMPARE(nextItemSplit(latest, dropShort).train.userIndexOf(2), -1);
        QCOMPARE(split.protocol.front().second, std::string("next_item_time"));

        // Validation: the same rule inside train, one title earlier (time 500: item 0).
        const Split validation = nextItemValidation(split.train);
        QCOMPARE(validation.test[static_cast<std::size_t>(validation.train.userIndexOf(1))].items,
                 std::vector<int>{0});
        QCOMPARE(validation.testUserCount(), 2);  // user 2 has 4 >= 5 - 1 titles in train
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, nextItemSplit(latest, {1, true}));
    }

    void readsUpdateFilesAndRefusesUntimedLayouts() {
        QTemporaryDir dir;
        const QString anime = dir.filePath("anime.csv");
        writeFile(anime,
                  "anime_id,name,genre,type,episodes,rating,members\n"
                  "30,b'Thirty',\"['Action']\",TV,12,8.1,100\n"
                  "20,b'Twenty',\"['Drama']\",TV,12,8.0,90\n"
                  "10,b'Ten',\"['Comedy']\",TV,12,7.9,80\n");
        const QString updates = dir.filePath("updates.csv");
        writeFile(updates,
                  "user_id,anime_id,score,status,episodes_seen,episodes_total,updated_at\n"
                  "4,10,,Watching,3,12,2022-06-01T10:00:00+00:00\n"
                  "4,20,8,Completed,12,12,2022-06-02T10:00:00+00:00\n"
                  "4,10,9,Completed,12,12,2022-06-03T10:00:00+00:00\n"
                  "4,30,,Plan to Watch,0,12,\n"
                  "4,99,,Completed,12,12,2022-06-03T10:00:00+00:00\n");
        const LatestUpdates read = loadLatestUpdates(anime.toStdString(), updates.toStdString());
        QCOMPARE(read.layout, std::string("mal_updates_2022 user updates"));
        QCOMPARE(read.rowsRead, std::int64_t(4));
        QCOMPARE(read.untimedRows, std::int64_t(1));
        QCOMPARE(read.collapsedRows, std::int64_t(1));
        QCOMPARE(read.rejects.size(), std::size_t(1));
        QCOMPARE(describeReject(read.rejects.front()),
                 updates.toStdString() + ":6: unknown anime_id 99");
        const Interactions& events = read.data.interactions;
        QCOMPARE(events.size(), std::int64_t(2));
        const auto history = events.historyOf(0);
        QCOMPARE(read.data.catalog.idAt(history[0].item), std::int64_t(20));
        QCOMPARE(read.data.catalog.idAt(history[1].item), std::int64_t(10));
        QCOMPARE(history[1].rating, 9.0f);
        QCOMPARE(history[1].order, *parseDateTime("2022-06-03T10:00:00Z"));
        QCOMPARE(read.data.catalog.at(history[0].item).title, std::string("Twenty"));

        const QString ratings = dir.filePath("ratings.csv");
        writeFile(ratings, "user_id,anime_id,rating\n4,10,8\n");
        try {
            loadLatestUpdates(anime.toStdString(), ratings.toStdString());
            QFAIL("a layout without times was accepted");
        } catch (const std::invalid_argument& error) {
            const std::string message = error.what();
            QVERIFY2(message.starts_with(ratings.toStdString() + ": the ratings layout has no "
                                                                 "update time"),
                     error.what());
        }
    }

    void isoDateTimeInvertsParseDateTime_data() {
        QTest::addColumn<QString>("text");
        QTest::addRow("epoch") << "1970-01-01T00:00:00Z";
        QTest::addRow("leap day") << "2020-02-29T23:59:59Z";
        QTest::addRow("2022 scrape") << "2022-06-16T10:55:05Z";
        QTest::addRow("before the epoch") << "1969-12-31T23:00:00Z";
    }
    void isoDateTimeInvertsParseDateTime() {
        QFETCH(QString, text);
        const auto seconds = parseDateTime(text.toStdString());
        QVERIFY(seconds.has_value());
        QCOMPARE(QString::fromStdString(isoDateTime(*seconds)), text);
    }

    void exportedSplitReadsBackAsTheSameSplit_data() {
        QTest::addColumn<int>("layout");
        QTest::addRow("updates") << static_cast<int>(SplitFileLayout::Updates);
        QTest::addRow("ratings") << static_cast<int>(SplitFileLayout::Ratings);
        QTest::addRow("animelist") << static_cast<int>(SplitFileLayout::Animelist);
    }
    void exportedSplitReadsBackAsTheSameSplit() {
        QFETCH(int, layout);
        Catalog catalog;
        for (int item = 0; item < 8; ++item) {
            AnimeRecord record;
            record.animeId = 100 - item;
            record.title = "T";
            record.title += std::to_string(item);
            catalog.add(record);
        }
        // Equal times inside users: the exported row order must keep the tie order.
        Interactions::Builder builder(8);
        for (int user = 1; user <= 3; ++user)
            for (int i = 0; i < 6; ++i)
                builder.add(user * 11, Event{(user * 3 + i * 5) % 8, i % 2 ? 7.0f : 0.0f,
                                             statusAt(i), 12, 1654000000 + (i / 2) * 60});
        const Split split = nextItemSplit(latestPerTitle(std::move(builder).build()));
        QTemporaryDir dir;
        const std::string anime = dir.filePath("anime.csv").toStdString();
        {
            std::ofstream out(anime);
            out << "anime_id,name,genre,type,episodes,rating,members\n";
            for (int item = 0; item < 8; ++item)
                out << catalog.idAt(item) << ",T" << item << ",Action,TV,12,7.5,10\n";
        }
        const std::string train = dir.filePath("train.csv").toStdString();
        const std::string test = dir.filePath("test.csv").toStdString();
        writeSplitFiles(split, catalog, static_cast<SplitFileLayout>(layout), train, test);
        const CsvDataset files = loadCsvFiles(anime, {train, test});
        QVERIFY(files.rejects.empty());
        const Split back = splitFromParts(files.interactions[0], files.interactions[1]);
        QCOMPARE(back.train.userIds(), split.train.userIds());
        for (int user = 0; user < split.train.userCount(); ++user) {
            QCOMPARE(itemsOf(back.train, user), itemsOf(split.train, user));
            QCOMPARE(back.test[static_cast<std::size_t>(user)].items,
                     split.test[static_cast<std::size_t>(user)].items);
            for (std::size_t i = 0; i < split.train.historyOf(user).size(); ++i) {
                QCOMPARE(back.train.historyOf(user)[i].rating,
                         split.train.historyOf(user)[i].rating);
                // The ratings layout has no status column; the others keep it.
                if (static_cast<SplitFileLayout>(layout) != SplitFileLayout::Ratings)
                    QCOMPARE(back.train.historyOf(user)[i].status,
                             split.train.historyOf(user)[i].status);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestTimeOrder)
#include "test_time_order.moc"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "eval/split.h"

using namespace animerec;

namespace {

// `users` users with ids 100, 101, ...; user u has `perUser` events on items (u + j) % items,
// j = 0..perUser-1, with order = 1000 * u + j, added in reverse so the builder must sort them.
Interactions makeInteractions(int users, int perUser, int items = 200) {
    Interactions::Builder builder(items);
    for (int u = 0; u < users; ++u)
        for (int j = perUser - 1; j >= 0; --j) {
            Event event;
            event.item = (u + j) % items;
            event.rating = static_cast<float>(1 + j % 10);
            event.order = 1000 * u + j;
            builder.add(100 + u, event);
        }
    return std::move(builder).build();
}

std::vector<int> itemsOf(std::span<const Event> events) {
    std::vector<int> items;
    for (const auto& event : events) items.push_back(event.item);
    return items;
}

}  // namespace

class TestEvalSplit : public QObject {
    Q_OBJECT
private slots:
    void holdoutIsReproducibleForASeedAndDiffersAcrossSeeds() {
        const auto all = makeInteractions(50, 20);
        HoldoutOptions options;
        options.seed = 42;
        const auto a = holdoutSplit(all, options);
        const auto b = holdoutSplit(all, options);
        options.seed = 43;
        const auto c = holdoutSplit(all, options);
        bool anyDifferent = false;
        for (int user = 0; user < a.train.userCount(); ++user) {
            QCOMPARE(a.test[user].items, b.test[user].items);
            QCOMPARE(itemsOf(a.train.historyOf(user)), itemsOf(b.train.historyOf(user)));
            anyDifferent = anyDifferent || a.test[user].items != c.test[user].items;
        }
        QVERIFY(anyDifferent);
    }

    void holdoutShareIsRespected_data() {
        QTest::addColumn<double>("share");
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("expectedTest");
        QTest::addRow("20%% of 10") << 0.2 << 10 << 2;
        QTest::addRow("25%% of 7 rounds to 2") << 0.25 << 7 << 2;
        QTest::addRow("tiny share keeps one") << 0.01 << 5 << 1;
        QTest::addRow("huge share leaves one in train") << 0.99 << 5 << 4;
        QTest::addRow("half of 40") << 0.5 << 40 << 20;
    }
    void holdoutShareIsRespected() {
        QFETCH(double, share);
        QFETCH(int, events);
        QFETCH(int, expectedTest);
        const auto all = makeInteractions(30, events);
        HoldoutOptions options;
        options.testShare = share;
        options.minInteractions = 2;
        const auto split = holdoutSplit(all, options);
        QCOMPARE(split.train.userCount(), 30);
        for (int user = 0; user < 30; ++user) {
            QCOMPARE(static_cast<int>(split.test[user].items.size()), expectedTest);
            QCOMPARE(static_cast<int>(split.train.historyOf(user).size()), events - expectedTest);
            // Train and test together are exactly the user's original items.
            auto joined = itemsOf(split.train.historyOf(user));
            joined.insert(joined.end(), split.test[user].items.begin(),
                          split.test[user].items.end());
            std::sort(joined.begin(), joined.end());
            auto original = itemsOf(all.historyOf(user));
            std::sort(original.begin(), original.end());
            QCOMPARE(joined, original);
        }
    }

    void sparseUsersAreDroppedOrKept_data() {
        QTest::addColumn<bool>("keep");
        QTest::addColumn<int>("trainUsers");
        QTest::addRow("dropped") << false << 1;
        QTest::addRow("kept in train") << true << 2;
    }
    void sparseUsersAreDroppedOrKept() {
        QFETCH(bool, keep);
        QFETCH(int, trainUsers);
        Interactions::Builder builder(20);
        for (int j = 0; j < 10; ++j) builder.add(1, Event{j, 0.0f, WatchStatus::Unknown, -1, j});
        for (int j = 0; j < 3; ++j) builder.add(2, Event{j, 0.0f, WatchStatus::Unknown, -1, j});
        const auto all = std::move(builder).build();
        HoldoutOptions options;
        options.minInteractions = 5;
        options.keepSparseUsersInTrain = keep;
        const auto split = holdoutSplit(all, options);
        QCOMPARE(split.train.userCount(), trainUsers);
        QCOMPARE(split.testUserCount(), 1);
        QCOMPARE(split.train.userIdAt(0), std::int64_t(1));
        if (keep) {
            QCOMPARE(split.train.historyOf(1).size(), std::size_t(3));
            QVERIFY(split.test[1].items.empty());
        }
    }

    void leaveLastTakesTheLatestByOrder_data() {
        QTest::addColumn<int>("count");
        QTest::addRow("last 1") << 1;
        QTest::addRow("last 3") << 3;
    }
    void leaveLastTakesTheLatestByOrder() {
        QFETCH(int, count);
        const auto all = makeInteractions(10, 8);
        const auto split = leaveLastOutSplit(all, LeaveLastOptions{count, 5, false});
        for (int user = 0; user < 10; ++user) {
            // Events were added newest first; the latest orders carry j = 7, 6, ...
            std::vector<int> expected;
            for (int j = 8 - count; j < 8; ++j) expected.push_back((user + j) % 200);
            std::sort(expected.begin(), expected.end());
            QCOMPARE(split.test[user].items, expected);
            const auto history = split.train.historyOf(user);
            QCOMPARE(static_cast<int>(history.size()), 8 - count);
            QCOMPARE(history.back().order, std::int64_t(1000 * user + 7 - count));
        }
    }

    void testItemsSkipItemsAlsoInTrain() {
        // The user re-watched item 5: its last event is item 5, already in train.
        Interactions::Builder builder(10);
        const int items[] = {5, 1, 2, 3, 4, 5};
        for (int j = 0; j < 6; ++j)
            builder.add(9, Event{items[j], 0.0f, WatchStatus::Unknown, -1, j});
        const auto split =
            leaveLastOutSplit(std::move(builder).build(), LeaveLastOptions{1, 2, false});
        QVERIFY(split.test[0].items.empty());
        QCOMPARE(split.testUserCount(), 0);
    }

    void timeSplitCutsAtTheQuantile() {
        // 4 users x 25 events with orders 0..99 spread over users.
        Interactions::Builder builder(100);
        for (int order = 0; order < 100; ++order)
            builder.add(order % 4, Event{order, 0.0f, WatchStatus::Unknown, -1, order});
        const auto split = timeSplit(std::move(builder).build(), TimeSplitOptions{0.8, 5, false});
        // floor(0.8 * 99) = 79: orders 0..79 train (80 events), 80..99 test.
        QCOMPARE(split.train.size(), std::int64_t(80));
        QCOMPARE(split.testItemCount(), std::int64_t(20));
        for (int user = 0; user < split.train.userCount(); ++user) {
            for (const auto& event : split.train.historyOf(user)) QVERIFY(event.order <= 79);
            for (const int item : split.test[user].items)
                QVERIFY(item >= 80);  // item == order here
        }
    }

    void validationSplitIsCarvedFromTrain() {
        const auto all = makeInteractions(40, 15);
        const auto outer = holdoutSplit(all, HoldoutOptions{});
        HoldoutOptions inner;
        inner.seed = 7;
        const auto validation = holdoutSplit(outer.train, inner);
        QCOMPARE(validation.train.userCount(), outer.train.userCount());
        for (int user = 0; user < outer.train.userCount(); ++user) {
            auto joined = itemsOf(validation.train.historyOf(user));
            joined.insert(joined.end(), validation.test[user].items.begin(),
                          validation.test[user].items.end());
            std::sort(joined.begin(), joined.end());
            auto trainItems = itemsOf(outer.train.historyOf(user));
            std::sort(trainItems.begin(), trainItems.end());
            QCOMPARE(joined, trainItems);
            for (const int item : validation.test[user].items)
                QVERIFY(!std::binary_search(outer.test[user].items.begin(),
                                            outer.test[user].items.end(), item));
        }
    }

    void partsFromFilesAddUnknownTestUsers() {
        Interactions::Builder trainBuilder(10);
        trainBuilder.add(1, Event{0, 8.0f, WatchStatus::Completed, -1, 0});
        trainBuilder.add(2, Event{1, 0.0f, WatchStatus::Completed, -1, 1});
        Interactions::Builder testBuilder(10);
        testBuilder.add(2, Event{1, 0.0f, WatchStatus::Completed, -1, 5});  // already in train
        testBuilder.add(2, Event{4, 7.0f, WatchStatus::Completed, -1, 6});
        testBuilder.add(3, Event{5, 9.0f, WatchStatus::Completed, -1, 7});
        const auto split =
            splitFromParts(std::move(trainBuilder).build(), std::move(testBuilder).build());
        QCOMPARE(split.train.userCount(), 3);
        const int user2 = split.train.userIndexOf(2);
        const int user3 = split.train.userIndexOf(3);
        QCOMPARE(split.test[user2].items, std::vector<int>{4});
        QCOMPARE(split.test[user2].ratings, std::vector<float>{7.0f});
        QCOMPARE(split.test[user3].items, std::vector<int>{5});
        QVERIFY(split.train.historyOf(user3).empty());
        QVERIFY(split.test[split.train.userIndexOf(1)].items.empty());
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            splitFromParts(Interactions::Builder(3).build(), Interactions::Builder(4).build()));
    }

    void badOptionsAreRejected() {
        const auto all = makeInteractions(3, 6);
        HoldoutOptions share;
        share.testShare = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, holdoutSplit(all, share));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 leaveLastOutSplit(all, LeaveLastOptions{0, 5, false}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 timeSplit(all, TimeSplitOptions{0.0, 5, false}));
    }
};

QTEST_APPLESS_MAIN(TestEvalSplit)
#include "test_eval_split.moc"

#include <QTest>
#include <algorithm>
#include <set>

#include "models/cold_start.h"
#include "models/content_based.h"
#include "models/popularity.h"
#include "simple_fixtures.h"

using namespace animerec;
using fixtures::anime;
using fixtures::makeEvent;

namespace {

// 30 anime: 0-9 Action (popular: item i watched by 30 - i users), 10-19 Romance (less popular),
// 20-28 Comedy, 29 a brand-new Action/Sci-Fi title nobody has watched, 30 an old Sci-Fi show.
Dataset coldStartDataset() {
    std::vector<AnimeRecord> catalog;
    for (int i = 0; i < 10; ++i)
        catalog.push_back(anime(100 + i, "Fight " + std::to_string(i), {"Action"}));
    for (int i = 0; i < 10; ++i)
        catalog.push_back(anime(200 + i, "Love " + std::to_string(i), {"Romance"}));
    for (int i = 0; i < 9; ++i)
        catalog.push_back(anime(300 + i, "Laugh " + std::to_string(i), {"Comedy"}));
    // Too new for a rating or a members count yet.
    catalog.push_back(
        anime(999, "Brand New Thing", {"Action", "Sci-Fi"}, "TV", 12, std::nullopt, std::nullopt));
    catalog.push_back(anime(500, "Old Space Show", {"Sci-Fi"}, "TV", 26));
    std::vector<fixtures::Row> rows;
    for (int i = 0; i < 29; ++i)
        for (int u = 0; u < 40 - i; ++u)
            rows.push_back({u, catalog[static_cast<std::size_t>(i)].animeId, 8.0f});
    rows.push_back({0, 500, 9.0f});
    rows.push_back({1, 500, 7.0f});
    return fixtures::makeDataset(catalog, rows);
}

// A personal model stub: prefers higher item indices, so its lists are recognisable.
class ReverseModel final : public Recommender {
public:
    std::string name() const override { return "reverse"; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery&, std::span<float> scores) const override {
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i);
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
};

struct Models {
    Dataset data = coldStartDataset();
    // By interaction count: the fixture's popular items are the watched ones.
    PopularityModel popularity{{PopularityMode::InteractionCount}};
    ContentBasedModel content;
    Models() {
        popularity.fit(data);
        content.fit(data);
    }
};

std::vector<int> itemsOf(const RecommendationResult& result) {
    std::vector<int> items;
    for (const auto& item : result.items) items.push_back(item.item);
    return items;
}

}  // namespace

class TestColdStart : public QObject {
    Q_OBJECT

private slots:
    void chooseStrategy_data();
    void chooseStrategy();
    void newUserGetsPopular();
    void newUserInGenres();
    void seenItemsAreNeverReturned();
    void explorationIsSeededAndVaried();
    void explorationShareKeepsTheTop();
    void shortHistoryUsesContent();
    void newAnimeIsReachableThroughContent();
    void longHistoryUsesPersonalModel();
    void missingModelsFallBack();
    void badRequestsAreRejected();
};

void TestColdStart::chooseStrategy_data() {
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("planToWatch");
    QTest::addColumn<bool>("genres");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no history") << 0 << 0 << false << 5 << kStrategyPopular;
    QTest::addRow("no history, genres named") << 0 << 0 << true << 5 << kStrategyPopularInGenres;
    QTest::addRow("only plan-to-watch counts as none") << 0 << 4 << false << 5 << kStrategyPopular;
    QTest::addRow("one event") << 1 << 0 << false << 5 << kStrategyContentFromHistory;
    QTest::addRow("four events, genres ignored")
        << 4 << 3 << true << 5 << kStrategyContentFromHistory;
    QTest::addRow("five events") << 5 << 0 << false << 5 << kStrategyPersonal;
    QTest::addRow("threshold 2") << 2 << 0 << false << 2 << kStrategyPersonal;
    QTest::addRow("threshold 0: content never") << 1 << 0 << false << 0 << kStrategyPersonal;
}

void TestColdStart::chooseStrategy() {
    QFETCH(int, events);
    QFETCH(int, planToWatch);
    QFETCH(bool, genres);
    QFETCH(int, threshold);
    QFETCH(QString, expected);
    std::vector<Event> history;
    for (int i = 0; i < events; ++i) history.push_back(makeEvent(i, 7.0f));
    for (int i = 0; i < planToWatch; ++i)
        history.push_back(makeEvent(20 + i, 0.0f, WatchStatus::PlanToWatch));
    ColdStartConfig config;
    config.fewInteractionsThreshold = threshold;
    QCOMPARE(QString(animerec::chooseStrategy(history, genres, config)), expected);
}

void TestColdStart::newUserGetsPopular() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    RecommendationRequest request;
    request.count = 5;
    const auto result = policy.recommend(request, nullptr);
    QCOMPARE(result.strategy, std::string(kStrategyPopular));
    QCOMPARE(itemsOf(result), (std::vector<int>{0, 1, 2, 3, 4}));
    QCOMPARE(result.items.front().score, 40.0f);
}

void TestColdStart::newUserInGenres() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    RecommendationRequest request;
    request.count = 3;
    request.genres = {"Romance"};
    ReverseModel personal;
    const auto result = policy.recommend(request, &personal);
    QCOMPARE(result.strategy, std::string(kStrategyPopularInGenres));
    QCOMPARE(itemsOf(result), (std::vector<int>{10, 11, 12}));
}

void TestColdStart::seenItemsAreNeverReturned() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    const std::vector<Event> history{makeEvent(0, 0.0f, WatchStatus::PlanToWatch)};
    RecommendationRequest request;
    request.query.history = history;
    request.exclude = {1};
    request.count = 3;
    const auto result = policy.recommend(request, nullptr);
    QCOMPARE(result.strategy, std::string(kStrategyPopular));
    QCOMPARE(itemsOf(result), (std::vector<int>{2, 3, 4}));
}

void TestColdStart::explorationIsSeededAndVaried() {
    Models m;
    ColdStartConfig config;
    config.explorationShare = 1.0;
    config.explorationPool = 15;
    const RecommendationPolicy policy(m.popularity, &m.content, config);
    RecommendationRequest request;
    request.count = 5;
    std::set<std::vector<int>> lists;
    std::vector<int> timesShown(30, 0);
    for (std::uint64_t key = 0; key < 200; ++key) {
        request.explorationKey = key;
        const auto result = policy.recommend(request, nullptr);
        QCOMPARE(result.strategy, std::string(kStrategyPopular) + kStrategyExplorationSuffix);
        QCOMPARE(result.items.size(), std::size_t(5));
        // Same key, same list.
        QCOMPARE(itemsOf(policy.recommend(request, nullptr)), itemsOf(result));
        for (const auto& item : result.items) {
            QVERIFY2(item.item < 15, "sampled outside the top-M pool");
            ++timesShown[static_cast<std::size_t>(item.item)];
        }
        QVERIFY(std::is_sorted(
            result.items.begin(), result.items.end(),
            [](const ScoredItem& a, const ScoredItem& b) { return a.score > b.score; }));
        lists.insert(itemsOf(result));
    }
    QVERIFY2(lists.size() > 20, "exploration keeps showing the same few lists");
    // Popularity still matters: the most popular item is shown more often than the 15th.
    QVERIFY(timesShown[0] > timesShown[14]);
}

void TestColdStart::explorationShareKeepsTheTop() {
    Models m;
    ColdStartConfig config;
    config.explorationShare = 0.4;  // 2 of 5 slots sampled
    config.explorationPool = 15;
    const RecommendationPolicy policy(m.popularity, &m.content, config);
    RecommendationRequest request;
    request.count = 5;
    const std::vector<int> top =
        itemsOf(RecommendationPolicy(m.popularity, &m.content).recommend(request, nullptr));
    std::set<int> explored;
    for (std::uint64_t key = 0; key < 100; ++key) {
        request.explorationKey = key;
        const std::vector<int> items = itemsOf(policy.recommend(request, nullptr));
        QCOMPARE(items.size(), std::size_t(5));
        // The first three are the plain top three; the other two come from below them.
        QCOMPARE(std::vector<int>(items.begin(), items.begin() + 3),
                 std::vector<int>(top.begin(), top.begin() + 3));
        for (std::size_t i = 3; i < items.size(); ++i) {
            QVERIFY(std::find(top.begin(), top.begin() + 3, items[i]) == top.begin() + 3);
            QVERIFY2(items[i] < 15, "sampled outside the top-M pool");
            explored.insert(items[i]);
        }
    }
    QVERIFY2(explored.size() > 5, "the explored slots keep showing the same titles");
    config.explorationShare = 1.5;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             RecommendationPolicy(m.popularity, nullptr, config));
}

void TestColdStart::shortHistoryUsesContent() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    const std::vector<Event> history{makeEvent(10, 9.0f), makeEvent(11, 9.0f)};
    RecommendationRequest request;
    request.query.history = history;
    request.count = 5;
    ReverseModel personal;
    const auto result = policy.recommend(request, &personal);
    QCOMPARE(result.strategy, std::string(kStrategyContentFromHistory));
    for (const auto& item : result.items) {
        QVERIFY2(item.item >= 12 && item.item < 20, "a romance fan should get romance");
    }
}

void TestColdStart::newAnimeIsReachableThroughContent() {
    Models m;
    const int brandNew = *m.data.catalog.indexOf(999);
    QCOMPARE(m.popularity.scoreOf(brandNew, PopularityMode::InteractionCount), 0.0f);
    // A user who loved the old Sci-Fi show: the unwatched Sci-Fi newcomer comes first, although
    // popularity ranks it last.
    const std::vector<Event> history{makeEvent(30, 10.0f)};
    RecommendationRequest request;
    request.query.history = history;
    request.count = 3;
    const RecommendationPolicy policy(m.popularity, &m.content);
    const auto result = policy.recommend(request, nullptr);
    QCOMPARE(result.strategy, std::string(kStrategyContentFromHistory));
    QVERIFY(!result.items.empty());
    QCOMPARE(result.items.front().item, brandNew);
    QCOMPARE(m.popularity.top(31).back().item, brandNew);
}

void TestColdStart::longHistoryUsesPersonalModel() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    std::vector<Event> history;
    for (int i = 25; i < 30; ++i) history.push_back(makeEvent(i, 7.0f));
    RecommendationRequest request;
    request.query.history = history;
    request.count = 3;
    ReverseModel personal;
    const auto result = policy.recommend(request, &personal);
    QCOMPARE(result.strategy, std::string(kStrategyPersonal));
    QCOMPARE(itemsOf(result), (std::vector<int>{30, 24, 23}));  // 25..29 are seen
}

void TestColdStart::missingModelsFallBack() {
    Models m;
    std::vector<Event> history;
    for (int i = 0; i < 6; ++i) history.push_back(makeEvent(10 + i, 9.0f));
    RecommendationRequest request;
    request.query.history = history;
    request.count = 3;
    // No personal model: content serves the long history too.
    const RecommendationPolicy withContent(m.popularity, &m.content);
    QCOMPARE(withContent.recommend(request, nullptr).strategy,
             std::string(kStrategyContentFromHistory));
    // Neither: popular, still without seen items.
    const RecommendationPolicy popularOnly(m.popularity, nullptr);
    const auto result = popularOnly.recommend(request, nullptr);
    QCOMPARE(result.strategy, std::string(kStrategyPopular));
    QCOMPARE(itemsOf(result), (std::vector<int>{0, 1, 2}));
    // A short history without the content model goes to the personal model.
    request.query.history = std::span<const Event>(history).first(2);
    ReverseModel personal;
    QCOMPARE(popularOnly.recommend(request, &personal).strategy, std::string(kStrategyPersonal));
}

void TestColdStart::badRequestsAreRejected() {
    Models m;
    const RecommendationPolicy policy(m.popularity, &m.content);
    RecommendationRequest request;
    request.count = -1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, policy.recommend(request, nullptr));
    request.count = 3;
    request.genres = {"Isekai"};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, policy.recommend(request, nullptr));
    ColdStartConfig config;
    config.explorationPool = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             RecommendationPolicy(m.popularity, nullptr, config));
}

QTEST_APPLESS_MAIN(TestColdStart)
#include "test_cold_start.moc"

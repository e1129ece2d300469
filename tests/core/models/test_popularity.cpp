#include <QTest>
#include <cmath>
#include <sstream>

#include "models/popularity.h"
#include "simple_fixtures.h"

using namespace animerec;
using fixtures::anime;

namespace {

// A: three 10s; B: a hundred 9s; F: a hundred 5s (pulls the global mean down); C: fifty
// unrated views; D: most members but never watched; E: nothing at all.
Dataset votingDataset() {
    std::vector<AnimeRecord> catalog{
        anime(10, "A", {"Action"}, "TV", 12, 7.0, 50),
        anime(20, "B", {"Drama"}, "TV", 12, 7.0, 100),
        anime(30, "C", {"Comedy", "Action"}, "TV", 12, 7.0, 10),
        anime(40, "D", {"Drama"}, "Movie", 1, 7.0, 1000000),
        anime(50, "E", {"Comedy"}, "OVA", 2, 7.0, 500),
        anime(60, "F", {"Horror"}, "TV", 24, 7.0, 200),
    };
    std::vector<fixtures::Row> rows;
    for (int u = 0; u < 3; ++u) rows.push_back({u, 10, 10.0f});
    for (int u = 0; u < 100; ++u) rows.push_back({u, 20, 9.0f});
    for (int u = 0; u < 100; ++u) rows.push_back({u, 60, 5.0f});
    for (int u = 0; u < 50; ++u) rows.push_back({u, 30, 0.0f});
    return fixtures::makeDataset(catalog, rows);
}

std::vector<std::int64_t> idsOf(const Dataset& data, const std::vector<ScoredItem>& items) {
    std::vector<std::int64_t> ids;
    for (const auto& item : items) ids.push_back(data.catalog.idAt(item.item));
    return ids;
}

}  // namespace

class TestPopularity : public QObject {
    Q_OBJECT

private slots:
    void ranksByMode_data();
    void ranksByMode();
    void defaultRanksByMembers();
    void bayesianPriorStopsThreeTens_data();
    void bayesianPriorStopsThreeTens();
    void weightedScoreFollowsFormula();
    void everyUserGetsTheSameScores();
    void newCatalogueItemsScoreLowest();
    void topInGenresKeepsOnlyThoseGenres_data();
    void topInGenresKeepsOnlyThoseGenres();
    void unknownGenreIsNamed();
    void saveLoadRoundTrip();
    void malformedBodyLeavesModelUnchanged();
    void badConfigIsRejected();
    void reproducesP1Reference();
};

void TestPopularity::ranksByMode_data() {
    QTest::addColumn<int>("mode");
    QTest::addColumn<std::vector<std::int64_t>>("expectedTop3");
    // Counts: B and F 100 each (tie -> lower index first), C 50, A 3.
    QTest::addRow("interactions") << 0 << std::vector<std::int64_t>{20, 60, 30};
    QTest::addRow("members") << 1 << std::vector<std::int64_t>{40, 50, 60};
}

void TestPopularity::ranksByMode() {
    QFETCH(int, mode);
    QFETCH(std::vector<std::int64_t>, expectedTop3);
    const Dataset data = votingDataset();
    PopularityConfig config;
    config.mode = static_cast<PopularityMode>(mode);
    PopularityModel model(config);
    model.fit(data);
    QCOMPARE(idsOf(data, model.top(3)), expectedTop3);
    // top(n, mode) on a default model agrees with a model configured for that mode.
    PopularityModel other;
    other.fit(data);
    QCOMPARE(idsOf(data, other.top(3, config.mode)), expectedTop3);
}

void TestPopularity::bayesianPriorStopsThreeTens_data() {
    QTest::addColumn<double>("priorVotes");
    QTest::addColumn<qint64>("expectedFirst");
    QTest::addRow("no prior: raw mean, three 10s win") << 0.0 << qint64(10);
    QTest::addRow("m=50: a hundred 9s win") << 50.0 << qint64(20);
    QTest::addRow("m=5 already enough") << 5.0 << qint64(20);
}

void TestPopularity::bayesianPriorStopsThreeTens() {
    QFETCH(double, priorVotes);
    QFETCH(qint64, expectedFirst);
    const Dataset data = votingDataset();
    PopularityModel model({PopularityMode::WeightedRating, priorVotes});
    model.fit(data);
    QCOMPARE(qint64(data.catalog.idAt(model.top(1).at(0).item)), expectedFirst);
}

void TestPopularity::weightedScoreFollowsFormula() {
    const Dataset data = votingDataset();
    const double m = 50.0;
    PopularityModel model({PopularityMode::WeightedRating, m});
    model.fit(data);
    const double c = (3 * 10.0 + 100 * 9.0 + 100 * 5.0) / 203.0;
    const auto expect = [&](double v, double r) { return v / (v + m) * r + m / (v + m) * c; };
    const auto at = [&](std::int64_t id) {
        return model.scoreOf(*data.catalog.indexOf(id), PopularityMode::WeightedRating);
    };
    QVERIFY(std::abs(at(10) - expect(3, 10)) < 1e-4);
    QVERIFY(std::abs(at(20) - expect(100, 9)) < 1e-4);
    QVERIFY(std::abs(at(60) - expect(100, 5)) < 1e-4);
    // Unrated items (C has views but no ratings) sit exactly at the prior.
    QVERIFY(std::abs(at(30) - c) < 1e-4);
    QVERIFY(std::abs(at(50) - c) < 1e-4);
}

// The brief's top-100 is by members: D (1,000,000 members, never watched here) leads by default;
// a catalogue without any members figure falls back to the interaction count.
void TestPopularity::defaultRanksByMembers() {
    Dataset data = votingDataset();
    PopularityModel model;
    QCOMPARE(int(model.config().mode), int(PopularityMode::Members));
    model.fit(data);
    QCOMPARE(idsOf(data, model.top(3)), (std::vector<std::int64_t>{40, 50, 60}));
    std::vector<AnimeRecord> withoutMembers = data.catalog.items();
    for (AnimeRecord& record : withoutMembers) record.members.reset();
    Catalog catalog;
    for (const AnimeRecord& record : withoutMembers) catalog.add(record);
    const Dataset counted{std::move(catalog), data.interactions};
    model.fit(counted);
    QCOMPARE(idsOf(counted, model.top(2)), (std::vector<std::int64_t>{20, 60}));
}

void TestPopularity::everyUserGetsTheSameScores() {
    const Dataset data = votingDataset();
    PopularityModel model({PopularityMode::InteractionCount});
    model.fit(data);
    std::vector<float> first(static_cast<std::size_t>(data.catalog.size()));
    std::vector<float> second(first.size());
    const auto history = data.interactions.historyOf(0);
    model.score({0, history}, first);
    model.score({-1, {}}, second);
    QCOMPARE(first, second);
    QCOMPARE(first[static_cast<std::size_t>(*data.catalog.indexOf(20))], 100.0f);
    QCOMPARE(first[static_cast<std::size_t>(*data.catalog.indexOf(30))], 50.0f);
    QCOMPARE(first[static_cast<std::size_t>(*data.catalog.indexOf(40))], 0.0f);
}

void TestPopularity::newCatalogueItemsScoreLowest() {
    const Dataset data = votingDataset();
    PopularityModel model({PopularityMode::WeightedRating, 50.0});
    model.fit(data);
    std::vector<float> scores(static_cast<std::size_t>(data.catalog.size()) + 3, -99.0f);
    model.score({}, scores);
    const float lowest = *std::min_element(scores.begin(), scores.begin() + data.catalog.size());
    for (std::size_t i = static_cast<std::size_t>(data.catalog.size()); i < scores.size(); ++i)
        QCOMPARE(scores[i], lowest - 1.0f);
}

void TestPopularity::topInGenresKeepsOnlyThoseGenres_data() {
    QTest::addColumn<QStringList>("genres");
    QTest::addColumn<std::vector<std::int64_t>>("expected");
    QTest::addRow("one genre") << QStringList{"Action"} << std::vector<std::int64_t>{30, 10};
    QTest::addRow("case-insensitive") << QStringList{"aCTION"} << std::vector<std::int64_t>{30, 10};
    QTest::addRow("union of two") << QStringList{"Action", "Horror"}
                                  << std::vector<std::int64_t>{60, 30, 10};
    QTest::addRow("never-watched genre member still listed")
        << QStringList{"Drama"} << std::vector<std::int64_t>{20, 40};
}

void TestPopularity::topInGenresKeepsOnlyThoseGenres() {
    QFETCH(QStringList, genres);
    QFETCH(std::vector<std::int64_t>, expected);
    const Dataset data = votingDataset();
    PopularityModel model({PopularityMode::InteractionCount});
    model.fit(data);
    std::vector<std::string> names;
    for (const auto& genre : genres) names.push_back(genre.toStdString());
    QCOMPARE(idsOf(data, model.topInGenres(names, 10)), expected);
}

void TestPopularity::unknownGenreIsNamed() {
    const Dataset data = votingDataset();
    PopularityModel model;
    model.fit(data);
    try {
        model.topInGenres({"Action", "Isekai"}, 5);
        QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(std::string(error.what()).find("Isekai") != std::string::npos, error.what());
    }
}

void TestPopularity::saveLoadRoundTrip() {
    const Dataset data = votingDataset();
    PopularityModel model({PopularityMode::WeightedRating, 7.0});
    model.fit(data);
    std::stringstream body;
    model.save(body);
    PopularityModel loaded;
    loaded.load(body);
    QCOMPARE(int(loaded.config().mode), int(PopularityMode::WeightedRating));
    QCOMPARE(loaded.config().priorVotes, 7.0);
    for (int mode = 0; mode < 3; ++mode) {
        const auto m = static_cast<PopularityMode>(mode);
        for (int item = 0; item < data.catalog.size(); ++item)
            QCOMPARE(loaded.scoreOf(item, m), model.scoreOf(item, m));
    }
    QCOMPARE(idsOf(data, loaded.topInGenres({"Comedy"}, 5)),
             idsOf(data, model.topInGenres({"Comedy"}, 5)));
}

void TestPopularity::malformedBodyLeavesModelUnchanged() {
    const Dataset data = votingDataset();
    PopularityModel model;
    model.fit(data);
    std::stringstream body;
    model.save(body);
    const std::string full = body.str();
    PopularityModel target;
    target.fit(data);
    std::istringstream truncated(full.substr(0, full.size() - 5));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(truncated));
    QCOMPARE(target.itemCount(), data.catalog.size());
    QCOMPARE(idsOf(data, target.top(3)), idsOf(data, model.top(3)));
}

void TestPopularity::badConfigIsRejected() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             PopularityModel({PopularityMode::Members, -1.0}));
}

void TestPopularity::reproducesP1Reference() {
    const Dataset all = real::cooperUnionUnion();
    // head 101,001 + sample 520,609 - the 7,426 rows of sample users 1-68 (in the head file).
    QCOMPARE(all.interactions.size(), std::int64_t(614184));
    QCOMPARE(all.interactions.userCount(), 5968);
    const Split split = real::p1Split(all);
    // The reference figures rank by interaction count (the default ranks by members).
    PopularityModel model({PopularityMode::InteractionCount});
    const ModelReport report = fixtures::p1Report(model, all, split);
    const double ndcg = report.metrics.at("ndcg@10");
    const double recall = report.metrics.at("recall@10");
    qInfo("popularity on P1: NDCG@10 %.4f (reference 0.177), Recall@10 %.4f (reference 0.171)",
          ndcg, recall);
    QVERIFY2(std::abs(ndcg - 0.177) / 0.177 < 0.05, qPrintable(QString::number(ndcg)));
    QVERIFY2(std::abs(recall - 0.171) / 0.171 < 0.05, qPrintable(QString::number(recall)));
    fixtures::RandomScores random;
    const double randomNdcg = fixtures::p1Report(random, all, split).metrics.at("ndcg@10");
    qInfo("random on P1: NDCG@10 %.4f", randomNdcg);
    QVERIFY2(ndcg > 10.0 * randomNdcg, qPrintable(QString::number(randomNdcg)));
}

QTEST_APPLESS_MAIN(TestPopularity)
#include "test_popularity.moc"

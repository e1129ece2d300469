#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "data/catalog.h"
#include "eval/evaluator.h"
#include "eval/metrics.h"
#include "eval/split.h"
#include "models/rating_predictor.h"
#include "models/recommender.h"

using namespace animerec;

namespace {

// Test-only recommenders: no fitting, no persistence.
class FixedRecommender : public Recommender {
public:
    std::string name() const override { return "fixed"; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
};

// Knows the answers: held-out items score 1, everything else 0.
class OracleRecommender : public FixedRecommender {
public:
    explicit OracleRecommender(const Split& split, float sign = 1.0f)
        : split_(split), sign_(sign) {}
    std::string name() const override { return sign_ > 0 ? "oracle" : "anti-oracle"; }
    void score(const UserQuery& query, std::span<float> scores) const override {
        std::fill(scores.begin(), scores.end(), 0.0f);
        for (const int item : split_.test[static_cast<std::size_t>(query.user)].items)
            scores[item] = sign_;
    }

private:
    const Split& split_;
    float sign_;
};

// Deterministic pseudo-random scores from (user, item); also predicts a constant rating.
class HashRecommender : public FixedRecommender, public RatingPredictor {
public:
    std::string name() const override { return "hash"; }
    void score(const UserQuery& query, std::span<float> scores) const override {
        for (std::size_t item = 0; item < scores.size(); ++item) {
            std::uint64_t h = static_cast<std::uint64_t>(query.user) * 0x9E3779B97F4A7C15ull +
                              item * 0xC2B2AE3D27D4EB4Full;
            h ^= h >> 29;
            h *= 0xBF58476D1CE4E5B9ull;
            h ^= h >> 32;
            scores[item] = static_cast<float>(h % 10007) / 10007.0f;
        }
    }
    float predictRating(int, int) const override { return 7.0f; }
};

// Prefers items from `first` upwards (never-interacted items in the fixture), then held-out items.
class PreferTailRecommender : public FixedRecommender {
public:
    PreferTailRecommender(const Split& split, int first) : split_(split), first_(first) {}
    void score(const UserQuery& query, std::span<float> scores) const override {
        for (std::size_t item = 0; item < scores.size(); ++item)
            scores[item] = static_cast<int>(item) >= first_ ? 2.0f : 0.0f;
        for (const int item : split_.test[static_cast<std::size_t>(query.user)].items)
            scores[item] = 1.0f;
    }

private:
    const Split& split_;
    int first_;
};

// `items` catalogue entries with genres drawn from 6; the last `unused` items get no events.
struct Fixture {
    Catalog catalog;
    Split split;
};

Fixture makeFixture(int users, int items, int unused, int perUser, unsigned seed) {
    Fixture fixture;
    const char* genres[] = {"Action", "Comedy", "Drama", "Romance", "Sci-Fi", "Slice of Life"};
    std::mt19937 random(seed);
    for (int item = 0; item < items; ++item) {
        AnimeRecord record;
        record.animeId = 1000 + item;
        for (int g = 0; g < 6; ++g)
            if (random() % 3 == 0) record.genres.push_back(genres[g]);
        fixture.catalog.add(record);
    }
    Interactions::Builder builder(items);
    for (int user = 0; user < users; ++user) {
        std::vector<int> pool(static_cast<std::size_t>(items - unused));
        for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<int>(i);
        for (int j = 0; j < perUser; ++j) {
            // Skewed towards low indices so popularity differs between items.
            const auto pick = static_cast<std::size_t>(j + (random() % (pool.size() - j)) *
                                                               (random() % 2 ? 1 : 0) / 2);
            std::swap(pool[static_cast<std::size_t>(j)], pool[pick]);
            builder.add(
                user, Event{pool[static_cast<std::size_t>(j)],
                            static_cast<float>(1 + random() % 10), WatchStatus::Completed, -1, j});
        }
    }
    fixture.split = holdoutSplit(std::move(builder).build(), HoldoutOptions{0.3, 5, false, 11});
    return fixture;
}

EvaluatorOptions quickOptions(int threads) {
    EvaluatorOptions options;
    options.threads = threads;
    options.bootstrap.resamples = 200;
    return options;
}

}  // namespace

class TestEvaluator : public QObject {
    Q_OBJECT
private slots:
    void oracleScoresPerfectly() {
        const auto f = makeFixture(60, 80, 0, 20, 1);
        const Evaluator evaluator(f.split, f.catalog, quickOptions(2));
        const auto report = evaluator.evaluate(OracleRecommender(f.split));
        QCOMPARE(report.evaluatedUsers, 60);
        for (const int k : {5, 10, 20}) {
            QCOMPARE(report.metrics.at(metricKey("recall", k)), 1.0);
            QVERIFY(std::abs(report.metrics.at(metricKey("ndcg", k)) - 1.0) < 1e-6);
            QCOMPARE(report.metrics.at(metricKey("hitrate", k)), 1.0);
            QVERIFY(std::abs(report.metrics.at(metricKey("map", k)) - 1.0) < 1e-6);
        }
        // 6 held-out items each (30% of 20): precision@10 = 6/10.
        QVERIFY(std::abs(report.metrics.at("precision@10") - 0.6) < 1e-6);
        QCOMPARE(report.recallCurve.size(), std::size_t(100));
        QVERIFY(std::abs(report.recallCurve[0] - 1.0) < 1e-9);
        QVERIFY(report.metrics.find("rmse") == report.metrics.end());
    }

    void antiOracleNeverHits() {
        const auto f = makeFixture(40, 200, 0, 20, 2);
        const Evaluator evaluator(f.split, f.catalog, quickOptions(1));
        const auto report = evaluator.evaluate(OracleRecommender(f.split, -1.0f));
        QCOMPARE(report.metrics.at("recall@100"), 0.0);
        QCOMPARE(report.metrics.at("ndcg@100"), 0.0);
        QCOMPARE(report.metrics.at("recall@10_ci_high"), 0.0);
    }

    void resultsDoNotDependOnThreadCount() {
        const auto f = makeFixture(300, 150, 10, 25, 3);
        const HashRecommender model;
        const auto one = Evaluator(f.split, f.catalog, quickOptions(1)).evaluate(model);
        const auto two = Evaluator(f.split, f.catalog, quickOptions(2)).evaluate(model);
        const auto three = Evaluator(f.split, f.catalog, quickOptions(3)).evaluate(model);
        QCOMPARE(one.metrics.size(), two.metrics.size());
        for (const auto& [key, value] : one.metrics) {
            QCOMPARE(two.metrics.at(key), value);
            QCOMPARE(three.metrics.at(key), value);
        }
        QVERIFY(one.recallCurve == two.recallCurve && one.ndcgCurve == three.ndcgCurve);
        QVERIFY(one.perUserValues == two.perUserValues);
    }

    // The evaluator's fast paths (prefix sums, genre bitsets, heap selection) must agree with the
    // reference functions of metrics.h applied to topK() lists.
    void agreesWithReferenceMetrics() {
        const auto f = makeFixture(120, 90, 5, 20, 4);
        const HashRecommender model;
        const auto report = Evaluator(f.split, f.catalog, quickOptions(2)).evaluate(model);
        const auto counts = f.split.train.itemCounts();
        std::vector<std::vector<int>> genreSets;
        for (int item = 0; item < f.catalog.size(); ++item) {
            auto ids = f.catalog.genreIdsOf(item);
            std::sort(ids.begin(), ids.end());
            genreSets.push_back(ids);
        }
        std::vector<int> trainItems;
        for (int item = 0; item < f.catalog.size(); ++item)
            if (counts[item] > 0) trainItems.push_back(item);
        for (const int k : {5, 20}) {
            double ndcg = 0, recall = 0, map = 0, mrr = 0, ild = 0, nov = 0, squared = 0;
            int users = 0, rated = 0;
            std::vector<std::vector<int>> lists;
            std::vector<float> scores(static_cast<std::size_t>(f.catalog.size()));
            for (int user = 0; user < f.split.train.userCount(); ++user) {
                const auto& heldOut = f.split.test[user];
                if (heldOut.items.empty()) continue;
                const auto history = f.split.train.historyOf(user);
                model.score(UserQuery{user, history}, scores);
                std::vector<int> exclude;
                for (const auto& event : history) exclude.push_back(event.item);
                std::vector<int> ranking;
                for (const auto& scored : topK(scores, k, exclude)) ranking.push_back(scored.item);
                const auto m = rankingMetrics(std::span<const int>(ranking),
                                              std::span<const int>(heldOut.items), k);
                ndcg += m.ndcg;
                recall += m.recall;
                map += m.averagePrecision;
                mrr += m.reciprocalRank;
                ild += intraListDiversity(ranking, genreSets, k);
                nov += novelty(ranking, counts, f.split.train.userCount(), k);
                for (const float rating : heldOut.ratings) {
                    squared += (7.0 - rating) * (7.0 - rating);
                    ++rated;
                }
                lists.push_back(ranking);
                ++users;
            }
            const auto near = [](double a, double b) { return std::abs(a - b) < 1e-5; };
            QVERIFY(near(report.metrics.at(metricKey("ndcg", k)), ndcg / users));
            QVERIFY(near(report.metrics.at(metricKey("recall", k)), recall / users));
            QVERIFY(near(report.metrics.at(metricKey("map", k)), map / users));
            QVERIFY(near(report.metrics.at(metricKey("mrr", k)), mrr / users));
            QVERIFY(near(report.metrics.at(metricKey("diversity", k)), ild / users));
            QVERIFY(near(report.metrics.at(metricKey("novelty", k)), nov / users));
            QVERIFY(near(report.metrics.at(metricKey("coverage", k)),
                         catalogCoverage(lists, trainItems)));
            QVERIFY(near(report.metrics.at("rmse"), std::sqrt(squared / rated)));
            QVERIFY(near(report.recallCurve[k - 1], recall / users));
            QVERIFY(near(report.ndcgCurve[k - 1], ndcg / users));
        }
    }

    void interactedModeExcludesItemsThatNeverOccur_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<double>("expectedRecall");
        QTest::addRow("all items") << static_cast<int>(CatalogMode::All) << 0.0;
        QTest::addRow("interacted only") << static_cast<int>(CatalogMode::Interacted) << 1.0;
    }
    void interactedModeExcludesItemsThatNeverOccur() {
        QFETCH(int, mode);
        QFETCH(double, expectedRecall);
        // Items 70..79 have no events; the model ranks them first.
        const auto f = makeFixture(50, 80, 10, 20, 5);
        auto options = quickOptions(2);
        options.catalogMode = static_cast<CatalogMode>(mode);
        const auto report =
            Evaluator(f.split, f.catalog, options).evaluate(PreferTailRecommender(f.split, 70));
        QCOMPARE(report.metrics.at("recall@5"), expectedRecall);
    }

    void interactedCatalogueComesFromTrainOnly() {
        // Item 9 is held out by user 0 and occurs in no train history: in interacted mode it is
        // not ranked (counting test items in would tell the ranking where the answers are).
        Catalog catalog;
        for (int item = 0; item < 10; ++item) {
            AnimeRecord record;
            record.animeId = 1 + item;
            catalog.add(record);
        }
        Interactions::Builder train(10), test(10);
        for (int user = 0; user < 3; ++user)
            for (int item = 0; item < 5; ++item)
                train.add(user, Event{(item + user) % 8, 0.0f, WatchStatus::Completed, -1, item});
        test.add(0, Event{9, 0.0f, WatchStatus::Completed, -1, 9});
        test.add(1, Event{6, 0.0f, WatchStatus::Completed, -1, 9});
        const Split split = splitFromParts(std::move(train).build(), std::move(test).build());
        for (const auto mode : {CatalogMode::All, CatalogMode::Interacted}) {
            auto options = quickOptions(1);
            options.ks = {5};
            options.confidenceIntervals = false;
            options.catalogMode = mode;
            const auto report =
                Evaluator(split, catalog, options).evaluate(OracleRecommender(split));
            // User 1's answer occurs in train (user 2 has it): always found.
            QCOMPARE(report.metrics.at("recall@5"), mode == CatalogMode::All ? 1.0 : 0.5);
        }
    }

    void confidenceIntervalsBracketTheMeanAndShrinkWithUsers() {
        double previousWidth = 2.0;
        for (const int users : {40, 400}) {
            const auto f = makeFixture(users, 60, 0, 20, 6);
            const auto report =
                Evaluator(f.split, f.catalog, quickOptions(2)).evaluate(HashRecommender());
            for (const char* metric : {"recall@10", "ndcg@10", "hitrate@10"}) {
                const std::string key = metric;
                QVERIFY(report.metrics.at(key + "_ci_low") <= report.metrics.at(key));
                QVERIFY(report.metrics.at(key) <= report.metrics.at(key + "_ci_high"));
            }
            const double width =
                report.metrics.at("ndcg@10_ci_high") - report.metrics.at("ndcg@10_ci_low");
            QVERIFY(width > 0.0 && width < previousWidth);
            previousWidth = width;
        }
    }

    void cancellingStopsTheRun() {
        const auto f = makeFixture(500, 40, 0, 10, 7);
        int calls = 0;
        const ProgressCallback cancel = [&](const Progress& p) {
            ++calls;
            return p.done < 100;
        };
        QVERIFY_THROWS_EXCEPTION(
            OperationCancelled,
            Evaluator(f.split, f.catalog, quickOptions(2)).evaluate(HashRecommender(), cancel));
        QVERIFY(calls > 0);
    }

    void reportSerialisesAndFormats() {
        const auto f = makeFixture(30, 40, 0, 10, 8);
        EvaluationReport report;
        report.protocol = f.split.protocol;
        report.ks = {5, 10};
        auto options = quickOptions(1);
        options.ks = report.ks;
        report.models.push_back(Evaluator(f.split, f.catalog, options).evaluate(HashRecommender()));
        report.models.back().trainSeconds = 1.5;
        const QString json = QString::fromStdString(report.toJson());
        const auto document = QJsonDocument::fromJson(json.toUtf8());
        QVERIFY2(document.isObject(), qPrintable(json));
        const auto root = document.object();
        QCOMPARE(root["protocol"].toObject()["protocol"].toString(), QString("holdout"));
        QCOMPARE(root["protocol"].toObject()["seed"].toInt(), 11);
        const auto hash = root["models"].toObject()["hash"].toObject();
        QVERIFY(std::abs(hash["ndcg@10"].toDouble() - report.models[0].metrics.at("ndcg@10")) <
                1e-9);
        QCOMPARE(hash["train_seconds"].toDouble(), 1.5);
        QVERIFY(hash.contains("recall@5_ci_low"));
        QCOMPARE(hash["curves"].toObject()["ndcg"].toArray().size(), 100);
        const auto table = QString::fromStdString(report.formatTable(10));
        const QString ndcg = QString::number(report.models[0].metrics.at("ndcg@10"), 'f', 4);
        QVERIFY2(table.contains("hash") && table.contains("NDCG@10") && table.contains(ndcg),
                 qPrintable(table));
    }

    void rejectsMismatchedCatalogue() {
        const auto f = makeFixture(10, 40, 0, 10, 9);
        Catalog small;
        small.add(AnimeRecord{});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Evaluator(f.split, small));
    }
};

QTEST_APPLESS_MAIN(TestEvaluator)
#include "test_evaluator.moc"

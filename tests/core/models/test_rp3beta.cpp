// RP3beta and the EASE + RP3beta blend on planted blocks: quality against the baselines, the
// walk weights against a direct evaluation of the formula, pruning, explanations, and model files.
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/ease_rp3_blend.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "models/rp3beta.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

Rp3BetaConfig rp3Config(float alpha, float beta, int neighbours) {
    Rp3BetaConfig c;
    c.alpha = alpha;
    c.beta = beta;
    c.neighbours = neighbours;
    c.threads = 2;
    return c;
}

// W[i, j] straight from the definition, in double, from distinct (user, item) pairs.
double walkWeight(const Interactions& data, int source, int target, double alpha, double beta) {
    std::vector<std::set<int>> items(static_cast<std::size_t>(data.userCount()));
    std::map<int, int> popularity;
    for (int u = 0; u < data.userCount(); ++u)
        for (const auto& e : data.historyOf(u)) items[std::size_t(u)].insert(e.item);
    for (const auto& row : items)
        for (int item : row) ++popularity[item];
    double sum = 0.0;
    for (const auto& row : items)
        if (row.count(source) && row.count(target)) sum += std::pow(double(row.size()), -alpha);
    return std::pow(popularity[source], -alpha) * sum * std::pow(popularity[target], -beta);
}

}  // namespace

class TestRp3Beta : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

private slots:
    void beatsPopularityAndRandom() {
        Rp3Beta model(rp3Config(0.8f, 0.3f, 0));
        model.fit(split_.train);
        const double rp3 = precisionAt10(model, split_);
        QVERIFY2(rp3 > 1.4 * popularityPrecision(split_), qPrintable(QString("rp3 %1").arg(rp3)));
        QVERIFY2(rp3 > 1.4 * randomPrecision(split_), qPrintable(QString("rp3 %1").arg(rp3)));
    }

    void weightsMatchDefinition_data() {
        QTest::addColumn<float>("alpha");
        QTest::addColumn<float>("beta");
        QTest::addRow("plain walk") << 1.0f << 0.0f;
        QTest::addRow("damped, penalised") << 0.6f << 0.4f;
    }
    void weightsMatchDefinition() {
        QFETCH(float, alpha);
        QFETCH(float, beta);
        const auto split = plantedBlocks(5, 60, 20);
        Rp3Beta model(rp3Config(alpha, beta, 0));
        model.fit(split.train);
        const auto& data = split.train.interactions;
        double worst = 0.0;
        for (int i = 0; i < 20; ++i)
            for (int j = 0; j < 20; ++j) {
                const double expected = i == j ? 0.0 : walkWeight(data, i, j, alpha, beta);
                worst = std::max(worst, std::abs(expected - model.weight(i, j)) /
                                            std::max(1e-12, std::abs(expected)));
            }
        QVERIFY2(worst < 1e-4, qPrintable(QString("max relative error %1").arg(worst)));
    }

    // Pruning keeps exactly the strongest `neighbours` targets of each row.
    void neighboursKeepStrongest() {
        Rp3Beta full(rp3Config(0.8f, 0.3f, 0)), pruned(rp3Config(0.8f, 0.3f, 5));
        full.fit(split_.train);
        pruned.fit(split_.train);
        const int items = split_.train.catalog.size();
        QVERIFY(pruned.weightCount() <= std::size_t(5 * items));
        QVERIFY(pruned.weightCount() < full.weightCount());
        for (int i = 0; i < items; ++i) {
            float weakestKept = 1e30f;
            int kept = 0;
            for (int j = 0; j < items; ++j)
                if (pruned.weight(i, j) > 0.0f) {
                    QCOMPARE(pruned.weight(i, j), full.weight(i, j));
                    weakestKept = std::min(weakestKept, pruned.weight(i, j));
                    ++kept;
                }
            QCOMPARE(kept, 5);
            for (int j = 0; j < items; ++j)
                if (pruned.weight(i, j) == 0.0f) QVERIFY(full.weight(i, j) <= weakestKept);
        }
    }

    void explainUsesLargestWeights() {
        Rp3Beta model(rp3Config(0.8f, 0.3f, 0));
        model.fit(split_.train);
        const auto history = split_.train.interactions.historyOf(0);
        const int target = 7;
        const auto reasons = model.explain({0, history}, target, 3);
        QCOMPARE(int(reasons.size()), 3);
        for (const auto& reason : reasons)
            QCOMPARE(reason.weight, model.weight(reason.item, target));
        for (const auto& event : history)
            if (std::none_of(reasons.begin(), reasons.end(),
                             [&](const Contribution& c) { return c.item == event.item; }))
                QVERIFY(model.weight(event.item, target) <= reasons.back().weight);
    }

    void saveLoadGivesIdenticalScores() {
        Rp3Beta model(rp3Config(0.7f, 0.2f, 10));
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        Rp3Beta loaded;
        loaded.load(buffer);
        QCOMPARE(loaded.config().neighbours, 10);
        const int items = split_.train.catalog.size();
        for (int u : {0, 5}) {
            const UserQuery query{u, split_.train.interactions.historyOf(u)};
            QCOMPARE(scoresOf(loaded, query, items), scoresOf(model, query, items));
        }
    }

    void corruptBodyThrows_data() {
        QTest::addColumn<int>("mutation");
        QTest::addRow("truncated") << 0;
        QTest::addRow("bad version") << 1;
        QTest::addRow("target out of range") << 2;
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        Rp3Beta model(rp3Config(0.8f, 0.3f, 4));
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        if (mutation == 0) body.resize(body.size() - 5);
        if (mutation == 1) body[0] = 9;
        if (mutation == 2) {
            // header 20 bytes, offsets (8 + 8 * 81), then the targets' length and first target.
            const std::size_t firstTarget = 20 + 8 + 8 * 81 + 8;
            body[firstTarget + 3] = 0x7f;
        }
        std::istringstream in(body);
        Rp3Beta target;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
    }

    void rejectsBadConfig() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Rp3Beta{rp3Config(0.0f, 0.3f, 10)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Rp3Beta{rp3Config(1.0f, -0.1f, 10)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Rp3Beta{rp3Config(1.0f, 0.3f, -1)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("ease_rp3", {{"ease_weight", 1.5}}));
    }

    // w = 1 ranks exactly as EASE, w = 0 exactly as RP3beta (standardising is monotone).
    void blendEndsAreItsParts_data() {
        QTest::addColumn<float>("weight");
        QTest::addRow("ease") << 1.0f;
        QTest::addRow("rp3beta") << 0.0f;
    }
    void blendEndsAreItsParts() {
        QFETCH(float, weight);
        auto made =
            createRecommender("ease_rp3", {{"lambda", 20}, {"neighbours", 0}, {"threads", 2}});
        auto& blend = dynamic_cast<EaseRp3Blend&>(*made);
        blend.fit(split_.train);
        blend.setEaseWeight(weight);
        const Recommender& part = weight == 1.0f ? static_cast<const Recommender&>(blend.ease())
                                                 : static_cast<const Recommender&>(blend.rp3());
        const int items = split_.train.catalog.size();
        for (int u : {0, 1, 9}) {
            const auto history = split_.train.interactions.historyOf(u);
            std::vector<int> seen;
            for (const auto& e : history) seen.push_back(e.item);
            const auto mine = topK(scoresOf(blend, {u, history}, items), 10, seen);
            const auto theirs = topK(scoresOf(part, {u, history}, items), 10, seen);
            for (std::size_t r = 0; r < mine.size(); ++r) QCOMPARE(mine[r].item, theirs[r].item);
        }
    }

    // The blend sits between its parts' quality on planted blocks, well above popularity.
    void blendBeatsPopularity() {
        auto blend = createRecommender("ease_rp3", {{"lambda", 20}, {"ease_weight", 0.5}});
        blend->fit(split_.train);
        const double precision = precisionAt10(*blend, split_);
        QVERIFY2(precision > 1.4 * popularityPrecision(split_),
                 qPrintable(QString("blend %1").arg(precision)));
    }

    // Explanations add up: the score gap between two items equals the gap between the sums of
    // every history item's contribution (the blend is linear in the history).
    void blendContributionsAddUp() {
        auto made = createRecommender("ease_rp3", {{"lambda", 20}, {"ease_weight", 0.6}});
        made->fit(split_.train);
        const auto& blend = dynamic_cast<const EaseRp3Blend&>(*made);
        const auto history = split_.train.interactions.historyOf(3);
        const auto scores = scoresOf(blend, {3, history}, split_.train.catalog.size());
        const auto total = [&](int item) {
            double sum = 0.0;
            for (const auto& c : blend.explain({3, history}, item, 1000)) sum += c.weight;
            return sum;
        };
        const double expected = double(scores[10]) - scores[60];
        QVERIFY2(std::abs(total(10) - total(60) - expected) < 1e-3 * (1.0 + std::abs(expected)),
                 qPrintable(QString("%1 vs %2").arg(total(10) - total(60)).arg(expected)));
        QVERIFY(!blend.explain({3, history}, 10, 3).empty());
        // Explaining a whole answer at once gives the same reasons as item by item.
        const std::vector<int> items{10, 60, 3, 1000000};
        const auto together = blend.explainItems({3, history}, items, 3);
        QCOMPARE(together.size(), items.size());
        for (std::size_t k = 0; k < items.size(); ++k) {
            const auto single = blend.explain({3, history}, items[k], 3);
            QCOMPARE(together[k].size(), single.size());
            for (std::size_t r = 0; r < single.size(); ++r) {
                QCOMPARE(together[k][r].item, single[r].item);
                QCOMPARE(together[k][r].weight, single[r].weight);
            }
        }
        QVERIFY(together.back().empty());  // an index outside the catalogue has no reasons
    }

    void blendModelFileRoundTrip() {
        auto model = createRecommender("ease_rp3",
                                       {{"lambda", 30}, {"ease_weight", 0.7}, {"neighbours", 20}});
        model->fit(split_.train);
        const auto path = (std::filesystem::temp_directory_path() /
                           ("animerec_test_blend_" +
                            std::to_string(QCoreApplication::applicationPid()) + ".model"))
                              .string();
        saveModelFile(path, *model);
        const auto loaded = loadModelFile(path);
        std::filesystem::remove(path);
        QCOMPARE(loaded->name(), std::string("ease_rp3"));
        const auto& blend = dynamic_cast<const EaseRp3Blend&>(*loaded);
        QCOMPARE(blend.config().easeWeight, 0.7f);
        QCOMPARE(blend.config().ease.lambda, 30.0f);
        QCOMPARE(blend.config().rp3.neighbours, 20);
        const int items = split_.train.catalog.size();
        for (int u : {0, 5}) {
            const UserQuery query{u, split_.train.interactions.historyOf(u)};
            QCOMPARE(scoresOf(*loaded, query, items), scoresOf(*model, query, items));
        }
    }
};

QTEST_APPLESS_MAIN(TestRp3Beta)
#include "test_rp3beta.moc"

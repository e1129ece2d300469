#include <QtTest>
#include <stdexcept>

#include "../models/planted_blocks.h"
#include "data/catalog.h"
#include "eval/hyperparameter_search.h"
#include "eval/split.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

Split toSplit(const PlantedSplit& planted) {
    Split split;
    split.train = planted.train.interactions;
    for (const auto& events : planted.heldOut) {
        HeldOut held;
        for (const auto& e : events) held.items.push_back(e.item);
        std::sort(held.items.begin(), held.items.end());
        held.ratings.assign(held.items.size(), 0.0f);
        split.test.push_back(std::move(held));
    }
    return split;
}

}  // namespace

class TestHyperparameterSearch : public QObject {
    Q_OBJECT

private slots:
    void gridIsCartesianProduct() {
        HyperparameterSearchOptions options;
        options.model = "als";
        options.fixed = {{"iterations", 3}};
        options.ranges = {{"alpha", {1, 2}}, {"factors", {4, 8, 16}}};
        const auto candidates = searchCandidates(options);
        QCOMPARE(static_cast<int>(candidates.size()), 6);
        QCOMPARE(candidates[0].at("alpha"), 1.0);
        QCOMPARE(candidates[0].at("factors"), 4.0);
        QCOMPARE(candidates[1].at("factors"), 8.0);  // last range varies fastest
        QCOMPARE(candidates[5].at("alpha"), 2.0);
        QCOMPARE(candidates[5].at("factors"), 16.0);
        for (const auto& c : candidates) QCOMPARE(c.at("iterations"), 3.0);
    }

    void randomTrialsStayInRangeAndAreSeeded() {
        HyperparameterSearchOptions options;
        options.model = "als";
        options.randomTrials = 50;
        ParameterRange reg{"regularization", {}, 0.01, 100.0, true, false};
        ParameterRange factors{"factors", {}, 4, 64, false, true};
        options.ranges = {reg, factors};
        const auto first = searchCandidates(options);
        QCOMPARE(static_cast<int>(first.size()), 50);
        int belowOne = 0;
        for (const auto& c : first) {
            QVERIFY(c.at("regularization") >= 0.01 && c.at("regularization") <= 100.0);
            QVERIFY(c.at("factors") >= 4 && c.at("factors") <= 64);
            QCOMPARE(c.at("factors"), std::round(c.at("factors")));
            belowOne += c.at("regularization") < 1.0;
        }
        QVERIFY(belowOne > 10 && belowOne < 40);  // log-uniform: half the draws below 1
        QCOMPARE(searchCandidates(options), first);
        options.seed = 43;
        QVERIFY(searchCandidates(options) != first);
    }

    void rejectsBadOptions_data() {
        QTest::addColumn<int>("problem");
        QTest::addRow("nothing to tune") << 0;
        QTest::addRow("grid range without values") << 1;
        QTest::addRow("log range from zero") << 2;
        QTest::addRow("fixed and tuned") << 3;
    }
    void rejectsBadOptions() {
        QFETCH(int, problem);
        HyperparameterSearchOptions options;
        options.model = "als";
        if (problem == 1) options.ranges = {{"alpha", {}, 1, 2}};
        if (problem == 2) options.randomTrials = 3, options.ranges = {{"alpha", {}, 0, 2, true}};
        if (problem == 3) options.fixed = {{"alpha", 1}}, options.ranges = {{"alpha", {1, 2}}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, searchCandidates(options));
    }

    void picksTheBestTrial() {
        const auto planted = plantedBlocks();
        const Split split = toSplit(planted);
        HyperparameterSearchOptions options;
        options.model = "als";
        options.fixed = {{"factors", 8}, {"iterations", 5}, {"alpha", 10}};
        // An absurd regularisation shrinks every factor to ~0 and ranks at random.
        options.ranges = {{"regularization", {1e5, 0.1}}};
        int reports = 0;
        const auto result =
            searchHyperparameters(split, planted.train.catalog, options, [&](const Progress& p) {
                reports += p.detail.find(" -> ") != std::string::npos;  // finished trials
                return true;
            });
        QCOMPARE(static_cast<int>(result.trials.size()), 2);
        QCOMPARE(reports, 2);
        QCOMPARE(result.best, 1);
        QCOMPARE(result.bestTrial().parameters.at("regularization"), 0.1);
        QVERIFY(result.trials[1].score > result.trials[0].score + 0.05);
        QCOMPARE(result.bestTrial().score, result.bestTrial().report.metrics.at("ndcg@10"));
    }

    void unknownParameterFailsBeforeTraining() {
        const auto planted = plantedBlocks();
        HyperparameterSearchOptions options;
        options.model = "als";
        options.ranges = {{"alpah", {1, 2}}};
        int reports = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 searchHyperparameters(toSplit(planted), planted.train.catalog,
                                                       options, [&](const Progress&) {
                                                           ++reports;
                                                           return true;
                                                       }));
        QCOMPARE(reports, 0);
    }
};

QTEST_APPLESS_MAIN(TestHyperparameterSearch)
#include "test_hyperparameter_search.moc"

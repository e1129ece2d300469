#include <Eigen/Dense>
#include <QtTest>
#include <sstream>
#include <stdexcept>

#include "models/ease.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

class TestEase : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

    static EaseConfig config(float lambda = 20.0f, int maxItems = 8000) {
        EaseConfig c;
        c.lambda = lambda;
        c.maxItems = maxItems;
        c.dropout = 0.0f;  // plain EASE, the closed form these tests check (the default denoises)
        c.threads = 2;
        return c;
    }

private slots:
    void beatsPopularityAndRandom() {
        Ease model(config());
        model.fit(split_.train);
        const double ease = precisionAt10(model, split_);
        QVERIFY2(ease > 1.4 * popularityPrecision(split_),
                 qPrintable(QString("ease %1").arg(ease)));
        QVERIFY2(ease > 1.4 * randomPrecision(split_), qPrintable(QString("ease %1").arg(ease)));
    }

    void diagonalIsZero() {
        Ease model(config());
        model.fit(split_.train);
        QCOMPARE(model.modelledItemCount(), split_.train.catalog.size());
        for (int i = 0; i < model.modelledItemCount(); ++i) QCOMPARE(model.weight(i, i), 0.0f);
    }

    // The blocked inverse against a plain dense solve, on more items than one column block, for
    // EASE (Steck 2019), EASE with emphasised dropout and full-rank EDLAE (Steck 2020, eq. 9),
    // each user's rows weighted c n_u^-exponent or not.
    void matchesClosedForm_data() {
        QTest::addColumn<int>("items");
        QTest::addColumn<float>("lambda");
        QTest::addColumn<float>("dropout");
        QTest::addColumn<bool>("fullRank");
        QTest::addColumn<float>("userWeight");
        QTest::addRow("one block") << 80 << 20.0f << 0.0f << false << 0.0f;
        QTest::addRow("three blocks") << 600 << 5.0f << 0.0f << false << 0.0f;
        QTest::addRow("dropout") << 80 << 20.0f << 0.25f << false << 0.0f;
        QTest::addRow("edlae one block") << 80 << 20.0f << 0.25f << true << 0.0f;
        QTest::addRow("edlae three blocks") << 600 << 5.0f << 0.4f << true << 0.0f;
        QTest::addRow("user weights") << 80 << 20.0f << 0.25f << false << 1.0f;
        QTest::addRow("edlae user weights") << 600 << 5.0f << 0.4f << true << 0.5f;
    }
    void matchesClosedForm() {
        QFETCH(int, items);
        QFETCH(float, lambda);
        QFETCH(float, dropout);
        QFETCH(bool, fullRank);
        QFETCH(float, userWeight);
        const auto split = plantedBlocks(11, 300, items);
        EaseConfig c = config(lambda);
        c.dropout = dropout;
        c.fullRank = fullRank;
        c.userWeightExponent = userWeight;
        Ease model(c);
        model.fit(split.train);
        QCOMPARE(model.name(), std::string(fullRank ? "edlae" : "ease"));
        const int n = model.modelledItemCount();
        const auto& order = model.modelledItems();
        std::vector<int> position(static_cast<std::size_t>(items), -1);
        for (int p = 0; p < n; ++p)
            position[static_cast<std::size_t>(order[static_cast<std::size_t>(p)])] = p;
        Eigen::MatrixXd x = Eigen::MatrixXd::Zero(split.train.interactions.userCount(), n);
        for (int u = 0; u < split.train.interactions.userCount(); ++u)
            for (const auto& e : split.train.interactions.historyOf(u))
                if (position[static_cast<std::size_t>(e.item)] >= 0)
                    x(u, position[static_cast<std::size_t>(e.item)]) = 1.0;
        const Eigen::VectorXd lengths = x.rowwise().sum();
        QVERIFY(userWeight == 0.0f || lengths.maxCoeff() > lengths.minCoeff());  // weights differ
        Eigen::VectorXd w = lengths.array().pow(-double(userWeight));
        w *= lengths.sum() / lengths.dot(w);
        Eigen::MatrixXd g = x.transpose() * w.asDiagonal() * x;
        const Eigen::VectorXd ridge =
            g.diagonal().array() * (double(dropout) / (1.0 - double(dropout))) + double(lambda);
        g.diagonal() += ridge;
        const Eigen::MatrixXd p = g.inverse();
        double worst = 0.0;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const double offDiagonal = fullRank ? -p(j, i) * ridge[i] : -p(j, i) / p(i, i);
                const double expected = i == j ? 0.0 : offDiagonal;
                worst = std::max(worst, std::abs(expected - model.weight(j, i)));
            }
        QVERIFY2(worst < 1e-4, qPrintable(QString("max |B - closed form| = %1").arg(worst)));
    }

    void unmodelledItemsScoreLowest() {
        Ease model(config(20.0f, 30));
        model.fit(split_.train);
        QCOMPARE(model.modelledItemCount(), 30);
        const auto counts = split_.train.interactions.itemCounts();
        std::vector<std::uint8_t> modelled(counts.size(), 0);
        int minModelledCount = 1 << 30;
        for (int item : model.modelledItems()) {
            modelled[static_cast<std::size_t>(item)] = 1;
            minModelledCount = std::min(minModelledCount, counts[static_cast<std::size_t>(item)]);
        }
        const auto scores = scoresOf(model, {0, split_.train.interactions.historyOf(0)},
                                     split_.train.catalog.size());
        float lowestModelled = 1e30f, highestOther = -1e30f;
        for (std::size_t i = 0; i < scores.size(); ++i) {
            QVERIFY(std::isfinite(scores[i]));
            if (modelled[i])
                lowestModelled = std::min(lowestModelled, scores[i]);
            else {
                highestOther = std::max(highestOther, scores[i]);
                QVERIFY(counts[i] <= minModelledCount);  // the most frequent items were kept
            }
        }
        QVERIFY(highestOther < lowestModelled);
    }

    void explainUsesLargestWeights() {
        Ease model(config());
        model.fit(split_.train);
        const auto history = split_.train.interactions.historyOf(0);
        const int target = 7;
        const auto reasons = model.explain({0, history}, target, 3);
        QCOMPARE(static_cast<int>(reasons.size()), 3);
        const auto& items = model.modelledItems();
        const auto positionOf = [&](int item) {
            return static_cast<int>(std::find(items.begin(), items.end(), item) - items.begin());
        };
        for (const auto& reason : reasons)
            QCOMPARE(reason.weight, model.weight(positionOf(reason.item), positionOf(target)));
        for (const auto& event : history) {
            if (event.item == target) continue;
            const bool listed =
                std::any_of(reasons.begin(), reasons.end(),
                            [&](const Contribution& c) { return c.item == event.item; });
            if (!listed)
                QVERIFY(model.weight(positionOf(event.item), positionOf(target)) <=
                        reasons.back().weight);
        }
    }

    void scoreIsSumOfHistoryRows() {
        Ease model(config());
        model.fit(split_.train);
        std::vector<Event> history(2);
        history[0].item = 3;
        history[1].item = 50;
        const auto scores = scoresOf(model, {-1, history}, split_.train.catalog.size());
        const auto& items = model.modelledItems();
        const auto pos = [&](int item) {
            return static_cast<int>(std::find(items.begin(), items.end(), item) - items.begin());
        };
        QCOMPARE(scores[10], model.weight(pos(3), pos(10)) + model.weight(pos(50), pos(10)));
    }

    void saveLoadGivesIdenticalScores_data() {
        QTest::addColumn<bool>("fullRank");
        QTest::addRow("ease") << false;
        QTest::addRow("edlae") << true;
    }
    void saveLoadGivesIdenticalScores() {
        QFETCH(bool, fullRank);
        EaseConfig c = config(20.0f, 50);
        c.dropout = 0.25f;
        c.fullRank = fullRank;
        c.userWeightExponent = 0.5f;
        Ease model(c);
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        Ease loaded;
        loaded.load(buffer);
        QCOMPARE(loaded.name(), model.name());
        QCOMPARE(loaded.config().userWeightExponent, 0.5f);
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
        QTest::addRow("negative lambda") << 2;
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        Ease model(config());
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        if (mutation == 0) body.resize(body.size() - 7);
        if (mutation == 1) body[1] = 7;
        if (mutation == 2) body[7] = static_cast<char>(0x80 | body[7]);  // sign bit of lambda
        std::istringstream in(body);
        Ease target;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
    }

    void rejectsBadConfig() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Ease{config(0.0f)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Ease{config(10.0f, 0)});
        EaseConfig negativeWeight = config();
        negativeWeight.userWeightExponent = -0.5f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Ease{negativeWeight});
    }
};

QTEST_APPLESS_MAIN(TestEase)
#include "test_ease.moc"

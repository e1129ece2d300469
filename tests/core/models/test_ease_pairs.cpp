#include <Eigen/Dense>
#include <QtTest>
#include <cstring>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "models/ease_pairs.h"
#include "models/model_factory.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

EasePairsConfig config(int pairs = 40, float pairLambda = 5.0f) {
    EasePairsConfig c;
    c.base.lambda = 20.0f;
    c.pairs = pairs;
    c.pairLambda = pairLambda;
    c.pairItems = 30;
    c.threads = 2;
    return c;
}

}  // namespace

class TestEasePairs : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

private slots:
    void beatsPopularity() {
        EasePairs model(config());
        model.fit(split_.train);
        QCOMPARE(static_cast<int>(model.pairFirst().size()), 40);
        const double pairs = precisionAt10(model, split_);
        QVERIFY2(pairs > 1.4 * popularityPrecision(split_),
                 qPrintable(QString("ease_pairs %1").arg(pairs)));
    }

    // The chosen pairs are the most shared ones among the first pairItems positions, and [B; C]
    // is the joint ridge solution with each column's own pairs (and, for EASE's B, its own item)
    // removed from the features: a dense solve per column here, against the model's single
    // inverse with Lagrange elimination.
    void matchesConstrainedJointRidge_data() {
        QTest::addColumn<bool>("fullRank");
        QTest::addColumn<float>("pairDropout");
        QTest::addRow("edlae, ridge") << true << 0.0f;
        QTest::addRow("edlae, pair dropout") << true << 0.5f;
        QTest::addRow("ease") << false << 0.0f;
    }
    void matchesConstrainedJointRidge() {
        QFETCH(bool, fullRank);
        QFETCH(float, pairDropout);
        EasePairsConfig c = config();
        c.base.fullRank = fullRank;
        c.pairDropout = pairDropout;
        EasePairs model(c);
        model.fit(split_.train);
        const Ease& base = model.base();
        const int n = base.modelledItemCount();
        QCOMPARE(n, split_.train.catalog.size());
        std::vector<int> position(static_cast<std::size_t>(n), -1);
        for (int p = 0; p < n; ++p)
            position[static_cast<std::size_t>(base.modelledItems()[static_cast<std::size_t>(p)])] =
                p;
        const int users = split_.train.interactions.userCount();
        Eigen::MatrixXd x = Eigen::MatrixXd::Zero(users, n);
        for (int u = 0; u < users; ++u)
            for (const auto& e : split_.train.interactions.historyOf(u))
                x(u, position[static_cast<std::size_t>(e.item)]) = 1.0;

        // Pair choice: the 40 largest co-occurrence counts among the first 30 positions.
        const Eigen::MatrixXd g = x.transpose() * x;
        std::vector<double> counts;
        for (int i = 0; i < 30; ++i)
            for (int j = i + 1; j < 30; ++j) counts.push_back(g(i, j));
        std::sort(counts.rbegin(), counts.rend());
        const auto& first = model.pairFirst();
        const auto& second = model.pairSecond();
        const int m = static_cast<int>(first.size());
        QCOMPARE(m, 40);
        double smallestChosen = 1e30;
        for (int k = 0; k < m; ++k) {
            QVERIFY(first[std::size_t(k)] < second[std::size_t(k)] && second[std::size_t(k)] < 30);
            smallestChosen =
                std::min(smallestChosen, g(first[std::size_t(k)], second[std::size_t(k)]));
        }
        QCOMPARE(smallestChosen, counts[39]);

        Eigen::MatrixXd f(users, n + m);
        f.leftCols(n) = x;
        for (int k = 0; k < m; ++k)
            f.col(n + k) = x.col(first[std::size_t(k)]).cwiseProduct(x.col(second[std::size_t(k)]));
        const Eigen::MatrixXd gram = f.transpose() * f;
        Eigen::VectorXd ridge(n + m);
        for (int i = 0; i < n + m; ++i)
            ridge[i] = i < n ? 20.0 + 0.4 / 0.6 * gram(i, i)
                             : 5.0 + pairDropout / (1.0 - pairDropout) * gram(i, i);
        double worst = 0.0;
        for (int item = 0; item < n; ++item) {
            std::vector<int> kept;
            for (int i = 0; i < n + m; ++i) {
                const bool own = i < n ? (!fullRank && i == item)
                                       : (first[std::size_t(i - n)] == item ||
                                          second[std::size_t(i - n)] == item);
                if (!own) kept.push_back(i);
            }
            const auto size = static_cast<Eigen::Index>(kept.size());
            Eigen::MatrixXd system(size, size);
            Eigen::VectorXd right(size);
            for (Eigen::Index a = 0; a < size; ++a) {
                right[a] = gram(kept[std::size_t(a)], item);
                for (Eigen::Index b = 0; b < size; ++b)
                    system(a, b) = gram(kept[std::size_t(a)], kept[std::size_t(b)]);
                system(a, a) += ridge[kept[std::size_t(a)]];
            }
            const Eigen::VectorXd solved = system.ldlt().solve(right);
            Eigen::VectorXd expected = Eigen::VectorXd::Zero(n + m);
            for (Eigen::Index a = 0; a < size; ++a) expected[kept[std::size_t(a)]] = solved[a];
            for (int i = 0; i < n; ++i)
                if (i != item)
                    worst = std::max(worst, std::abs(expected[i] - base.weight(i, item)));
            QCOMPARE(base.weight(item, item), 0.0f);
            for (int k = 0; k < m; ++k) {
                if (first[std::size_t(k)] == item || second[std::size_t(k)] == item)
                    QCOMPARE(model.pairWeight(k, item), 0.0f);
                worst = std::max(worst, std::abs(expected[n + k] - model.pairWeight(k, item)));
            }
        }
        QVERIFY2(worst < 1e-3, qPrintable(QString("max |[B; C] - joint ridge| = %1").arg(worst)));
    }

    // score = B's scores plus the C rows of the pairs whose two items the history holds.
    void scoreAddsActivePairRows() {
        EasePairs model(config());
        model.fit(split_.train);
        const int items = split_.train.catalog.size();
        const auto& order = model.base().modelledItems();
        int usersWithPairs = 0;
        for (int user = 0; user < 20; ++user) {
            const auto history = split_.train.interactions.historyOf(user);
            const auto scores = scoresOf(model, {user, history}, items);
            const auto baseScores = scoresOf(model.base(), {user, history}, items);
            std::vector<bool> held(static_cast<std::size_t>(items), false);
            for (const auto& e : history) held[static_cast<std::size_t>(e.item)] = true;
            std::vector<int> active;
            for (std::size_t k = 0; k < model.pairFirst().size(); ++k)
                if (held[std::size_t(order[std::size_t(model.pairFirst()[k])])] &&
                    held[std::size_t(order[std::size_t(model.pairSecond()[k])])])
                    active.push_back(static_cast<int>(k));
            usersWithPairs += active.empty() ? 0 : 1;
            for (int p = 0; p < static_cast<int>(order.size()); ++p) {
                const auto item = static_cast<std::size_t>(order[std::size_t(p)]);
                double expected = baseScores[item];
                for (int k : active) expected += model.pairWeight(k, p);
                QVERIFY2(std::abs(expected - scores[item]) < 1e-4,
                         qPrintable(QString("user %1 item %2").arg(user).arg(item)));
            }
        }
        QVERIFY(usersWithPairs >= 5);
    }

    // Without pairs the model is EDLAE (or EASE), as the family `edlae` (`ease`) fits it.
    void noPairsIsItsBase_data() {
        QTest::addColumn<bool>("fullRank");
        QTest::addRow("edlae") << true;
        QTest::addRow("ease") << false;
    }
    void noPairsIsItsBase() {
        QFETCH(bool, fullRank);
        EasePairsConfig c = config(0);
        c.base.fullRank = fullRank;
        EasePairs model(c);
        model.fit(split_.train);
        QVERIFY(model.pairFirst().empty());
        EaseConfig baseConfig = c.base;
        baseConfig.threads = 2;
        Ease reference(baseConfig);
        reference.fit(split_.train);
        QCOMPARE(model.base().modelledItems(), reference.modelledItems());
        const int n = reference.modelledItemCount();
        double worst = 0.0;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                worst = std::max(
                    worst, double(std::abs(model.base().weight(i, j) - reference.weight(i, j))));
        QVERIFY2(worst < 1e-5, qPrintable(QString("max |B - Ease's B| = %1").arg(worst)));
    }

    // Every history item is listed and the contributions add up to the score.
    void explanationsSumToTheScore() {
        EasePairs model(config());
        model.fit(split_.train);
        const auto history = split_.train.interactions.historyOf(4);
        const int items = split_.train.catalog.size();
        const auto scores = scoresOf(model, {4, history}, items);
        for (int target : {3, 50, 77}) {
            const auto reasons =
                model.explain({4, history}, target, static_cast<int>(history.size()));
            double sum = 0.0;
            for (std::size_t k = 0; k < reasons.size(); ++k) {
                sum += reasons[k].weight;
                if (k > 0) QVERIFY(reasons[k - 1].weight >= reasons[k].weight);
            }
            QVERIFY2(std::abs(sum - scores[static_cast<std::size_t>(target)]) < 1e-4,
                     qPrintable(QString("%1 vs %2").arg(sum).arg(scores[std::size_t(target)])));
        }
    }

    void saveLoadGivesIdenticalScores() {
        auto made = createRecommender("ease_pairs", {{"lambda", 20},
                                                     {"pairs", 25},
                                                     {"pair_lambda", 3},
                                                     {"pair_dropout", 0.3},
                                                     {"pair_items", 20}});
        made->fit(split_.train);
        std::stringstream buffer;
        made->save(buffer);
        auto loaded = createRecommender("ease_pairs");
        loaded->load(buffer);
        const auto& pairs = dynamic_cast<const EasePairs&>(*loaded);
        QCOMPARE(pairs.config().pairs, 25);
        QCOMPARE(pairs.config().pairDropout, 0.3f);
        QCOMPARE(pairs.config().base.lambda, 20.0f);
        QCOMPARE(static_cast<int>(pairs.pairFirst().size()), 25);
        const int items = split_.train.catalog.size();
        for (int u : {0, 5, 9}) {
            const UserQuery query{u, split_.train.interactions.historyOf(u)};
            QCOMPARE(scoresOf(*loaded, query, items), scoresOf(*made, query, items));
        }
    }

    void corruptBodyThrows_data() {
        QTest::addColumn<int>("mutation");
        QTest::addColumn<QString>("reason");
        QTest::addRow("truncated") << 0 << "";
        QTest::addRow("bad version") << 1 << "unsupported body version";
        QTest::addRow("negative pair lambda") << 2 << "impossible header";
        QTest::addRow("bad pair") << 3 << "bad pair";
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        QFETCH(QString, reason);
        EasePairs model(config(10));
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        if (mutation == 0) body.resize(body.size() - 7);
        if (mutation == 1) body[0] = 9;
        if (mutation == 2) body[11] = static_cast<char>(0x80 | body[11]);  // sign of pair lambda
        if (mutation == 3) {
            // The first pair's first position, just after B's body and the vector's length.
            std::stringstream baseBody;
            model.base().save(baseBody);
            const std::size_t at = 4 + 4 + 4 + 4 + 4 + baseBody.str().size() + 8;
            const std::int32_t beyond = 1 << 20;
            std::memcpy(body.data() + at, &beyond, sizeof beyond);
        }
        std::istringstream in(body);
        EasePairs target;
        try {
            target.load(in);
            QFAIL("expected std::runtime_error");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find(reason.toStdString()) != std::string::npos,
                     error.what());
        }
    }

    void rejectsBadConfig() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EasePairs{config(-1)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EasePairs{config(10, 0.0f)});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("ease_pairs", {{"pair_dropout", 1.0}}));
        // Its joint fit has no user weighting: refused, not silently ignored.
        EasePairsConfig weighted = config(10);
        weighted.base.userWeightExponent = 0.5f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EasePairs{weighted});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("ease_pairs", {{"user_weight", 0.5}}));
    }
};

QTEST_APPLESS_MAIN(TestEasePairs)
#include "test_ease_pairs.moc"

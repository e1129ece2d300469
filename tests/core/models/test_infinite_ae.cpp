#include <Eigen/Dense>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <stdexcept>

#include "models/infinite_ae.h"
#include "models/model_factory.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

InfiniteAeConfig config(float lambda = 5.0f) {
    InfiniteAeConfig c;
    c.lambda = lambda;
    c.threads = 2;
    return c;
}

// The tangent kernel of the one-hidden-layer ReLU network by its definition, as expectations
// over the Gaussian pre-activations (u, v) of the hidden layer, estimated by sampling:
// Theta = W^2 E[relu(u) relu(v)] + b^2 + W^2 * K1 * E[relu'(u) relu'(v)], with (u, v) of
// covariance K1 = W^2 x.y / width + b^2.
double sampledKernel(double overlap, double sizeA, double sizeB, int width) {
    const double w2 = 2.0, b2 = 0.01;
    const double caa = w2 * sizeA / width + b2, cbb = w2 * sizeB / width + b2;
    const double cab = w2 * overlap / width + b2;
    std::mt19937_64 random(11);
    std::normal_distribution<double> normal;
    const double a = std::sqrt(caa), c = cab / a, d = std::sqrt(std::max(0.0, cbb - c * c));
    double relu = 0.0, derivative = 0.0;
    const int samples = 2'000'000;
    for (int i = 0; i < samples; ++i) {
        const double z1 = normal(random), z2 = normal(random);
        const double u = a * z1, v = c * z1 + d * z2;
        relu += std::max(u, 0.0) * std::max(v, 0.0);
        derivative += (u > 0 && v > 0) ? 1.0 : 0.0;
    }
    relu /= samples;
    derivative /= samples;
    return w2 * relu + b2 + w2 * cab * derivative;
}

}  // namespace

class TestInfiniteAe : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

private slots:
    // The closed form against the expectations it stands for, on inputs near and far apart.
    void kernelIsTheNetworksTangentKernel_data() {
        QTest::addColumn<double>("overlap");
        QTest::addColumn<double>("sizeA");
        QTest::addColumn<double>("sizeB");
        QTest::addRow("disjoint") << 0.0 << 20.0 << 35.0;
        QTest::addRow("partly shared") << 12.0 << 20.0 << 35.0;
        QTest::addRow("nested") << 20.0 << 20.0 << 35.0;
        QTest::addRow("one title each") << 1.0 << 1.0 << 1.0;
    }
    void kernelIsTheNetworksTangentKernel() {
        QFETCH(double, overlap);
        QFETCH(double, sizeA);
        QFETCH(double, sizeB);
        const double closed = InfiniteAe::kernel(overlap, sizeA, sizeB, 80);
        const double sampled = sampledKernel(overlap, sizeA, sizeB, 80);
        QVERIFY2(std::abs(closed - sampled) < 0.01 * sampled,
                 qPrintable(QString("closed %1, sampled %2").arg(closed).arg(sampled)));
        // Symmetric, and at identical inputs W^2 K1 + b^2 (half from each ReLU expectation).
        QCOMPARE(InfiniteAe::kernel(overlap, sizeB, sizeA, 80), closed);
        const double k1 = 2.0 * sizeA / 80 + 0.01;
        QVERIFY(std::abs(InfiniteAe::kernel(sizeA, sizeA, sizeA, 80) - (2.0 * k1 + 0.01)) < 1e-12);
    }

    // Scores are the kernel ridge regression solved densely in double precision.
    void matchesDenseKernelRidgeRegression() {
        InfiniteAe model(config(5.0f));
        model.fit(split_.train);
        const auto& train = split_.train.interactions;
        const int n = train.userCount(), width = model.modelledItemCount();
        QCOMPARE(model.supportUserCount(), n);  // every planted user has titles
        std::vector<int> position(static_cast<std::size_t>(split_.train.catalog.size()), -1);
        for (int p = 0; p < width; ++p) position[model.modelledItems()[p]] = p;
        Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, width);
        for (int u = 0; u < n; ++u)
            for (const Event& e : train.historyOf(u)) x(u, position[e.item]) = 1.0;
        const Eigen::MatrixXd overlap = x * x.transpose();
        Eigen::MatrixXd k(n, n);
        for (int a = 0; a < n; ++a)
            for (int b = 0; b < n; ++b)
                k(a, b) = InfiniteAe::kernel(overlap(a, b), overlap(a, a), overlap(b, b), width);
        const double ridge = 5.0 * k.diagonal().mean();
        const Eigen::MatrixXd alpha = (k + ridge * Eigen::MatrixXd::Identity(n, n)).ldlt().solve(x);
        double worst = 0.0;
        for (int u : {0, 7, 101}) {
            const Eigen::RowVectorXd expected = k.row(u) * alpha;
            const auto scores =
                scoresOf(model, {u, train.historyOf(u)}, split_.train.catalog.size());
            for (int p = 0; p < width; ++p)
                worst = std::max(worst, std::abs(scores[model.modelledItems()[p]] - expected[p]) /
                                            (expected.cwiseAbs().maxCoeff()));
        }
        QVERIFY2(worst < 2e-3, qPrintable(QString("max relative error %1").arg(worst)));
    }

    void beatsPopularity() {
        InfiniteAe model(config());
        model.fit(split_.train);
        const double kernel = precisionAt10(model, split_);
        const double popularity = popularityPrecision(split_);
        QVERIFY2(kernel > 1.4 * popularity,
                 qPrintable(QString("inf_ae %1, popularity %2").arg(kernel).arg(popularity)));
    }

    // With fewer support users than users: a seeded sample of them; everyone, the sampled or
    // not, is scored from the history alone; unmodelled titles score below the rest.
    void supportSampleAndUnseenUsers() {
        InfiniteAeConfig c = config();
        c.maxUsers = 100;
        c.maxItems = 50;
        InfiniteAe model(c);
        model.fit(split_.train);
        QCOMPARE(model.supportUserCount(), 100);
        QCOMPARE(model.modelledItemCount(), 50);
        const int items = split_.train.catalog.size();
        const auto history = split_.train.interactions.historyOf(3);
        const auto trained = scoresOf(model, {3, history}, items);
        QCOMPARE(scoresOf(model, {-1, history}, items), trained);
        std::vector<Event> doubled(history.begin(), history.end());
        doubled.push_back(history.front());
        QCOMPARE(scoresOf(model, {-1, doubled}, items), trained);
        const float lowest = *std::min_element(trained.begin(), trained.end());
        QCOMPARE(static_cast<int>(std::count(trained.begin(), trained.end(), lowest)), items - 50);
        InfiniteAe again(c);
        again.fit(split_.train);
        QCOMPARE(scoresOf(again, {3, history}, items), trained);
    }

    void saveLoadGivesIdenticalScores() {
        InfiniteAe model(config());
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        InfiniteAe loaded;
        loaded.load(buffer);
        QCOMPARE(loaded.config().lambda, 5.0f);
        QCOMPARE(loaded.itemCount(), model.itemCount());
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
        QTest::addRow("item index outside the catalogue") << 3;
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        InfiniteAe model(config());
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        // Layout: version (4), lambda at 4, max items, max users, seed (8), item count at 24,
        // the item vector's length (8) and its first index at 36.
        if (mutation == 0) body.resize(body.size() - 7);
        if (mutation == 1) body[0] = 9;
        if (mutation == 2) body[7] = static_cast<char>(0x80 | body[7]);  // lambda's sign bit
        if (mutation == 3) {
            const std::int32_t outside = 1 << 20;
            std::memcpy(body.data() + 36, &outside, sizeof outside);
        }
        InfiniteAe target(config(50.0f));
        target.fit(split_.train);
        const UserQuery query{2, split_.train.interactions.historyOf(2)};
        const auto before = scoresOf(target, query, split_.train.catalog.size());
        std::istringstream in(body);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
        QCOMPARE(target.config().lambda, 50.0f);
        QCOMPARE(scoresOf(target, query, split_.train.catalog.size()), before);
    }

    void rejectsBadConfig() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, InfiniteAe{config(0.0f)});
        InfiniteAeConfig c = config();
        c.maxUsers = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, InfiniteAe{c});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("inf_ae", {{"lambda", -1.0}}));
        InfiniteAe untrained;
        std::vector<float> scores(4);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, untrained.score({0, {}}, scores));
    }
};

QTEST_APPLESS_MAIN(TestInfiniteAe)
#include "test_infinite_ae.moc"

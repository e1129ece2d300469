#include <QtTest>
#include <sstream>
#include <thread>

#include "models/gru4rec.h"
#include "models/model_factory.h"
#include "test_sasrec_fixtures.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

Gru4RecConfig smallConfig(bool tied, bool projection = true) {
    Gru4RecConfig config;
    config.dim = 24;
    config.projection = projection;
    config.dropout = 0.0f;
    config.tiedOutput = tied;
    config.training.maxLength = 8;
    config.training.epochs = 40;
    config.training.batchSize = 16;
    config.training.learningRate = 1e-2f;
    config.training.patience = 40;
    config.training.seed = 11;
    return config;
}

std::string savedBody(const Recommender& model) {
    std::ostringstream out;
    model.save(out);
    return out.str();
}

}  // namespace

class TestGru4Rec : public QObject {
    Q_OBJECT
private slots:
    void learnsDeterministicSequence_data() {
        QTest::addColumn<bool>("tied");
        QTest::addColumn<bool>("projection");
        QTest::addRow("tied output") << true << true;
        QTest::addRow("separate output") << false << true;
        QTest::addRow("tied, no projection") << true << false;
    }
    void learnsDeterministicSequence() {
        QFETCH(bool, tied);
        QFETCH(bool, projection);
        Gru4RecModel model(smallConfig(tied, projection));
        model.fit(cycleDataset(20, 60, 12));
        const auto& curve = model.trainingCurve();
        QVERIFY2(curve.back() < 0.5f * curve.front(),
                 qPrintable(QString("loss %1 -> %2").arg(curve.front()).arg(curve.back())));
        const double hitRate = cycleHitRateAt1(model, 20, 8);
        QVERIFY2(hitRate >= 0.95, qPrintable(QString("HR@1 %1").arg(hitRate)));

        // save/load round trip gives identical scores
        std::istringstream in(savedBody(model));
        Gru4RecModel loaded;
        loaded.load(in);
        QCOMPARE(loaded.config().tiedOutput, tied);
        QCOMPARE(loaded.config().projection, projection);
        const auto history = historyOf({4, 5, 6});
        QCOMPARE(scoresFor(loaded, history, 20), scoresFor(model, history, 20));

        // two threads scoring at once agree with the sequential result
        const auto expected = scoresFor(model, history, 20);
        std::vector<float> a, b;
        std::thread first([&] {
            for (int i = 0; i < 100; ++i) a = scoresFor(model, history, 20);
        });
        std::thread second([&] {
            for (int i = 0; i < 100; ++i) b = scoresFor(model, history, 20);
        });
        first.join();
        second.join();
        QCOMPARE(a, expected);
        QCOMPARE(b, expected);
    }

    void corruptBodyThrows() {
        Gru4RecConfig config = smallConfig(true);
        config.training.epochs = 2;
        Gru4RecModel model(config);
        model.fit(cycleDataset(20, 10, 6));
        const std::string body = savedBody(model);
        for (const std::string& bad :
             {body.substr(0, 9), body.substr(0, body.size() - 50), std::string("garbage")}) {
            Gru4RecModel target;
            std::istringstream in(bad);
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
        }
        std::string flipped = body;
        flipped[20] = 7;  // the tied-output flag must be 0 or 1
        std::istringstream in(flipped);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.load(in));
        flipped = body;
        flipped[21] = 7;  // so must the projection flag
        std::istringstream inProjection(flipped);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.load(inProjection));
    }

    // Files written before the projection (body version 1), the plan-to-watch flag (version 2)
    // or the side-feature and time-gap flags (version 3) existed still load: without the
    // projection, reading watched titles only, without side features or time gaps.
    void olderBodiesLoad_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("missingBytes");  // the flags after the tied byte a version lacks
        QTest::addRow("version 1") << 1 << 4;
        QTest::addRow("version 2") << 2 << 3;
        QTest::addRow("version 3") << 3 << 2;
    }
    void olderBodiesLoad() {
        QFETCH(int, version);
        QFETCH(int, missingBytes);
        Gru4RecConfig config = smallConfig(true, version >= 2);
        config.training.epochs = 2;
        config.training.planToWatch = false;  // what an older body means
        Gru4RecModel model(config);
        model.fit(cycleDataset(20, 10, 6));
        std::string body = savedBody(model);
        QCOMPARE(static_cast<int>(body[0]), 4);  // little-endian uint32 version
        body[0] = static_cast<char>(version);
        // version, items, dim, maxLength, dropout, tied: 21 bytes; then projection, plan to
        // watch, side features, time gaps
        body.erase(21 + 4 - static_cast<std::size_t>(missingBytes),
                   static_cast<std::size_t>(missingBytes));
        std::istringstream in(body);
        Gru4RecModel loaded;
        loaded.load(in);
        QCOMPARE(loaded.config().projection, version >= 2);
        QVERIFY(!loaded.config().training.planToWatch);
        QVERIFY(!loaded.config().sideFeatures && !loaded.config().timeGaps);
        const auto history = historyOf({3, 4});
        QCOMPARE(scoresFor(loaded, history, 20), scoresFor(model, history, 20));
    }

    void emptyHistoryGivesZeros() {
        Gru4RecConfig config = smallConfig(true);
        config.training.epochs = 1;
        Gru4RecModel model(config);
        model.fit(cycleDataset(20, 10, 6));
        const auto scores = scoresFor(model, {}, 20);
        QVERIFY(std::all_of(scores.begin(), scores.end(), [](float s) { return s == 0.0f; }));
    }

    void factoryBuildsGru() {
        auto model = createRecommender("gru", {{"dim", 8}, {"tied_output", 0}});
        QCOMPARE(model->name(), std::string("gru"));
        QCOMPARE(dynamic_cast<Gru4RecModel&>(*model).config().tiedOutput, false);
        auto plain = createRecommender("gru", {{"projection", 0}});
        QCOMPARE(dynamic_cast<Gru4RecModel&>(*plain).config().projection, false);
    }
};

QTEST_APPLESS_MAIN(TestGru4Rec)
#include "test_gru4rec.moc"

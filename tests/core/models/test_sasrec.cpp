#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <thread>

#include "models/model_factory.h"
#include "models/sasrec.h"
#include "test_sasrec_fixtures.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

SasrecConfig smallConfig() {
    SasrecConfig config;
    config.dim = 16;
    config.blocks = 1;
    config.heads = 2;
    config.dropout = 0.1f;
    config.training.maxLength = 8;
    config.training.epochs = 80;
    config.training.batchSize = 16;
    config.training.learningRate = 1e-2f;
    config.training.patience = 80;
    config.training.seed = 7;
    config.training.planToWatch = false;  // the Plan to Watch test below reads watches only
    // The parameters of the best validation epoch, as the thresholds below were set for; the
    // refit has its own test (test_sequence_trainer).
    config.training.refit = false;
    return config;
}

// Trained once and shared: every test below reads it only through the const interface.
const SasrecModel& trainedModel() {
    static const auto model = [] {
        auto m = std::make_unique<SasrecModel>(smallConfig());
        m->fit(cycleDataset(20, 60, 12));
        return m;
    }();
    return *model;
}

std::string savedBody(const Recommender& model) {
    std::ostringstream out;
    model.save(out);
    return out.str();
}

}  // namespace

class TestSasrec : public QObject {
    Q_OBJECT
private slots:
    void lossDecreasesOnTinyData() {
        const auto& curve = trainedModel().trainingCurve();
        QCOMPARE(static_cast<int>(curve.size()), 80);
        QVERIFY2(curve.back() < 0.5f * curve.front(),
                 qPrintable(QString("loss %1 -> %2").arg(curve.front()).arg(curve.back())));
        QVERIFY(!trainedModel().validationCurve().empty());
    }

    void learnsDeterministicSequence() {
        const double hitRate = cycleHitRateAt1(trainedModel(), 20, 8);
        QVERIFY2(hitRate >= 0.95, qPrintable(QString("HR@1 %1").arg(hitRate)));
    }

    void emptyHistoryGivesZeros() {
        const auto scores = scoresFor(trainedModel(), {}, 20);
        QVERIFY(std::all_of(scores.begin(), scores.end(), [](float s) { return s == 0.0f; }));
    }

    void ignoresPlanToWatchAndOrdersByEventOrder() {
        const auto plain = scoresFor(trainedModel(), historyOf({3, 4, 5}), 20);
        auto history = historyOf({3, 4, 5});
        Event wish;
        wish.item = 17;
        wish.status = WatchStatus::PlanToWatch;
        wish.order = 10;
        history.push_back(wish);
        std::reverse(history.begin(), history.end());  // out of order on purpose
        QCOMPARE(scoresFor(trainedModel(), history, 20), plain);
        const auto other = scoresFor(trainedModel(), historyOf({3, 4, 5, 17}), 20);
        QVERIFY(other != plain);
    }

    // With planToWatch, a Plan to Watch addition is read like any other title, and the setting
    // survives save/load.
    void readsPlanToWatchWhenAsked() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 3;
        config.training.planToWatch = true;
        SasrecModel model(config);
        model.fit(cycleDataset(20, 8, 5));
        auto history = historyOf({3, 4, 5});
        Event wish;
        wish.item = 17;
        wish.status = WatchStatus::PlanToWatch;
        wish.order = 10;
        history.push_back(wish);
        const auto withWish = scoresFor(model, history, 20);
        QCOMPARE(withWish, scoresFor(model, historyOf({3, 4, 5, 17}), 20));
        QVERIFY(withWish != scoresFor(model, historyOf({3, 4, 5}), 20));
        SasrecModel loaded;
        std::istringstream in(savedBody(model));
        loaded.load(in);
        QVERIFY(loaded.config().training.planToWatch);
        QCOMPARE(scoresFor(loaded, history, 20), withWish);
    }

    // Side features and time gaps: they change the scores, the time gaps only where the data
    // has times, and both survive save/load with identical scores.
    void sideFeaturesAndTimeGapsSurviveSaveLoad() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 3;
        config.sideFeatures = true;
        config.timeGaps = true;
        SasrecModel model(config);
        model.fit(timedCycleDataset(20, 8, 5));
        QVERIFY(model.config().sideFeatures && model.config().timeGaps);
        const auto history = timedHistoryOf({3, 4, 5}, 60);
        const auto scores = scoresFor(model, history, 20);
        QVERIFY(scores != scoresFor(model, timedHistoryOf({3, 4, 5}, 86400), 20));
        SasrecModel plain(smallConfig());
        plain.fit(timedCycleDataset(20, 8, 5));
        QVERIFY(scores != scoresFor(plain, history, 20));
        SasrecModel loaded;
        std::istringstream in(savedBody(model));
        loaded.load(in);
        QVERIFY(loaded.config().sideFeatures && loaded.config().timeGaps);
        QCOMPARE(scoresFor(loaded, history, 20), scores);
        QCOMPARE(savedBody(loaded), savedBody(model));
    }

    void timeGapsNeedTimes() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 2;
        config.timeGaps = true;
        SasrecModel model(config);
        model.fit(cycleDataset(20, 8, 5));  // Event::order is a position
        QVERIFY(!model.config().timeGaps);
        QCOMPARE(scoresFor(model, historyOf({3, 4}), 20),
                 scoresFor(model, timedHistoryOf({3, 4}, 86400), 20));
    }

    // The sampled losses learn the deterministic cycle as the full softmax does.
    void sampledLossesLearnDeterministicSequence_data() {
        QTest::addColumn<int>("loss");
        QTest::addColumn<float>("popularity");
        QTest::addRow("sampled softmax, uniform") << 1 << 0.0f;
        QTest::addRow("sampled softmax, popularity") << 1 << 1.0f;
        QTest::addRow("gBCE, uniform") << 2 << 0.0f;
        QTest::addRow("gBCE, popularity") << 2 << 1.0f;
    }
    void sampledLossesLearnDeterministicSequence() {
        QFETCH(int, loss);
        QFETCH(float, popularity);
        SasrecConfig config = smallConfig();
        config.training.loss = static_cast<nn::SequenceLoss>(loss);
        config.training.negatives = 5;
        config.training.negativePopularity = popularity;
        SasrecModel model(config);
        model.fit(cycleDataset(20, 60, 12));
        const double hitRate = cycleHitRateAt1(model, 20, 12);
        QVERIFY2(hitRate >= 0.9, qPrintable(QString("HR@1 %1").arg(hitRate)));
    }

    void newCatalogueItemsRankLowest() {
        std::vector<float> scores(25);
        const auto history = historyOf({1, 2});
        trainedModel().score(UserQuery{-1, history}, scores);
        const float lowestKnown = *std::min_element(scores.begin(), scores.begin() + 20);
        for (int i = 20; i < 25; ++i) QVERIFY(scores[static_cast<std::size_t>(i)] < lowestKnown);
    }

    void saveLoadGivesIdenticalScores() {
        const std::string body = savedBody(trainedModel());
        SasrecModel loaded;
        std::istringstream in(body);
        loaded.load(in);
        QCOMPARE(loaded.config().dim, 16);
        QCOMPARE(loaded.trainingCurve(), trainedModel().trainingCurve());
        const auto history = historyOf({5, 6, 7, 8});
        QCOMPARE(scoresFor(loaded, history, 20), scoresFor(trainedModel(), history, 20));
        QCOMPARE(savedBody(loaded), body);
    }

    // A seed ensemble scores the mean of the logits of members trained alone from seeds seed and
    // seed + 1, and survives save/load.
    void membersScoreTheMeanOfTheirLogits() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 3;
        const auto data = cycleDataset(20, 30, 8);
        SasrecModel first(config);
        first.fit(data);
        config.training.seed += 1;
        SasrecModel second(config);
        second.fit(data);
        config.training.seed -= 1;
        config.members = 2;
        SasrecModel ensemble(config);
        ensemble.fit(data);

        const auto history = historyOf({4, 5, 6});
        const auto a = scoresFor(first, history, 20);
        const auto b = scoresFor(second, history, 20);
        const auto mean = scoresFor(ensemble, history, 20);
        QVERIFY(a != b);
        for (std::size_t i = 0; i < mean.size(); ++i)
            QVERIFY2(std::abs(mean[i] - 0.5f * (a[i] + b[i])) < 1e-5f,
                     qPrintable(QString("item %1: %2 against %3 and %4")
                                    .arg(i)
                                    .arg(mean[i])
                                    .arg(a[i])
                                    .arg(b[i])));
        QCOMPARE(ensemble.trainingCurve(), first.trainingCurve());

        SasrecModel loaded;
        std::istringstream in(savedBody(ensemble));
        loaded.load(in);
        QCOMPARE(loaded.config().members, 2);
        QCOMPARE(scoresFor(loaded, history, 20), mean);
        QCOMPARE(savedBody(loaded), savedBody(ensemble));
    }

    // A version 3 body (one network, no member count) still loads, with the same scores.
    void loadsVersionThreeBodies() {
        std::string body = savedBody(trainedModel());
        constexpr std::size_t memberCountOffset = 31;  // after the header and the three flags
        body.erase(memberCountOffset, sizeof(std::int32_t));
        body[0] = 3;
        SasrecModel loaded;
        std::istringstream in(body);
        loaded.load(in);
        QCOMPARE(loaded.config().members, 1);
        const auto history = historyOf({5, 6, 7, 8});
        QCOMPARE(scoresFor(loaded, history, 20), scoresFor(trainedModel(), history, 20));
    }

    void corruptMemberCountIsNamed() {
        std::string body = savedBody(trainedModel());
        body[31] = 0;  // members 0
        SasrecModel model;
        std::istringstream in(body);
        try {
            model.load(in);
            QFAIL("a body with no members loaded");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find("members 0") != std::string::npos,
                     error.what());
        }
        body[31] = 2;  // a second member the body does not hold
        std::istringstream truncated(body);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.load(truncated));
        std::vector<float> scores(20);
        const auto history = historyOf({1});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 model.score(UserQuery{-1, history}, scores));  // still unloaded
    }

    void corruptBodyThrows_data() {
        QTest::addColumn<int>("cut");
        QTest::addColumn<int>("flipOffset");
        QTest::addRow("empty") << 0 << -1;
        QTest::addRow("truncated header") << 10 << -1;
        QTest::addRow("truncated tensors") << -100 << -1;
        QTest::addRow("bad version") << 100000000 << 0;
        QTest::addRow("absurd item count") << 100000000 << 7;
        QTest::addRow("heads not dividing dim") << 100000000 << 16;
    }
    void corruptBodyThrows() {
        QFETCH(int, cut);
        QFETCH(int, flipOffset);
        std::string body = savedBody(trainedModel());
        if (cut < 0)
            body.resize(body.size() + static_cast<std::size_t>(cut));
        else if (static_cast<std::size_t>(cut) < body.size())
            body.resize(static_cast<std::size_t>(cut));
        if (flipOffset >= 0) body[static_cast<std::size_t>(flipOffset)] ^= 0x55;
        SasrecModel model(smallConfig());
        model.fit(cycleDataset(20, 8, 5));
        const auto history = historyOf({1, 2, 3});
        const auto before = scoresFor(model, history, 20);
        std::istringstream in(body);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.load(in));
        QCOMPARE(scoresFor(model, history, 20), before);  // the old model keeps serving
    }

    void scoreIsThreadSafe() {
        std::vector<std::vector<Event>> histories;
        std::mt19937 random(3);
        for (int q = 0; q < 200; ++q) {
            std::vector<int> items;
            for (int i = 0; i < 1 + q % 10; ++i) items.push_back(static_cast<int>(random() % 20));
            histories.push_back(historyOf(items));
        }
        std::vector<std::vector<float>> expected;
        for (const auto& h : histories) expected.push_back(scoresFor(trainedModel(), h, 20));
        std::vector<std::vector<float>> a(histories.size()), b(histories.size());
        std::thread first([&] {
            for (std::size_t i = 0; i < histories.size(); ++i)
                a[i] = scoresFor(trainedModel(), histories[i], 20);
        });
        std::thread second([&] {
            for (std::size_t i = histories.size(); i-- > 0;)
                b[i] = scoresFor(trainedModel(), histories[i], 20);
        });
        first.join();
        second.join();
        QCOMPARE(a, expected);
        QCOMPARE(b, expected);
    }

    void sameSeedSameModel() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 3;
        SasrecModel first(config), second(config);
        const auto data = cycleDataset(20, 30, 8);
        first.fit(data);
        second.fit(data);
        QCOMPARE(savedBody(first), savedBody(second));
    }

    void reportsProgressAndCancels() {
        SasrecConfig config = smallConfig();
        config.training.epochs = 3;
        SasrecModel model(config);
        std::vector<std::string> details;  // one summary per epoch; validations count users
        model.fit(cycleDataset(20, 30, 8), [&](const Progress& p) {
            if (p.detail.find("epoch") != std::string::npos) details.push_back(p.detail);
            return true;
        });
        QCOMPARE(static_cast<int>(details.size()), 3);
        QVERIFY(details.back().find("loss") != std::string::npos);
        QVERIFY(details.back().find("NDCG@10") != std::string::npos);
        SasrecModel cancelled(config);
        QVERIFY_THROWS_EXCEPTION(
            OperationCancelled,
            cancelled.fit(cycleDataset(20, 30, 8), [](const Progress&) { return false; }));
    }

    void unfittedModelRefusesToScore() {
        SasrecModel model;
        std::vector<float> scores(4);
        const auto history = historyOf({1});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.score(UserQuery{-1, history}, scores));
    }

    void factoryBuildsConfiguredModel() {
        auto model = createRecommender("sasrec", {{"dim", 8}, {"heads", 2}, {"epochs", 1}});
        QCOMPARE(model->name(), std::string("sasrec"));
        QCOMPARE(dynamic_cast<SasrecModel&>(*model).config().dim, 8);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, createRecommender("sasrec", {{"dims", 8}}));
        auto options = createRecommender("sasrec", {{"side_features", 1},
                                                    {"time_gaps", 1},
                                                    {"loss", 2},
                                                    {"negatives", 16},
                                                    {"negative_popularity", 0.5},
                                                    {"gbce_t", 0.25}});
        const auto& config = dynamic_cast<SasrecModel&>(*options).config();
        QVERIFY(config.sideFeatures && config.timeGaps);
        QVERIFY(config.training.loss == nn::SequenceLoss::Gbce);
        QCOMPARE(config.training.negatives, 16);
        QCOMPARE(config.training.negativePopularity, 0.5f);
        QCOMPARE(config.training.gbceCalibration, 0.25f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, createRecommender("sasrec", {{"loss", 3}}));
        auto ensemble = createRecommender("sasrec", {{"members", 3}});
        QCOMPARE(dynamic_cast<SasrecModel&>(*ensemble).config().members, 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("sasrec", {{"members", 0}}));
        QCOMPARE(SasrecConfig{}.training.averageEpochs, 1.0f);  // chosen on P3's validation split
        auto averaged = createRecommender("sasrec", {{"average_epochs", 2.5}});
        QCOMPARE(dynamic_cast<SasrecModel&>(*averaged).config().training.averageEpochs, 2.5f);
    }
};

QTEST_APPLESS_MAIN(TestSasrec)
#include "test_sasrec.moc"

#include <QtTest>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "models/explicit_mf.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

ExplicitMfConfig smallConfig() {
    ExplicitMfConfig config;
    config.factors = 8;
    config.epochs = 30;
    config.learningRate = 0.01f;
    return config;
}

}  // namespace

class TestExplicitMf : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

private slots:
    void rmseBelowGlobalMeanBaseline() {
        ExplicitMf model(smallConfig());
        model.fit(split_.train);
        double modelError = 0.0, meanError = 0.0;
        int count = 0;
        for (int u = 0; u < split_.train.interactions.userCount(); ++u)
            for (const auto& event : split_.heldOut[static_cast<std::size_t>(u)]) {
                if (event.rating <= 0.0f) continue;
                const float predicted = model.predictRating(u, event.item);
                QVERIFY(predicted >= 1.0f && predicted <= 10.0f);
                modelError += std::pow(predicted - event.rating, 2.0);
                meanError += std::pow(model.globalMean() - event.rating, 2.0);
                ++count;
            }
        QVERIFY(count > 100);
        const double rmse = std::sqrt(modelError / count), baseline = std::sqrt(meanError / count);
        QVERIFY2(rmse < 0.7 * baseline,
                 qPrintable(QString("rmse %1 vs global mean %2").arg(rmse).arg(baseline)));
    }

    void trainingRmseDecreases() {
        ExplicitMf model(smallConfig());
        int reports = 0;
        model.fit(split_.train, [&](const Progress& p) {
            reports += p.stage == "mf epoch" && !p.detail.empty();
            return true;
        });
        QCOMPARE(reports, smallConfig().epochs);
        const auto& curve = model.trainingCurve();
        QVERIFY(curve.back() < 0.8 * curve.front());
    }

    void beatsPopularityAndRandom() {
        ExplicitMf model(smallConfig());
        model.fit(split_.train);
        const double mf = precisionAt10(model, split_);
        QVERIFY2(mf > 1.4 * popularityPrecision(split_), qPrintable(QString("mf %1").arg(mf)));
        QVERIFY2(mf > 1.4 * randomPrecision(split_), qPrintable(QString("mf %1").arg(mf)));
    }

    void unknownUserIsFoldedInFromRatings() {
        ExplicitMf model(smallConfig());
        model.fit(split_.train);
        const auto& train = split_.train.interactions;
        const int items = split_.train.catalog.size();
        double overlap = 0.0;
        for (int u = 0; u < train.userCount(); ++u)
            overlap += topTenOverlap(scoresOf(model, {u, train.historyOf(u)}, items),
                                     scoresOf(model, {-1, train.historyOf(u)}, items));
        overlap /= train.userCount();
        QVERIFY2(overlap > 0.6, qPrintable(QString("mean top-10 overlap %1").arg(overlap)));
        // Without ratings only mu + b_i is left: the unknown-user rating prediction.
        const auto anonymous = scoresOf(model, {-1, {}}, items);
        for (int i = 0; i < items; ++i)
            QCOMPARE(anonymous[static_cast<std::size_t>(i)], model.predictRating(-1, i));
    }

    void unratedRowsAreIgnored() {
        // A dataset whose only events are unrated trains to the scale midpoint.
        Dataset data;
        for (int i = 0; i < 3; ++i) {
            AnimeRecord record;
            record.animeId = i + 1;
            data.catalog.add(record);
        }
        Interactions::Builder builder(3);
        Event event;
        event.item = 1;
        builder.add(7, event);
        data.interactions = std::move(builder).build();
        ExplicitMf model(smallConfig());
        model.fit(data);
        QCOMPARE(model.globalMean(), 5.5f);
        QCOMPARE(model.predictRating(0, 1), 5.5f);
    }

    void saveLoadGivesIdenticalScores() {
        ExplicitMf model(smallConfig());
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        ExplicitMf loaded;
        loaded.load(buffer);
        const int items = split_.train.catalog.size();
        for (int u : {0, 3}) {
            const UserQuery query{u, split_.train.interactions.historyOf(u)};
            QCOMPARE(scoresOf(loaded, query, items), scoresOf(model, query, items));
            QCOMPARE(loaded.predictRating(u, 4), model.predictRating(u, 4));
        }
    }

    void corruptBodyThrows_data() {
        QTest::addColumn<int>("mutation");
        QTest::addRow("truncated") << 0;
        QTest::addRow("bad version") << 1;
        QTest::addRow("empty") << 2;
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        ExplicitMf model(smallConfig());
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        if (mutation == 0) body.resize(body.size() - 3);
        if (mutation == 1) body[0] = 42;
        if (mutation == 2) body.clear();
        std::istringstream in(body);
        ExplicitMf target;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
    }

    void rejectsBadConfig() {
        ExplicitMfConfig config;
        config.learningRate = 0.0f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ExplicitMf{config});
    }
};

QTEST_APPLESS_MAIN(TestExplicitMf)
#include "test_explicit_mf.moc"

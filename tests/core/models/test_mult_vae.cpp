#include <QtTest>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "models/model_factory.h"
#include "models/mult_vae.h"
#include "planted_blocks.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

// Small widths and batches for the 240-user planted data; no early stopping unless asked.
MultVaeConfig config() {
    MultVaeConfig c;
    c.hidden = 32;
    c.latent = 8;
    c.epochs = 60;
    c.batchSize = 24;
    c.annealEpochs = 10.0f;
    c.validationUsers = 0;
    c.threads = 2;
    return c;
}

}  // namespace

class TestMultVae : public QObject {
    Q_OBJECT

private:
    PlantedSplit split_ = plantedBlocks();

private slots:
    void beatsPopularity() {
        MultVae model(config());
        model.fit(split_.train);
        const double vae = precisionAt10(model, split_);
        const double popularity = popularityPrecision(split_);
        QVERIFY2(vae > 1.4 * popularity,
                 qPrintable(QString("mult_vae %1, popularity %2").arg(vae).arg(popularity)));
        // The loss of the last epoch is below the first's: the ELBO was maximised.
        const auto curve = model.trainingCurve();
        QCOMPARE(static_cast<int>(curve.size()), 60);
        QVERIFY(curve.back() < curve.front());
    }

    // Early stopping keeps the best validation epoch and stops `patience` epochs after it; the
    // refit then trains that many epochs on everyone.
    void earlyStoppingKeepsTheBestEpoch() {
        MultVaeConfig c = config();
        c.epochs = 200;
        c.validationUsers = 40;
        c.patience = 3;
        MultVae model(c);
        model.fit(split_.train);
        const auto& validation = model.validationCurve();
        QVERIFY(!validation.empty());
        const auto best = std::max_element(validation.begin(), validation.end());
        QCOMPARE(model.bestEpoch(), static_cast<int>(best - validation.begin()) + 1);
        QVERIFY(static_cast<int>(validation.size()) < 200);
        QCOMPARE(static_cast<int>(validation.size()), model.bestEpoch() + c.patience);
        QCOMPARE(static_cast<int>(model.trainingCurve().size()), model.bestEpoch());
        QVERIFY2(*best > 0.0f, "validation NDCG@10 stayed 0");
    }

    // No user parameters: a user the model never saw is scored from the history alone, the same
    // as a trained user with that history; titles outside the model score below all others.
    void scoresFromTheHistoryAlone() {
        MultVaeConfig c = config();
        c.epochs = 5;
        c.maxItems = 50;
        MultVae model(c);
        model.fit(split_.train);
        const int items = split_.train.catalog.size();
        const auto history = split_.train.interactions.historyOf(3);
        const auto trained = scoresOf(model, {3, history}, items);
        QCOMPARE(scoresOf(model, {-1, history}, items), trained);
        // Repeating an event changes nothing: every distinct title counts once.
        std::vector<Event> doubled(history.begin(), history.end());
        doubled.push_back(history.front());
        QCOMPARE(scoresOf(model, {-1, doubled}, items), trained);
        int unmodelled = 0;
        const float lowest = *std::min_element(trained.begin(), trained.end());
        for (int i = 0; i < items; ++i) {
            QVERIFY(std::isfinite(trained[i]));
            if (trained[i] == lowest) ++unmodelled;
        }
        QCOMPARE(unmodelled, items - 50);
    }

    void sameSeedSameModel() {
        MultVaeConfig c = config();
        c.epochs = 4;
        MultVae a(c), b(c);
        a.fit(split_.train);
        b.fit(split_.train);
        const UserQuery query{7, split_.train.interactions.historyOf(7)};
        const int items = split_.train.catalog.size();
        QCOMPARE(scoresOf(a, query, items), scoresOf(b, query, items));
        c.seed = 43;
        MultVae other(c);
        other.fit(split_.train);
        QVERIFY(scoresOf(other, query, items) != scoresOf(a, query, items));
    }

    void saveLoadGivesIdenticalScores() {
        MultVaeConfig c = config();
        c.epochs = 3;
        MultVae model(c);
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        MultVae loaded;
        loaded.load(buffer);
        QCOMPARE(loaded.config().hidden, 32);
        QCOMPARE(loaded.itemCount(), model.itemCount());
        QCOMPARE(loaded.trainingCurve(), model.trainingCurve());
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
        QTest::addRow("dropout of 1") << 2;
        QTest::addRow("item index outside the catalogue") << 3;
    }
    void corruptBodyThrows() {
        QFETCH(int, mutation);
        MultVaeConfig c = config();
        c.epochs = 1;
        MultVae model(c);
        model.fit(split_.train);
        std::stringstream buffer;
        model.save(buffer);
        std::string body = buffer.str();
        // Layout: version, hidden, latent, dropout at 12, ten more header fields, the item count
        // at 57, then the item vector's length (8 bytes) and its first index at 69.
        if (mutation == 0) body.resize(body.size() - 7);
        if (mutation == 1) body[0] = 9;
        if (mutation == 2) {
            const float one = 1.0f;
            std::memcpy(body.data() + 12, &one, sizeof one);
        }
        if (mutation == 3) {
            const std::int32_t outside = 1 << 20;
            std::memcpy(body.data() + 69, &outside, sizeof outside);
        }
        std::istringstream in(body);
        MultVae target(c);
        target.fit(split_.train);
        const UserQuery query{2, split_.train.interactions.historyOf(2)};
        const auto before = scoresOf(target, query, split_.train.catalog.size());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, target.load(in));
        QCOMPARE(scoresOf(target, query, split_.train.catalog.size()), before);
    }

    void rejectsBadConfig() {
        MultVaeConfig c = config();
        c.dropout = 1.0f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultVae{c});
        c = config();
        c.latent = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultVae{c});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("mult_vae", {{"beta_cap", -1.0}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 createRecommender("mult_vae", {{"hiden", 64.0}}));
        MultVae untrained;
        std::vector<float> scores(4);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, untrained.score({0, {}}, scores));
    }
};

QTEST_APPLESS_MAIN(TestMultVae)
#include "test_mult_vae.moc"

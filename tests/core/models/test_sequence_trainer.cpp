#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "models/gru4rec.h"
#include "models/sasrec.h"
#include "models/sequence_data.h"
#include "nn/negative_sampler.h"
#include "nn/parallel_slices.h"
#include "nn/sampled_loss.h"
#include "test_sasrec_fixtures.h"

using namespace animerec;
using namespace animerec::testing;

namespace {

SasrecConfig refitConfig() {
    SasrecConfig config;
    config.dim = 8;
    config.blocks = 1;
    config.training.maxLength = 6;
    config.training.epochs = 12;
    config.training.patience = 2;
    config.training.learningRate = 2e-2f;
    config.training.validationUsers = 200;
    config.training.seed = 5;
    return config;
}

}  // namespace

// Failures inside the parallel training and validation slices must reach the caller as
// exceptions, never as std::terminate. Refitting after early stopping trains on every sequence.
class TestSequenceTrainer : public QObject {
    Q_OBJECT
private slots:
    void timeGapBucketsAreLogSeconds() {
        const std::vector<std::int64_t> times{100, 100, 101, 164, 100, 100 + (1ll << 40)};
        // first event; 0 s; 1 s; 63 s -> 1 + log2(64); a step back counts as 0 s; capped
        QCOMPARE(timeGapBuckets(times), (std::vector<int>{0, 1, 2, 7, 1, kTimeGapBuckets - 1}));
    }

    void negativesFollowPopularity() {
        const std::vector<int> counts{0, 9, 99};  // weights 1, 10, 100 at exponent 1
        const nn::NegativeSampler popular(counts, 1.0);
        std::mt19937_64 random(3);
        const auto drawn = popular.sample(20000, random);
        const auto share =
            static_cast<double>(std::count(drawn.items.begin(), drawn.items.end(), 2)) / 20000.0;
        QVERIFY2(std::abs(share - 100.0 / 111.0) < 0.01, qPrintable(QString::number(share)));
        const auto at = std::find(drawn.items.begin(), drawn.items.end(), 1) - drawn.items.begin();
        QCOMPARE(drawn.logProbability[static_cast<std::size_t>(at)],
                 static_cast<float>(std::log(10.0 / 111.0)));
        const nn::NegativeSampler uniform(counts, 0.0);
        const auto flat = uniform.sample(30000, random);
        for (int item = 0; item < 3; ++item)
            QVERIFY(std::abs(std::count(flat.items.begin(), flat.items.end(), item) / 30000.0 -
                             1.0 / 3.0) < 0.01);
        // gSASRec's beta: plain BCE at t = 0, the sampling rate at t = 1.
        QCOMPARE(nn::gbceBeta(10, 201, 0.0f), 1.0f);
        QCOMPARE(nn::gbceBeta(10, 201, 1.0f), 0.05f);
        // gBCE takes negatives per row: draws that do not divide among the rows are refused.
        const nn::Matrix hidden = nn::Matrix::Ones(2, 3), items = nn::Matrix::Ones(4, 3);
        nn::Matrix dHidden, dItems = nn::Matrix::Zero(4, 3);
        const std::vector<int> targets{0, 1};
        const auto threeDraws = uniform.sample(3, random);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            nn::gbceLoss(hidden, items, targets, threeDraws, 1.0f, 1.0f, dHidden, dItems));
        QVERIFY(std::isfinite(nn::gbceLoss(hidden, items, targets, uniform.sample(4, random), 1.0f,
                                           1.0f, dHidden, dItems)));
    }

    void slicesRunOnceEach() {
        std::vector<int> runs(4, 0);
        std::vector<std::thread::id> ids(4);
        nn::runSlices(4, [&](int t, const std::atomic<bool>&) {
            ++runs[static_cast<std::size_t>(t)];
            ids[static_cast<std::size_t>(t)] = std::this_thread::get_id();
        });
        QCOMPARE(runs, std::vector<int>({1, 1, 1, 1}));
        QCOMPARE(ids[0], std::this_thread::get_id());
        QVERIFY(ids[1] != std::this_thread::get_id());
    }

    void workerExceptionIsRethrownOnCaller_data() {
        QTest::addColumn<int>("failing");
        QTest::addRow("calling thread's slice") << 0;
        QTest::addRow("other thread's slice") << 2;
    }

    void workerExceptionIsRethrownOnCaller() {
        QFETCH(int, failing);
        std::atomic<int> finished{0};
        std::atomic<bool> sawStop{false};
        try {
            nn::runSlices(3, [&](int t, const std::atomic<bool>& stop) {
                if (t == failing) throw std::runtime_error("slice " + std::to_string(t));
                // The healthy slices run until told to stop, so the throw happens while they
                // are still busy on their own threads.
                while (!stop.load()) std::this_thread::yield();
                sawStop = true;
                ++finished;
            });
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QCOMPARE(std::string(error.what()), "slice " + std::to_string(failing));
        }
        QCOMPARE(finished.load(), 2);
        QVERIFY(sawStop.load());
    }

    // Cancelling while validation runs on two threads: the callback throws inside the calling
    // thread's slice while the other slice is still ranking users.
    void cancelDuringValidationThrowsOnCaller_data() {
        QTest::addColumn<QString>("family");
        QTest::addRow("sasrec") << "sasrec";
        QTest::addRow("gru") << "gru";
    }

    void cancelDuringValidationThrowsOnCaller() {
        QFETCH(QString, family);
        nn::SequenceTrainingConfig training;
        training.maxLength = 8;
        training.epochs = 2;
        training.threads = 2;
        training.validationUsers = 400;
        std::unique_ptr<Recommender> model;
        if (family == "sasrec") {
            SasrecConfig config;
            config.dim = 8;
            config.blocks = 1;
            config.training = training;
            model = std::make_unique<SasrecModel>(config);
        } else {
            Gru4RecConfig config;
            config.dim = 8;
            config.training = training;
            model = std::make_unique<Gru4RecModel>(config);
        }
        int validationReports = 0;
        const auto cancelInValidation = [&](const Progress& p) {
            if (p.stage.find("validation") == std::string::npos) return true;
            ++validationReports;
            return false;
        };
        QVERIFY_THROWS_EXCEPTION(OperationCancelled,
                                 model->fit(cycleDataset(30, 500, 8), cancelInValidation));
        QCOMPARE(validationReports, 1);
    }

    // The refit is the run without validation for the epoch count validation chose: the same
    // initial parameters, shuffling and dropout, the held-out titles trained on.
    void refitEqualsATrainingWithoutHoldoutForTheBestEpochCount() {
        const Dataset data = cycleDataset(15, 120, 7);
        SasrecModel refitted(refitConfig());
        refitted.fit(data);
        const auto& curve = refitted.validationCurve();
        QVERIFY(!curve.empty());
        const int bestEpoch =
            static_cast<int>(std::max_element(curve.begin(), curve.end()) - curve.begin()) + 1;

        SasrecConfig plain = refitConfig();
        plain.training.validationUsers = 0;
        plain.training.epochs = bestEpoch;
        SasrecModel withoutHoldout(plain);
        withoutHoldout.fit(data);
        SasrecConfig kept = refitConfig();
        kept.training.refit = false;
        SasrecModel bestOfValidation(kept);
        bestOfValidation.fit(data);

        const auto history = historyOf({3, 4, 5});
        QCOMPARE(scoresFor(refitted, history, 15), scoresFor(withoutHoldout, history, 15));
        QVERIFY(scoresFor(bestOfValidation, history, 15) != scoresFor(refitted, history, 15));
        QCOMPARE(bestOfValidation.validationCurve(), curve);  // the refit leaves the curves alone
    }
};

QTEST_APPLESS_MAIN(TestSequenceTrainer)
#include "test_sequence_trainer.moc"

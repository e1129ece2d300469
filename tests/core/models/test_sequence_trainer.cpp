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
#include "models/sasrec_network.h"
#include "models/sequence_data.h"
#include "nn/negative_sampler.h"
#include "nn/parallel_slices.h"
#include "nn/sampled_loss.h"
#include "nn/sequence_trainer.h"
#include "nn/training_windows.h"
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

// Every user first walks the cycle 0..9 for 8 steps from a start of its own, then the cycle
// 10..19 for 8 steps: a last window of 4 transitions only ever shows the second walk.
Dataset twoWalkDataset(int users) {
    Dataset data{makeCatalog(20), {}};
    Interactions::Builder builder(20);
    for (int u = 0; u < users; ++u)
        for (int t = 0; t < 16; ++t) {
            Event event;
            event.item = t < 8 ? (u + t) % 10 : 10 + (u * 3 + t) % 10;
            event.order = t;
            builder.add(u + 1, event);
        }
    data.interactions = std::move(builder).build();
    return data;
}

// Share of the first walk's three-title prefixes whose next title is the top score.
double firstWalkHitRateAt1(const Recommender& model) {
    int hits = 0;
    for (int start = 0; start < 10; ++start) {
        const auto scores =
            scoresFor(model, historyOf({start, (start + 1) % 10, (start + 2) % 10}), 20);
        hits += std::max_element(scores.begin(), scores.end()) - scores.begin() == (start + 3) % 10;
    }
    return hits / 10.0;
}

// A small SASRec network's parameters after `epochs` epochs of one batch each (so one Adam step
// per epoch) on a cycle dataset, averaged over `averageEpochs` (0: the last step's parameters).
nn::Tensors parametersAfter(int epochs, float averageEpochs) {
    const Dataset data = cycleDataset(10, 8, 6);
    const auto sequences = buildTrainingSequences(data.interactions, true);
    nn::ParameterStore store;
    std::mt19937_64 random(11);
    const SasrecNetwork network({.itemCount = 10, .dim = 8, .blocks = 1, .maxLength = 6}, store,
                                random);
    nn::SequenceTrainingConfig training{.maxLength = 6,
                                        .epochs = epochs,
                                        .batchSize = 64,
                                        .learningRate = 1e-2f,
                                        .validationUsers = 0,
                                        .threads = 1,
                                        .seed = 3};
    training.averageEpochs = averageEpochs;
    nn::trainSequenceEncoder(network, store.values(), sequences, training, {});
    return store.values();
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

    // Validation reports in the training's units (the batches done so far), so a bar over the
    // whole fit never runs backward while the validation users are scored.
    void progressOfAFitNeverRunsBackward() {
        SasrecConfig config = refitConfig();
        config.training.epochs = 3;
        std::vector<Progress> reports;
        SasrecModel model(config);
        model.fit(cycleDataset(15, 300, 7), [&](const Progress& p) {
            reports.push_back(p);
            return true;
        });
        int validationReports = 0;
        for (std::size_t i = 0; i < reports.size(); ++i) {
            const Progress& p = reports[i];
            if (p.stage.find("validation") != std::string::npos) {
                // At the end of an epoch, in the validated run's batches.
                ++validationReports;
                QVERIFY2(p.detail.find(" of ") != std::string::npos, p.detail.c_str());
                QCOMPARE(p.total, reports.front().total);
                QVERIFY(p.done > 0 && p.done % (p.total / config.training.epochs) == 0);
            }
            const auto refit = [](const Progress& r) {
                return r.stage.find("refit") != std::string::npos;
            };
            // The refit starts its own count; within the validated run and within the refit
            // nothing goes back.
            if (i > 0 && reports[i - 1].total == p.total && refit(reports[i - 1]) == refit(p))
                QVERIFY2(p.done >= reports[i - 1].done,
                         qPrintable(QString("%1 at %2 after %3 at %4")
                                        .arg(QString::fromStdString(p.stage))
                                        .arg(p.done)
                                        .arg(QString::fromStdString(reports[i - 1].stage))
                                        .arg(reports[i - 1].done)));
        }
        QVERIFY(validationReports > 0);
    }

    void trainingWindowsCoverEveryTransitionOnce() {
        using nn::TrainingWindow;
        const auto same = [](const std::vector<TrainingWindow>& a,
                             const std::vector<TrainingWindow>& b) {
            return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](auto& x, auto& y) {
                return x.sequence == y.sequence && x.start == y.start && x.length == y.length;
            });
        };
        const std::vector<std::size_t> lengths{0, 1, 2, 5, 12};
        QVERIFY(same(nn::trainingWindows(lengths, 5, false), {{2, 0, 1}, {3, 0, 4}, {4, 6, 5}}));
        QVERIFY(same(nn::trainingWindows(lengths, 5, true),
                     {{2, 0, 1}, {3, 0, 4}, {4, 0, 1}, {4, 1, 5}, {4, 6, 5}}));

        std::mt19937_64 random(11);
        std::vector<std::size_t> many(300);
        for (auto& length : many) length = random() % 200;
        for (const int maxLength : {1, 7, 50}) {
            std::vector<std::vector<int>> covered(many.size());
            for (std::size_t s = 0; s < many.size(); ++s)
                covered[s].assign(many[s] > 1 ? many[s] - 1 : 0, 0);
            for (const TrainingWindow& w : nn::trainingWindows(many, maxLength, true)) {
                QVERIFY(w.length >= 1 && w.length <= maxLength);
                for (int i = w.start; i < w.start + w.length; ++i)
                    ++covered[static_cast<std::size_t>(w.sequence)][static_cast<std::size_t>(i)];
            }
            for (const auto& counts : covered)
                QVERIFY(std::all_of(counts.begin(), counts.end(), [](int c) { return c == 1; }));
        }
    }

    // Only a training over every transition sees the first walk's steps at all.
    void everyTransitionLearnsWhatTheLastWindowNeverShows() {
        const Dataset data = twoWalkDataset(60);
        SasrecConfig config;
        config.dim = 16;
        config.blocks = 1;
        config.dropout = 0.0f;
        config.training.maxLength = 4;
        config.training.epochs = 40;
        config.training.learningRate = 1e-2f;
        config.training.validationUsers = 0;
        config.training.seed = 3;
        SasrecModel lastWindow(config);
        lastWindow.fit(data);
        config.training.everyTransition = true;
        SasrecModel everyTransition(config);
        everyTransition.fit(data);
        const double seen = firstWalkHitRateAt1(everyTransition);
        const double unseen = firstWalkHitRateAt1(lastWindow);
        QVERIFY2(seen >= 0.9 && unseen <= 0.2,
                 qPrintable(QString("every transition %1, last window %2").arg(seen).arg(unseen)));
    }

    // Averaging over 4 epochs of one step each has decay d = 3/4 per step; bias-corrected, two
    // steps give (d (1 - d) step1 + (1 - d) step2) / (1 - d^2), and the start has no weight.
    void averagingReturnsTheRunningMeanOfTheSteps() {
        const float decay = 0.75f;
        const nn::Tensors start = parametersAfter(0, 0.0f);
        const nn::Tensors step1 = parametersAfter(1, 0.0f);
        const nn::Tensors step2 = parametersAfter(2, 0.0f);
        const nn::Tensors averaged = parametersAfter(2, 4.0f);
        QCOMPARE(averaged.size(), start.size());
        float largestMove = 0.0f;
        for (std::size_t p = 0; p < start.size(); ++p) {
            const nn::Matrix expected =
                (decay * (1.0f - decay) * step1[p] + (1.0f - decay) * step2[p]) /
                (1.0f - decay * decay);
            QVERIFY2((averaged[p] - expected).cwiseAbs().maxCoeff() < 1e-5f,
                     qPrintable(QString("tensor %1").arg(p)));
            largestMove = std::max(largestMove, (step2[p] - start[p]).cwiseAbs().maxCoeff());
        }
        QVERIFY(largestMove > 1e-3f);  // the steps moved, so the average is not the start
        QCOMPARE(parametersAfter(1, 4.0f), step1);  // one step: the average is that step
        SasrecConfig outOfRange;
        outOfRange.training.averageEpochs = -1.0f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 SasrecModel(outOfRange).fit(cycleDataset(10, 8, 6)));
        outOfRange.training.averageEpochs = nn::kMaxAverageEpochs * 2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 SasrecModel(outOfRange).fit(cycleDataset(10, 8, 6)));
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

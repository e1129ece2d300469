#pragma once

#include <QString>
#include <QStringList>
#include <map>
#include <string>
#include <vector>

#include "eval/evaluator.h"
#include "models/model_factory.h"
#include "util/progress.h"

namespace animerec::ui {

// Work functions behind the Metrics and Train panels. Each runs on a BackgroundTask's thread:
// it loads its own Dataset from the database path and opens its own connections.

enum class SplitProtocol { Holdout, LastN };

struct EvaluationSettings {
    SplitProtocol protocol = SplitProtocol::Holdout;
    double holdoutShare = 0.2;  // holdout: share of each user's events held out
    int lastN = 1;              // last-N: events held out per user
    int minInteractions = 5;    // users with fewer events are not evaluated
    int k = 10;                 // the headline cut-off (always among the reported Ks)
    quint64 seed = 42;          // split and bootstrap
    CatalogMode catalogMode = CatalogMode::All;
    QStringList models;  // families from knownModelNames(), in run order
    std::map<std::string, ModelParameters> parameters;  // per family overrides
    int bootstrapResamples = 500;
    int longTailUsers = 1000;  // evaluated users whose top-K lists feed the long-tail chart
};

// Recommendation popularity against catalogue popularity: items ranked by train count (rank 1 =
// most popular); at each sampled rank r, the share of all train events and of all recommended
// slots that go to the r most popular items.
struct LongTail {
    std::vector<double> ranks;
    std::vector<double> trainShare;
    std::vector<std::vector<double>> recommendedShare;  // one per model, parallel to ranks
};

struct EvaluationOutcome {
    EvaluationReport report;
    int k = 10;
    LongTail longTail;
    std::vector<std::vector<double>> trainingCurves;  // per model; empty when it has none
    qint64 runId = -1;   // database id of the stored run, -1 when not stored
    QString storeError;  // why storing failed (the run itself succeeded)
};

// Loads, splits, fits and evaluates every model of `settings`, then stores the run in the
// database. Progress covers the whole run; throws OperationCancelled on cancel,
// std::invalid_argument for bad settings or an unknown model.
EvaluationOutcome runEvaluation(const QString& databasePath, const EvaluationSettings& settings,
                                const ProgressCallback& progress);

// Loss per iteration/epoch of the last fit for models that record one (als, mf, sasrec, gru).
std::vector<double> trainingCurveOf(const Recommender& model);

// "als.factors=64; sasrec.epochs=5" -> {"als": {factors: 64}, "sasrec": {epochs: 5}}.
// Throws std::invalid_argument naming the bad entry.
std::map<std::string, ModelParameters> parseModelParameters(const QString& text);

// Maps the progress of phase `phase` of `phases` onto one overall 0..1 range, prefixing the
// stage with `label`. The returned callback forwards cancellation.
ProgressCallback phaseProgress(const ProgressCallback& outer, const std::string& label, int phase,
                               int phases);

}  // namespace animerec::ui

#pragma once

// Offline evaluation, as `animerec evaluate` and Studio's Metrics panel run it: a train/test split
// of the database (or user-supplied files), each family fitted on the train part (optionally tuned
// first on a validation split carved from it) and measured on the held-out part, the run stored
// in the database for the history views. One set of defaults for both front ends.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "eval/evaluator.h"
#include "models/model_factory.h"
#include "util/progress.h"

namespace animerec::jobs {

enum class SplitProtocol {
    Holdout,  // per-user random share
    LastN,    // each user's last N events (by order)
    Time,     // one global cut-off at a quantile of the event order (needs timestamps)
};

struct EvaluationSettings {
    QString databasePath;  // the dataset, and where the run is stored
    // A user-supplied split instead of one made from the database: all three files, or none.
    QString animeFile;
    QString trainFile;
    QString testFile;
    bool storeRun = true;  // store the run in databasePath (EvaluationRuns)

    SplitProtocol protocol = SplitProtocol::Holdout;
    double holdoutShare = 0.2;  // holdout: share of each user's events held out
    int lastN = 1;              // last-N: events held out per user
    double timeQuantile = 0.8;  // time: share of all events (by order) that train
    int minInteractions = 5;    // users with fewer events are not evaluated
    std::uint64_t seed = 42;    // split, bootstrap and tuning

    // Cut-offs reported; K=1 included, so precision@1 and the curves' first point are in the table.
    std::vector<int> ks{1, 5, 10, 20, 50, 100};
    int k = 10;  // the headline cut-off (tables, the stored run); always added to ks
    CatalogMode catalogMode = CatalogMode::All;
    int bootstrapResamples = 1000;  // for 95% intervals; 0 = no intervals
    int threads = 0;  // evaluator workers; 0 = all cores (results do not depend on it)

    std::vector<std::string> models;                    // families in run order; empty = all
    std::map<std::string, ModelParameters> parameters;  // per family overrides
    bool tune = false;  // search each family's default space on a validation split of train first
    int longTailUsers = 1000;  // evaluated users whose top-K lists feed the long-tail curve
};

// Recommendation popularity against catalogue popularity: items ranked by train count (rank 1 =
// most popular); at each sampled rank r, the share of all train events and of all recommended
// slots that go to the r most popular items.
struct LongTail {
    std::vector<double> ranks;
    std::vector<double> trainShare;
    std::vector<std::vector<double>> recommendedShare;  // one per model, parallel to ranks
};

struct EvaluationResult {
    EvaluationReport report;
    int k = 10;
    LongTail longTail;
    std::vector<std::vector<double>> trainingCurves;  // per model; empty when it has none
    QStringList notes;     // the split's size, tuning outcomes: lines for a log
    QStringList failures;  // "als: <why>" for families whose fit or evaluation threw
    qint64 runId = -1;     // the stored run, -1 when not stored
    QString storeError;    // why storing failed (the run itself succeeded)
};

// Runs the evaluation `settings` describe. Every model is built before any data is read, so an
// unknown family or parameter fails at once. A family that fails later is listed in `failures`
// and the others still run. Throws std::invalid_argument for bad settings or a split without test
// users, std::runtime_error for a missing database or unreadable files, OperationCancelled when
// `progress` asks to stop.
EvaluationResult runEvaluation(const EvaluationSettings& settings,
                               const ProgressCallback& progress = {});

}  // namespace animerec::jobs

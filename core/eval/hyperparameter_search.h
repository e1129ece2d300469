#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eval/evaluator.h"
#include "models/model_factory.h"
#include "util/progress.h"

namespace animerec {

class Catalog;
struct Split;

// One tuned hyper-parameter: either an explicit list of values (grid), or a range sampled
// uniformly (log-uniformly when logScale) by random search (Bergstra & Bengio 2012).
struct ParameterRange {
    std::string name;            // a factory parameter name, e.g. "alpha"
    std::vector<double> values;  // grid values; when empty, [low, high] is sampled
    double low = 0.0;
    double high = 0.0;
    bool logScale = false;  // sample log-uniformly (low > 0 required)
    bool integer = false;   // round sampled values
};

// Evaluation settings for tuning: only Recall/NDCG@10 and friends, no curves, no bootstrap.
inline EvaluatorOptions searchEvaluatorOptions() {
    EvaluatorOptions options;
    options.ks = {10};
    options.curveMaxK = 0;
    options.confidenceIntervals = false;
    return options;
}

struct HyperparameterSearchOptions {
    std::string model;      // factory family name ("als", "ease", ...)
    ModelParameters fixed;  // parameters held constant in every trial
    std::vector<ParameterRange> ranges;
    // 0 = full grid over every range's `values` (all ranges must list values); otherwise this
    // many random trials (ranges with values draw one of them uniformly).
    int randomTrials = 0;
    std::uint64_t seed = 42;                                // random trials
    std::string metric = "ndcg@10";                         // ModelReport key to optimise
    bool minimize = false;                                  // true for errors such as "rmse"
    EvaluatorOptions evaluator = searchEvaluatorOptions();  // must report `metric`
};

inline constexpr std::int64_t kTrialProgressUnits = 100;

struct Trial {
    ModelParameters parameters;  // fixed + tuned, as passed to the factory
    double score = 0.0;          // the chosen metric on the validation split
    double trainSeconds = 0.0;
    ModelReport report;
};

struct SearchResult {
    std::vector<Trial> trials;  // in the order they ran
    int best = -1;              // index of the best score (first on ties); -1 when no trial

    const Trial& bestTrial() const { return trials.at(static_cast<std::size_t>(best)); }
};

// The trial list the options describe: the Cartesian product of the grid (in range order,
// last range fastest) or `randomTrials` seeded random draws. Throws std::invalid_argument for an
// empty search, a grid range without values, low > high, or logScale with low <= 0.
std::vector<ModelParameters> searchCandidates(const HyperparameterSearchOptions& options);

// Trains one model per candidate on `validation.train` and evaluates it on `validation.test`.
// Use a split carved out of the training data (e.g. holdoutSplit(split.train, ...)), so the
// test set that reports quote stays unseen by tuning. Progress: stage "hyperparameter search" in
// units of kTrialProgressUnits per trial (done = finished trials * units + the running fit's
// share), so a bar shows a smooth ETA; detail "<params> -> <metric>" after each trial and
// "trial i/n: <model stage>" while one trains. Throws what the factory or model throws
// (std::invalid_argument for unknown names) and OperationCancelled when asked to stop, also in
// the middle of a trial.
SearchResult searchHyperparameters(const Split& validation, const Catalog& catalog,
                                   const HyperparameterSearchOptions& options,
                                   const ProgressCallback& progress = {});

// "alpha=2 factors=128" in name order, for logs and progress details.
std::string describeParameters(const ModelParameters& parameters);

}  // namespace animerec

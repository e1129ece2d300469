#include "eval/hyperparameter_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>

#include "data/dataset.h"
#include "eval/split.h"

namespace animerec {

namespace {

void validate(const HyperparameterSearchOptions& options) {
    if (options.randomTrials < 0)
        throw std::invalid_argument("hyperparameter search: randomTrials must be >= 0");
    if (options.ranges.empty() && options.randomTrials == 0)
        throw std::invalid_argument("hyperparameter search: no parameter to tune");
    for (const auto& range : options.ranges) {
        if (range.name.empty())
            throw std::invalid_argument("hyperparameter search: a range has no name");
        if (options.fixed.count(range.name))
            throw std::invalid_argument("hyperparameter search: '" + range.name +
                                        "' is both fixed and tuned");
        if (!range.values.empty()) continue;
        if (options.randomTrials == 0)
            throw std::invalid_argument("hyperparameter search: grid range '" + range.name +
                                        "' lists no values");
        if (!(range.low <= range.high))
            throw std::invalid_argument("hyperparameter search: range '" + range.name +
                                        "' has low > high");
        if (range.logScale && !(range.low > 0.0))
            throw std::invalid_argument("hyperparameter search: log range '" + range.name +
                                        "' needs low > 0");
    }
}

}  // namespace

std::string describeParameters(const ModelParameters& parameters) {
    std::ostringstream text;
    bool first = true;
    for (const auto& [name, value] : parameters) {
        text << (first ? "" : " ") << name << '=' << value;
        first = false;
    }
    return text.str();
}

std::vector<ModelParameters> searchCandidates(const HyperparameterSearchOptions& options) {
    validate(options);
    std::vector<ModelParameters> candidates;
    if (options.randomTrials == 0) {
        candidates.push_back(options.fixed);
        for (const auto& range : options.ranges) {
            std::vector<ModelParameters> expanded;
            expanded.reserve(candidates.size() * range.values.size());
            for (const auto& partial : candidates)
                for (double value : range.values) {
                    auto next = partial;
                    next[range.name] = value;
                    expanded.push_back(std::move(next));
                }
            candidates = std::move(expanded);
        }
        return candidates;
    }
    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int trial = 0; trial < options.randomTrials; ++trial) {
        ModelParameters parameters = options.fixed;
        for (const auto& range : options.ranges) {
            double value = 0.0;
            if (!range.values.empty()) {
                value = range.values[static_cast<std::size_t>(
                                         unit(rng) * static_cast<double>(range.values.size())) %
                                     range.values.size()];
            } else if (range.logScale) {
                value = std::exp(std::log(range.low) +
                                 unit(rng) * (std::log(range.high) - std::log(range.low)));
            } else {
                value = range.low + unit(rng) * (range.high - range.low);
            }
            if (range.integer) value = std::round(value);
            parameters[range.name] = value;
        }
        candidates.push_back(std::move(parameters));
    }
    return candidates;
}

SearchResult searchHyperparameters(const Split& validation, const Catalog& catalog,
                                   const HyperparameterSearchOptions& options,
                                   const ProgressCallback& progress) {
    const auto candidates = searchCandidates(options);
    // Build every model first: a typo in a name fails before any training time is spent.
    for (const auto& parameters : candidates) createRecommender(options.model, parameters);

    const Dataset data{catalog, validation.train};
    const Evaluator evaluator(validation, catalog, options.evaluator);
    SearchResult result;
    const auto trials = static_cast<std::int64_t>(candidates.size());
    const std::int64_t total = trials * kTrialProgressUnits;
    reportProgress(progress, {"hyperparameter search", 0, total, ""});
    for (const auto& parameters : candidates) {
        const auto index = static_cast<std::int64_t>(result.trials.size());
        const std::string label =
            "trial " + std::to_string(index + 1) + "/" + std::to_string(trials) + ": ";
        // The model's own reports move the bar within the trial (fitting its first 90%, the
        // evaluation the rest) and let a cancel stop a long trial early.
        const auto phase = [&](double from, double to) -> ProgressCallback {
            if (!progress) return {};
            return [&, from, to](const Progress& step) {
                const double share =
                    step.total > 0 ? std::clamp(double(step.done) / double(step.total), 0.0, 1.0)
                                   : 0.0;
                const auto within = static_cast<std::int64_t>((from + share * (to - from)) *
                                                              double(kTrialProgressUnits - 1));
                return progress({"hyperparameter search", index * kTrialProgressUnits + within,
                                 total, label + step.stage});
            };
        };
        auto model = createRecommender(options.model, parameters);
        const auto start = std::chrono::steady_clock::now();
        model->fit(data, phase(0.0, 0.9));
        Trial trial;
        trial.parameters = parameters;
        trial.trainSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        trial.report = evaluator.evaluate(*model, phase(0.9, 1.0));
        trial.report.trainSeconds = trial.trainSeconds;
        const auto metric = trial.report.metrics.find(options.metric);
        if (metric == trial.report.metrics.end())
            throw std::invalid_argument(
                "hyperparameter search: the evaluation reports no metric '" + options.metric + "'");
        trial.score = metric->second;
        const double bestScore =
            result.best < 0 ? 0.0 : result.trials[static_cast<std::size_t>(result.best)].score;
        if (result.best < 0 ||
            (options.minimize ? trial.score < bestScore : trial.score > bestScore))
            result.best = static_cast<int>(result.trials.size());
        std::ostringstream detail;
        detail << describeParameters(parameters) << " -> " << options.metric << ' ' << trial.score;
        result.trials.push_back(std::move(trial));
        reportProgress(progress, {"hyperparameter search", (index + 1) * kTrialProgressUnits, total,
                                  detail.str()});
    }
    return result;
}

}  // namespace animerec

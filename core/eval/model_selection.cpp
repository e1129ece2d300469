#include "eval/model_selection.h"

#include <chrono>
#include <stdexcept>

#include "data/dataset.h"
#include "eval/search_spaces.h"
#include "eval/split.h"

namespace animerec {

namespace {

// Forwards a sub-operation's reports under another stage name.
ProgressCallback renamed(const ProgressCallback& progress, const std::string& stage) {
    if (!progress) return {};
    return [progress, stage](const Progress& step) {
        Progress copy = step;
        copy.detail =
            step.stage == "hyperparameter search" ? step.detail : step.stage + " " + step.detail;
        copy.stage = stage;
        return progress(copy);
    };
}

double metricOf(const ModelReport& report, const std::string& metric) {
    const auto it = report.metrics.find(metric);
    if (it == report.metrics.end())
        throw std::invalid_argument("model choice: the evaluation reports no metric '" + metric +
                                    "'");
    return it->second;
}

}  // namespace

SelectionCandidate tuneFamily(const Split& validation, const Catalog& catalog,
                              const std::string& family, const EvaluatorOptions& evaluator,
                              std::uint64_t seed, std::string* skipped,
                              const ProgressCallback& progress) {
    SelectionCandidate candidate;
    candidate.family = family;
    auto space = defaultSearchSpace(family, seed, skipped);
    if (!space) return candidate;
    space->evaluator = evaluator;
    space->evaluator.curveMaxK = 0;
    space->evaluator.confidenceIntervals = false;
    const SearchResult result =
        searchHyperparameters(validation, catalog, *space, renamed(progress, "tune " + family));
    const Trial& best = result.bestTrial();
    candidate.parameters = best.parameters;
    candidate.validation = best.report;
    candidate.metric = space->metric;
    candidate.score = best.score;
    candidate.trials = result.trials;
    return candidate;
}

ModelChoice chooseModel(const Dataset& data, const ModelChoiceOptions& options,
                        const ProgressCallback& progress) {
    if (options.families.empty()) throw std::invalid_argument("model choice: no family to choose");
    const Split validation = validationSplit(data.interactions, options.seed);
    if (validation.testUserCount() == 0)
        throw std::invalid_argument(
            "model choice: no user has the 5 interactions needed to hold some out for validation");
    EvaluatorOptions evaluatorOptions = searchEvaluatorOptions();
    evaluatorOptions.catalogMode = options.catalogMode;
    evaluatorOptions.threads = options.threads;

    ModelChoice choice;
    choice.protocol = validation.protocol;
    for (const auto& family : options.families) {
        SelectionCandidate candidate;
        if (options.tune) {
            std::string skipped;
            candidate = tuneFamily(validation, data.catalog, family, evaluatorOptions, options.seed,
                                   &skipped, progress);
            if (!skipped.empty()) throw std::invalid_argument("model choice: " + skipped);
        } else {
            candidate.family = family;
            const auto fixed = options.parameters.find(family);
            if (fixed != options.parameters.end()) candidate.parameters = fixed->second;
            const std::string stage = "validate " + family;
            auto model = createRecommender(family, candidate.parameters);
            const Dataset train{data.catalog, validation.train};
            const auto start = std::chrono::steady_clock::now();
            model->fit(train, renamed(progress, stage));
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const Evaluator evaluator(validation, data.catalog, evaluatorOptions);
            candidate.validation = evaluator.evaluate(*model, renamed(progress, stage));
            candidate.validation.trainSeconds = seconds;
        }
        candidate.metric = options.metric;
        candidate.score = metricOf(candidate.validation, options.metric);
        choice.candidates.push_back(std::move(candidate));
        const auto index = static_cast<int>(choice.candidates.size()) - 1;
        if (choice.chosen < 0 || choice.candidates.back().score > choice.best().score)
            choice.chosen = index;
    }
    return choice;
}

}  // namespace animerec

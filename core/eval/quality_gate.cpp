#include "eval/quality_gate.h"

#include <stdexcept>

#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/hyperparameter_search.h"
#include "eval/search_spaces.h"
#include "eval/split.h"

namespace animerec {

GateVerdict compareOnValidation(const Dataset& data, Recommender& candidate, Recommender& published,
                                const GateSettings& settings, const ProgressCallback& progress) {
    if (!(settings.margin >= 0.0 && settings.margin < 1.0))
        throw std::invalid_argument("quality gate: margin must be in [0, 1), got " +
                                    std::to_string(settings.margin));
    const Split validation = validationSplit(data.interactions, settings.seed);
    if (validation.testUserCount() == 0)
        throw std::invalid_argument(
            "quality gate: no user has the 5 interactions needed to hold some out for validation");
    const Dataset train{data.catalog, validation.train};
    // Ranked as model choice ranks (the P1 protocol: items that occur in the data).
    EvaluatorOptions options = searchEvaluatorOptions();
    options.catalogMode = CatalogMode::Interacted;
    const Evaluator evaluator(validation, data.catalog, options);
    const auto score = [&](Recommender& model) {
        model.fit(train, progress);
        return evaluator.evaluate(model, progress).metrics.at("ndcg@10");
    };
    GateVerdict verdict;
    verdict.candidateScore = score(candidate);
    verdict.publishedScore = score(published);
    verdict.relativeChange =
        verdict.publishedScore > 0.0
            ? (verdict.candidateScore - verdict.publishedScore) / verdict.publishedScore
            : 0.0;
    verdict.passed = verdict.relativeChange >= -settings.margin;
    return verdict;
}

}  // namespace animerec

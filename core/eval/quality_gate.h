#pragma once

#include <cstdint>
#include <string>

#include "models/recommender.h"
#include "util/progress.h"

namespace animerec {

struct Dataset;

// The quality gate every retrained model passes before it is published: the new model and the one
// published for the same role are both fitted on the train part of a validation split carved
// from the training data (validationSplit(), as model choice and `evaluate --tune` use) and
// scored by NDCG@10 on its held-out part. The new one is refused when it scores more than
// `margin` (relative) below the published one.
struct GateSettings {
    double margin = 0.02;  // allowed relative drop of validation NDCG@10
    std::uint64_t seed = 42;
};

struct GateVerdict {
    bool passed = false;
    double candidateScore = 0.0;  // validation NDCG@10 of the new configuration
    double publishedScore = 0.0;  // of the published model's configuration, refitted
    // (candidate - published) / published; 0 when the published model scores 0.
    double relativeChange = 0.0;
};

// Fits `candidate` (untrained, the new configuration) and `published` (the served model as loaded:
// fit() refits it from its own configuration, so no parameter needs to be known) on the validation
// train part and compares them. Both models are left fitted on that part, not on all data: pass
// copies. Throws std::invalid_argument when no user can hold out validation events;
// OperationCancelled when asked.
GateVerdict compareOnValidation(const Dataset& data, Recommender& candidate, Recommender& published,
                                const GateSettings& settings,
                                const ProgressCallback& progress = {});

}  // namespace animerec

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "eval/hyperparameter_search.h"

namespace animerec {

class Interactions;
struct Split;

// The search `evaluate --tune`, `train --tune` and `train collaborative --tune` run for one model
// family when the user names no space of their own: the family's row (ModelFamily::search in
// models/model_families.h) as a full grid. Returns nullopt for families whose trials take minutes
// (sasrec, gru) and writes why into `skipped` when given. `seed` seeds random draws (none of the
// defaults draw) and is not a model parameter. Throws std::invalid_argument for an unknown family.
std::optional<HyperparameterSearchOptions> defaultSearchSpace(const std::string& family,
                                                              std::uint64_t seed = 42,
                                                              std::string* skipped = nullptr);

// The validation split tuning and model choice use, carved from the train part only (never from
// a test part): 20% per-user random holdout of users with at least 5 events, the others kept in
// train unevaluated, seeded. Its protocol says "validation".
Split validationSplit(const Interactions& train, std::uint64_t seed = 42);

}  // namespace animerec

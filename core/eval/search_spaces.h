#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "eval/hyperparameter_search.h"

namespace animerec {

class Interactions;
struct Split;

// The search `evaluate --tune` and `train collaborative --tune` run for one model family when the
// user names no space of their own. Each space holds the family's defaults, so tuning never
// picks a configuration it did not compare with them; sizes keep a family's search to about a
// minute on P1-sized data (6k users, 0.5M events) on two cores:
//   popularity  mode                                    3 trials
//   content     genre_weight x members_weight           9 trials
//   als         factors x regularization x alpha       18 trials (15 iterations)
//   mf          factors x regularization x lr           8 trials (30 epochs), minimising rmse
//   ease        lambda x dropout                        9 trials
//   rp3beta     alpha x beta                            9 trials (about a second each)
//   ease_rp3    lambda x ease_weight                    6 trials (one EASE fit each)
// Returns nullopt for families whose trials take minutes (sasrec, gru) and writes why into
// `skipped` when given. `seed` seeds random draws (none of the defaults draw) and is not a
// model parameter. Throws std::invalid_argument for an unknown family.
std::optional<HyperparameterSearchOptions> defaultSearchSpace(const std::string& family,
                                                              std::uint64_t seed = 42,
                                                              std::string* skipped = nullptr);

// The validation split tuning and model choice use, carved from the train part only (never from
// a test part): 20% per-user random holdout of users with at least 5 events, the others kept in
// train unevaluated, seeded. Its protocol says "validation".
Split validationSplit(const Interactions& train, std::uint64_t seed = 42);

}  // namespace animerec

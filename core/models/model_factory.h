#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/model_families.h"
#include "models/recommender.h"

namespace animerec {

// Readers of the family table (models/model_families.h) by name.

// Stable model names, in presentation order: popularity, content, content_pop, als, mf, ease,
// edlae, ease_pairs, mult_vae, rp3beta, ease_rp3, sasrec, gru (only those built into this binary).
std::vector<std::string> knownModelNames();
// The names of one kind, in presentation order (collaborative: als, mf, ease, edlae, ease_pairs,
// mult_vae, rp3beta, ease_rp3).
std::vector<std::string> modelNamesOfKind(ModelKind kind);
// The kind of a known model name; throws std::invalid_argument for an unknown one.
ModelKind kindOfModel(const std::string& name);

// Builds an untrained model of family `name` with its default config overridden by `parameters`.
// Throws std::invalid_argument for an unknown name or parameter.
std::unique_ptr<Recommender> createRecommender(const std::string& name,
                                               const ModelParameters& parameters = {});

}  // namespace animerec

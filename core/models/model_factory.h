#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// Named hyper-parameters ("factors" -> 128, "alpha" -> 20); unknown names are rejected.
using ModelParameters = std::map<std::string, double>;

// Stable model names, in presentation order: popularity, content, als, mf, ease, rp3beta,
// ease_rp3, sasrec, gru (only those built into this binary).
std::vector<std::string> knownModelNames();

// Builds an untrained model of family `name` with its default config overridden by `parameters`.
// Throws std::invalid_argument for an unknown name or parameter.
std::unique_ptr<Recommender> createRecommender(const std::string& name,
                                               const ModelParameters& parameters = {});

}  // namespace animerec

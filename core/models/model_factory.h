#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// Named hyper-parameters ("factors" -> 128, "alpha" -> 20); unknown names are rejected.
using ModelParameters = std::map<std::string, double>;

// What a family is for: the four families of the product, each served by one HTTP route.
enum class ModelKind { Popularity, Content, Collaborative, Session };

// Stable model names, in presentation order: popularity, content, content_pop, als, mf, ease,
// rp3beta, ease_rp3, sasrec, gru (only those built into this binary).
std::vector<std::string> knownModelNames();
// The names of one kind, in presentation order (collaborative: als, mf, ease, rp3beta, ease_rp3).
std::vector<std::string> modelNamesOfKind(ModelKind kind);
// The kind of a known model name; throws std::invalid_argument for an unknown one.
ModelKind kindOfModel(const std::string& name);

// Builds an untrained model of family `name` with its default config overridden by `parameters`.
// Throws std::invalid_argument for an unknown name or parameter.
std::unique_ptr<Recommender> createRecommender(const std::string& name,
                                               const ModelParameters& parameters = {});

}  // namespace animerec

#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/parameter_binder.h"
#include "models/recommender.h"

namespace animerec {

// What a family is for: the four families of the product, each served by one HTTP route.
enum class ModelKind { Popularity, Content, Collaborative, Session };

// The search `evaluate --tune` and `train --tune` run for a family when the user names no space
// of their own (eval/search_spaces.h turns it into HyperparameterSearchOptions): the full grid
// over `grid` (in order, last fastest) with `fixed` held in every trial. The grid holds the
// family's defaults, so tuning never picks a configuration it did not compare with them; sizes
// keep a family's search to about a minute on P1-sized data (6k users, 0.5M events) on two
// cores. A family whose trials take minutes has no grid and says why in `untuned`.
struct DefaultSearch {
    // Every member has an initializer, so a row names only what it sets.
    ModelParameters fixed{};
    std::vector<std::pair<std::string, std::vector<double>>> grid{};
    std::string metric{};   // ModelReport key to optimise; empty: the search's default (ndcg@10)
    bool minimize = false;  // true for errors such as "rmse"
    std::string untuned{};  // why the family is not tuned automatically; empty when it is
};

// One model family: everything the factory, tuning, the registry's roles, the command line's
// help and Studio's lists know about it.
struct ModelFamily {
    std::string name;         // stable: model files, --models, JSON reports, HTTP, Studio
    ModelKind kind;           // the role it serves
    std::string description;  // one line for help texts and lists
    // An untrained model with its default config overridden by the bound parameters.
    std::unique_ptr<Recommender> (*make)(ParameterBinder& parameters);
    DefaultSearch search;
};

// Every family built into this binary, in presentation order. Adding a family is its own files
// and one row here (models/model_families.cpp); nothing else changes.
const std::vector<ModelFamily>& modelFamilies();

// The row of `name`; throws std::invalid_argument naming the known families for an unknown one.
const ModelFamily& modelFamily(const std::string& name);

}  // namespace animerec

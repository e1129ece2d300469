#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "eval/evaluator.h"
#include "eval/hyperparameter_search.h"
#include "util/progress.h"

namespace animerec {

struct Dataset;
struct Split;

// One family's entry in a model choice: the parameters it would be trained with and how they
// did on the validation split.
struct SelectionCandidate {
    std::string family;
    ModelParameters parameters;  // as passed to createRecommender (empty = the family defaults)
    ModelReport validation;      // metrics of `parameters` on the validation split
    std::string metric;          // the metric `score` holds ("ndcg@10", "rmse" for mf tuning)
    double score = 0.0;          // that metric from `validation`
    std::vector<Trial> trials;   // every tuning trial (empty when not tuned)
};

struct ModelChoiceOptions {
    std::vector<std::string> families{"als", "ease"};  // factory names competing for the role
    bool tune = false;  // search each family's defaultSearchSpace() instead of defaults
    // Without tuning: the parameters a family is trained with (as given to `animerec train
    // --param`); a family not named here uses its defaults.
    std::map<std::string, ModelParameters> parameters;
    std::uint64_t seed = 42;  // validation split and random search
    std::string metric = "ndcg@10";
    CatalogMode catalogMode = CatalogMode::Interacted;  // as the P1 reference figures rank
    int threads = 0;                                    // evaluator workers; 0 = all cores
};

struct ModelChoice {
    std::vector<SelectionCandidate> candidates;                 // in `families` order
    int chosen = -1;                                            // highest score; first on ties
    std::vector<std::pair<std::string, std::string>> protocol;  // of the validation split

    const SelectionCandidate& best() const { return candidates.at(std::size_t(chosen)); }
};

// Model choice on a validation split carved from `data` (validationSplit()): every family is
// trained on its train part (with defaults, or each trial of its default search when tuning)
// and scored by `metric` on its held-out part; the caller then refits the winner on all of
// `data`. Progress: stage "validate <family>" (one fit + evaluation) or
// "tune <family>" (the search's units). Throws std::invalid_argument for an unknown or untunable
// family, or when no user has enough events to hold any out; OperationCancelled when asked.
ModelChoice chooseModel(const Dataset& data, const ModelChoiceOptions& options,
                        const ProgressCallback& progress = {});

// The best parameters of one family's default search on `validation` (carved from train), or
// the family defaults with `skipped` set when the family is not tuned automatically. Progress
// as searchHyperparameters() under stage "tune <family>".
SelectionCandidate tuneFamily(const Split& validation, const Catalog& catalog,
                              const std::string& family, const EvaluatorOptions& evaluator,
                              std::uint64_t seed, std::string* skipped = nullptr,
                              const ProgressCallback& progress = {});

}  // namespace animerec

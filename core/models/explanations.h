#pragma once

#include <span>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// One of the user's own titles and how much it pushed a recommended item up (model units;
// larger = more influence, may be negative for items that pushed it down).
struct Contribution {
    int item = 0;
    float weight = 0.0f;
};

// Implemented by models whose score decomposes over the user's history (EASE, implicit ALS).
// The service finds it with dynamic_cast<const Explainer*>(&model).
class Explainer {
public:
    virtual ~Explainer() = default;
    // The `count` history items contributing most to the score of `item` for `query`, largest
    // weight first. Empty when the history is empty or `item` is unknown to the model.
    // Const and thread-safe like Recommender::score().
    virtual std::vector<Contribution> explain(const UserQuery& query, int item,
                                              int count = 3) const = 0;
    // explain() for several items of one query: result[k] == explain(query, items[k], count).
    // A served answer explains every recommended item of one request; models whose explanation
    // has per-query work (ALS factors one k x k system per history) override this to do that
    // work once. The default calls explain() per item.
    virtual std::vector<std::vector<Contribution>> explainItems(const UserQuery& query,
                                                                std::span<const int> items,
                                                                int count = 3) const;
};

// The `count` largest contributions of `all`, largest first (ties by lower item index), skipping
// zero weights. Shared by the models' explain() implementations.
std::vector<Contribution> strongestContributions(std::vector<Contribution> all, int count);

}  // namespace animerec

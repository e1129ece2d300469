#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "util/progress.h"

namespace animerec {

// One ranked item: a catalogue index and the model's score for it (higher is better).
struct ScoredItem {
    int item = 0;
    float score = 0.0f;
};

// Whom to recommend for. `user` is the dense index in the training interactions, or -1 for a
// user the model was not trained on; `history` is what is known of the user now (oldest first),
// which may be longer than at training time. Models use whichever they can.
struct UserQuery {
    int user = -1;
    std::span<const Event> history;
};

// The one interface every model family implements.
// fit() is single-owner; score() is const and thread-safe (scratch space lives per call), so a
// trained model can be shared by HTTP handlers, Studio and the evaluator at once.
class Recommender {
public:
    virtual ~Recommender() = default;

    // Stable name used by the CLI, JSON reports, HTTP and Studio: "popularity", "content", "als",
    // "mf", "ease", "sasrec", "gru".
    virtual std::string name() const = 0;

    // Trains on `data`. Reports progress and throws OperationCancelled when asked to stop.
    virtual void fit(const Dataset& data, const ProgressCallback& progress = {}) = 0;

    // Writes one score per catalogue item into `scores` (scores.size() == catalogue size).
    // Items the model knows nothing about get the lowest scores it produces, never NaN.
    virtual void score(const UserQuery& query, std::span<float> scores) const = 0;

    // The k best items for `query` outside `exclude` (any order), best first: topK() over score()
    // for a catalogue of `catalogueSize` items. A family that can find the same items with the
    // same scores without scoring the whole catalogue overrides it.
    virtual std::vector<ScoredItem> recommend(const UserQuery& query, int catalogueSize, int k,
                                              std::span<const int> exclude) const;

    // Model body only; model_io.h adds the magic number, format version and checksum.
    virtual void save(std::ostream& out) const = 0;
    // Throws std::runtime_error on a malformed body; on throw the model is left unchanged.
    virtual void load(std::istream& in) = 0;

    // Catalogue size the model was fitted on (scores mean something for items [0, n)), or -1 when
    // the family does not report it. Serving refuses a model whose count differs from its
    // catalogue.
    virtual int itemCount() const { return -1; }

    // The loss (or error) after each iteration or epoch of the last fit, as saved with the model,
    // for charts and reports; empty for families that train in one step.
    virtual std::vector<double> trainingCurve() const { return {}; }
};

// The k best items of `scores`, best first, skipping every index in `exclude` (any order).
// Ties broken by lower index so results are deterministic. O(n log k).
std::vector<ScoredItem> topK(std::span<const float> scores, int k,
                             std::span<const int> exclude = {});

}  // namespace animerec

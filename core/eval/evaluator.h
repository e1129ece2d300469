#pragma once

#include <cstdint>
#include <vector>

#include "eval/bootstrap.h"
#include "eval/evaluation_report.h"
#include "util/progress.h"

namespace animerec {

class Catalog;
class Interactions;
class Recommender;
struct HeldOut;
struct Split;

enum class CatalogMode {
    All,         // rank every catalogue item the user has not interacted with in train
    Interacted,  // rank only items occurring in train (a held-out item never seen there misses)
};

struct EvaluatorOptions {
    std::vector<int> ks{5, 10, 20, 50, 100};  // cut-offs reported as "metric@K"
    CatalogMode catalogMode = CatalogMode::All;
    int threads = 0;                  // 0 = hardware concurrency; results do not depend on it
    int curveMaxK = 100;              // Recall@k / NDCG@k curves for k = 1..curveMaxK
    bool confidenceIntervals = true;  // bootstrap CIs for recall, ndcg and hitrate at every K
    BootstrapOptions bootstrap;       // resamples, confidence, seed (threads taken from above)
};

// Offline top-K evaluation of recommenders on one split (Cremonesi et al. 2010 "all items"
// protocol): for every user with held-out items, the model scores the whole catalogue, the
// user's train items are excluded, the best max(K) are kept by partial selection (ties to the
// lower item index) and compared with the held-out items. Users are processed in parallel with
// per-thread scratch; per-user values are reduced in user order, so every number is identical
// for any thread count.
//
// Beyond accuracy: coverage@K = share of items occurring in train that appear in some top-K
// list; novelty, diversity (intra-list genre Jaccard distance) and popularity (mean train count)
// as in metrics.h. Models that also implement RatingPredictor get "rmse" and "mae" over the
// held-out events with a rating.
//
// The split (train and test) and the catalogue must outlive the evaluator.
class Evaluator {
public:
    // Throws std::invalid_argument when the catalogue size differs from the split's item count,
    // the split's test list does not match its train users, or a K is < 1.
    Evaluator(const Split& split, const Catalog& catalog, EvaluatorOptions options = {});
    // The same with the parts held apart, e.g. when the train interactions were moved into the
    // Dataset the models fit on: test[u] belongs to dense user u of `train`.
    Evaluator(const Interactions& train, const std::vector<HeldOut>& test, const Catalog& catalog,
              EvaluatorOptions options = {});

    // Evaluates a trained model (its score() must be thread-safe). Reports progress in users and
    // throws OperationCancelled when the callback asks to stop; rethrows the first exception a
    // model's score() raised. Fills evalSeconds; trainSeconds is left 0.
    ModelReport evaluate(const Recommender& model, const ProgressCallback& progress = {}) const;

    int evaluatedUserCount() const { return static_cast<int>(users_.size()); }
    const EvaluatorOptions& options() const { return options_; }

private:
    struct Scratch;
    struct ChunkTotals;
    void evaluateUser(const Recommender& model, int user, Scratch& scratch, float* row,
                      ChunkTotals& totals) const;

    const Interactions& train_;
    const std::vector<HeldOut>& test_;
    EvaluatorOptions options_;
    int itemCount_ = 0;
    int maxCutOff_ = 0;                       // max K
    int rankDepth_ = 0;                       // max(max K, curveMaxK)
    std::vector<int> users_;                  // users with held-out items, ascending
    std::vector<int> trainCounts_;            // per item
    std::vector<int> trainItems_;             // items with a train count > 0
    std::vector<std::uint8_t> baseExcluded_;  // catalogue mode exclusions
    int genreWords_ = 1;
    std::vector<std::uint64_t> genreBits_;  // item-major bitsets of genre ids
    std::vector<int> genreSizes_;           // genres per item (set bits)
    std::vector<double> idealDcg_;          // idealDcg_[m] = DCG of m hits at ranks 1..m
};

}  // namespace animerec

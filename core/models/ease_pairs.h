#pragma once

#include <vector>

#include "models/ease.h"
#include "models/explanations.h"
#include "models/recommender.h"

namespace animerec {

// Higher-order EASE (Steck & Liang 2021, "Negative Interactions for Improved Collaborative
// Filtering: Don't go Deeper, go Higher"): besides the item-item matrix B, a weight row per
// frequent pair of items, scored when the user has both items of the pair:
//   score(u) = x_u^T B + z_u^T C,  z_u[(i, j)] = x_ui x_uj.
// A pair's row can say what the pair predicts beyond its two items, including "users with both
// i and j avoid k" (a negative weight a linear model of single items cannot express).
// Training solves the paper's objective exactly, B and C jointly:
//   min ||X - X B - Z C||^2 + ||Lambda_B^1/2 B||^2 + ||Lambda_C^1/2 C||^2
//   subject to C[(i, j), i] = C[(i, j), j] = 0 (and diag(B) = 0 for EASE's B),
// the constraint keeping a pair from predicting its own items as EASE's zero diagonal keeps an
// item from predicting itself. With F = [X Z], [B; C] = (F^T F + Lambda)^-1 F^T X column by
// column, the constrained entries eliminated by Lagrange multipliers: one inverse of size
// items + pairs, where the paper iterates (ADMM). Lambda_B is EDLAE's (lambda plus emphasised
// dropout) by default, full rank; Lambda_C the pairs' ridge with their own emphasised dropout.
struct EasePairsConfig {
    // B's ridge and kind: EDLAE's validation-chosen defaults (lambda 200, dropout 0.4, full
    // rank); fullRank = false constrains diag(B) = 0 as EASE and the paper do. maxItems as EASE.
    EaseConfig base{.lambda = 200.0f, .dropout = 0.4f, .fullRank = true};
    // Number of pairs with a row of C: the pairs of modelled items shared by the most users
    // (ties to the lower positions). C holds pairs x modelled items floats and the solve costs
    // (items + pairs)^3 flops.
    int pairs = 1000;
    // Ridge on C. 10,000: chosen on the validation split of P1's train part among 1,000, 3,000
    // and 10,000 (`bench_collaborative tuned:ease_pairs`); it is the weakest pairs of the three,
    // and every lighter ridge did worse there (bench/README.md).
    float pairLambda = 10000.0f;
    // Emphasised dropout of the pair features: p / (1 - p) * (users holding the pair) is added to
    // the pair's ridge, as EDLAE's dropout does for items. 0 = plain ridge.
    float pairDropout = 0.0f;
    // Pairs are counted among this many of the most frequent modelled items only (a pair is never
    // more frequent than its rarer item, so the most frequent pairs lie among frequent items).
    int pairItems = 3000;
    int threads = 0;  // 0 = all hardware threads
};

class EasePairs : public Recommender, public Explainer {
public:
    explicit EasePairs(EasePairsConfig config = {});

    std::string name() const override { return "ease_pairs"; }
    const EasePairsConfig& config() const { return config_; }

    // Throws std::invalid_argument for an invalid config. Progress stages "ease_pairs gram"
    // (users), "ease_pairs inverse" (column blocks), "ease_pairs solve".
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // B's scores plus the rows of C of the pairs the history holds both items of; items outside
    // B's modelled items score lowest.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // History item j contributes B[j, item] plus half of C[(j, k), item] for each pair (j, k) the
    // history holds, so the contributions of all history items sum to the score.
    std::vector<Contribution> explain(const UserQuery& query, int item,
                                      int count = 3) const override;
    std::vector<std::vector<Contribution>> explainItems(const UserQuery& query,
                                                        std::span<const int> items,
                                                        int count = 3) const override;

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    int itemCount() const override { return base_.itemCount(); }
    const Ease& base() const { return base_; }
    // Pair k is (pairFirst()[k], pairSecond()[k]) in B's compact positions, first < second.
    const std::vector<int>& pairFirst() const { return first_; }
    const std::vector<int>& pairSecond() const { return second_; }
    // C[pair, position].
    float pairWeight(int pair, int position) const {
        return pairWeights_[static_cast<std::size_t>(pair) * base_.modelledItems().size() +
                            static_cast<std::size_t>(position)];
    }

private:
    // The pairs whose two items are both among `positions` (sorted ascending).
    void activePairs(std::span<const int> positions, std::vector<int>& pairs) const;
    // positionOf_ and the unmodelled items, from base_.
    void indexItems();
    // The pair index by first position (pairStart_ over `positions` compact positions).
    void indexPairs(int positions);

    EasePairsConfig config_;
    Ease base_;
    std::vector<int> first_, second_;  // pair -> compact positions
    std::vector<float> pairWeights_;   // C, row-major pairs x modelled items
    std::vector<int> positionOf_;      // catalogue index -> compact position or -1
    std::vector<int> pairStart_;       // CSR by first position: pairs [start[a], start[a + 1])
    std::vector<int> pairPartner_;     // ... their second positions
    std::vector<int> pairIndex_;       // ... and their pair indices
    std::vector<int> unmodelled_;      // catalogue indices without a position, ascending
};

}  // namespace animerec

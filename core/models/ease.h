#pragma once

#include <vector>

#include "models/explanations.h"
#include "models/recommender.h"

namespace animerec {

// Embarrassingly Shallow Autoencoder (Steck 2019, "Embarrassingly Shallow Autoencoders for
// Sparse Data"): the item-item matrix B = I - P / diag(P) with P = (X^T X + lambda I)^-1, from
// binary user x item data X. score(u) = x_u^T B.
struct EaseConfig {
    // lambda 100 with dropout 0.25: chosen on a validation split carved from P1's train part
    // (seed 4242; `bench_collaborative ease tuned`; the figures are in bench/README.md).
    float lambda = 100.0f;  // L2 weight on B
    // Only the most frequent items get a row/column of B: P is dense, so memory is 4 N^2 bytes
    // per matrix (~0.26 GB at 8,000) and time O(N^3). Other items score lowest.
    int maxItems = 8000;
    // Emphasised denoising (Steck 2020, "Autoencoders that don't overfit towards the Identity"):
    // dropout p adds p / (1 - p) * G_ii to item i's ridge, so frequent items are shrunk more.
    // 0 = plain EASE.
    float dropout = 0.25f;
    // false: EASE's constraint diag(B) = 0, B = I - P / diag(P). true: the full-rank EDLAE of
    // Steck 2020 (eq. 9), B = I - P Lambda with Lambda = lambda I + p / (1 - p) diag(G): no
    // constraint, the emphasised dropout alone keeps B away from the identity. Only B's
    // off-diagonal part is kept either way (a user's own items are never recommended).
    bool fullRank = false;
    // User normalisation of the Gram matrix: user u's co-occurrences count w_u = c n_u^-exponent
    // (n_u the user's modelled titles, c keeping the total weight of all entries unchanged), so
    // the longest lists do not set most of B. 0 = every user counts 1 (EASE and EDLAE as
    // published).
    float userWeightExponent = 0.0f;
    int threads = 0;  // workers for the inverse; 0 = all hardware threads
};

class Ease : public Recommender, public Explainer {
public:
    explicit Ease(EaseConfig config = {});

    std::string name() const override { return config_.fullRank ? "edlae" : "ease"; }
    const EaseConfig& config() const { return config_; }

    // Throws std::invalid_argument for lambda <= 0 or maxItems < 1. Progress stages "ease gram",
    // "ease inverse" (done/total in column blocks).
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // sum over the distinct modelled items j of the history of B[j, i]; works the same for
    // trained and unknown users (EASE has no user parameters). Unmodelled items get the lowest
    // score of the call minus 1.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // The history items j with the largest B[j, item].
    std::vector<Contribution> explain(const UserQuery& query, int item,
                                      int count = 3) const override;
    // The same for several items, reading the history's positions once.
    std::vector<std::vector<Contribution>> explainItems(const UserQuery& query,
                                                        std::span<const int> items,
                                                        int count = 3) const override;

    // Takes a B fitted elsewhere (higher-order EASE fits it jointly with its pair weights):
    // `items` the catalogue indices of the compact positions, `weights` B row-major with a zero
    // diagonal. Throws std::invalid_argument on a bad index or a size mismatch.
    void adoptWeights(int itemCount, std::vector<int> items, std::vector<float> weights);

    // The at most `maxItems` items of [0, itemCount) held by the most distinct users, most first
    // (ties to the lower index; items nobody holds are left out): the items fit() models. When
    // `rows` is given it receives each user's sorted distinct items.
    static std::vector<int> mostFrequentItems(const Interactions& interactions, int itemCount,
                                              int maxItems,
                                              std::vector<std::vector<int>>* rows = nullptr);

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // Number of modelled items N, their catalogue indices (most frequent first), and B[row, col]
    // over compact positions 0..N-1.
    int itemCount() const override { return itemCount_; }
    int modelledItemCount() const { return static_cast<int>(items_.size()); }
    const std::vector<int>& modelledItems() const { return items_; }
    float weight(int row, int col) const {
        return weights_[static_cast<std::size_t>(row) * items_.size() +
                        static_cast<std::size_t>(col)];
    }

private:
    void indexUnmodelled();

    EaseConfig config_;
    int itemCount_ = 0;            // catalogue size at fit time
    std::vector<int> items_;       // compact position -> catalogue index
    std::vector<int> positionOf_;  // catalogue index -> compact position or -1
    std::vector<float> weights_;   // B, row-major N x N
    std::vector<int> unmodelled_;  // catalogue indices without a position, ascending
};

}  // namespace animerec

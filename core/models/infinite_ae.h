#pragma once

#include <cstdint>
#include <vector>

#include "models/recommender.h"

namespace animerec {

struct InfiniteAeConfig {
    // Ridge of the kernel regression: K + lambda * mean(diag K) * I, the reference
    // implementation's scaling. 3 was the best of 1, 2, 3, 4, 5, 8, 20, 50 on P1's validation
    // split (`bench_collaborative validate:inf_ae`, figures in bench/README.md).
    float lambda = 3.0f;
    // Only the most frequent items are modelled (the input width and the outputs); others score
    // lowest. The weights are maxItems x support users floats.
    int maxItems = 20000;
    // Support users: when more users have histories, a seeded random sample of this many (the
    // paper's user sampling). K is support x support floats, inverted in O(support^3); at 15,000
    // K and the weights of 17,500 titles take 2 GB, what the 2020 scale leaves of 8 GB.
    int maxUsers = 15000;
    std::uint64_t seed = 42;
    int threads = 0;  // workers for the kernel, the inverse and the weights; 0 = all
};

// Infinite-width autoencoder (∞-AE; Sachdeva, Dhaliwal, Wu & McAuley, "Infinite Recommendation
// Networks: A Data-Centric Approach", NeurIPS 2022): the limit of an autoencoder with one ReLU
// hidden layer as its width grows, trained to convergence, is kernel ridge regression with the
// network's neural tangent kernel between users' binary histories:
//   score(x) = k(x, X) (K + lambda * mean(diag K) * I)^-1 X
// with X the support users' histories and K = k(X, X). Closed form, no epochs. Every distinct
// modelled title of a history counts once. No user parameters: an unseen user is scored from
// the history alone. Scoring costs one product of the weights (items x support users).
class InfiniteAe : public Recommender {
public:
    explicit InfiniteAe(InfiniteAeConfig config = {});

    std::string name() const override { return "inf_ae"; }
    const InfiniteAeConfig& config() const { return config_; }

    // Throws std::invalid_argument for a bad config or no interactions. Progress stages
    // "inf_ae kernel" (support users), "inf_ae inverse" (column blocks), "inf_ae weights" (items).
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // Unmodelled items rank last (scoreUnknownItemsLast). Throws std::runtime_error
    // before fit()/load().
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    int itemCount() const override { return items_.empty() ? -1 : itemCount_; }
    int supportUserCount() const { return static_cast<int>(userOffsets_.size()) - 1; }
    int modelledItemCount() const { return static_cast<int>(items_.size()); }
    const std::vector<int>& modelledItems() const { return items_; }

    // The neural tangent kernel of Dense(W_std = sqrt 2, b_std = 0.1) -> ReLU -> Dense(sqrt 2,
    // 0.1) in the NTK parameterisation (the reference implementation's network, depth 1), between
    // binary inputs of `width` features with `sizeA` and `sizeB` ones sharing `overlap`.
    static double kernel(double overlap, double sizeA, double sizeB, int width);

private:
    // fit() on this (fresh) object.
    void build(const Dataset& data, const ProgressCallback& progress);
    void indexSupport();

    InfiniteAeConfig config_;
    int itemCount_ = 0;            // catalogue size at fit time
    std::vector<int> items_;       // compact position -> catalogue index
    std::vector<int> positionOf_;  // catalogue index -> compact position or -1
    // The support users' histories (compact rows) and, derived, each position's support users.
    std::vector<int> userOffsets_{0}, userPositions_;
    std::vector<int> itemOffsets_, itemUsers_;
    // (K + ridge)^-1 X transposed: items x support users, row-major.
    std::vector<float> weights_;
};

}  // namespace animerec

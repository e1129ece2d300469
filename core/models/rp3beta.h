#pragma once

#include <cstdint>
#include <vector>

#include "models/explanations.h"
#include "models/recommender.h"

namespace animerec {

// RP3beta (Paudel, Christoffel, Newell & Bernstein 2017, "Updatable, accurate, diverse, and
// scalable recommendations for interactive applications"): a three-step random walk item ->
// user -> item on the bipartite graph with transition probabilities raised to `alpha`, each
// target divided by its popularity^beta so the walk stops drifting to the most popular titles:
//   W[i, j] = pop_i^-alpha * sum_u x_ui x_uj deg_u^-alpha * pop_j^-beta   (i != j)
// with pop = distinct users of an item and deg = distinct items of a user; each row keeps its
// `neighbours` largest weights. score(u, j) = sum over the distinct history items i of W[i, j].
// Defaults: the best of a 24-point grid on a validation split of P1's train part
// (bench_collaborative tuned); this data wants a strong popularity penalty and wide rows.
struct Rp3BetaConfig {
    float alpha = 0.5f;     // exponent on the transition probabilities (1 = the plain walk P^3)
    float beta = 0.7f;      // popularity penalty on the walk's end point (0 = none)
    int neighbours = 1000;  // strongest targets kept per source item; 0 = all
    int threads = 0;        // workers for the item-item pass; 0 = all hardware threads
};

class Rp3Beta : public Recommender, public Explainer {
public:
    explicit Rp3Beta(Rp3BetaConfig config = {});

    std::string name() const override { return "rp3beta"; }
    const Rp3BetaConfig& config() const { return config_; }

    // Throws std::invalid_argument for alpha <= 0, beta < 0 or neighbours < 0. O(sum_u deg_u^2)
    // time, O(items * neighbours) memory. Progress stage "rp3beta walk" (done/total items).
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // Sum of the history items' rows; items no history item reaches score 0, the lowest a
    // query can produce (weights are >= 0). Works for unknown users from their history alone.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // The history items i with the largest W[i, item].
    std::vector<Contribution> explain(const UserQuery& query, int item,
                                      int count = 3) const override;

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // W[source, target] for catalogue indices (0 when pruned, unknown or on the diagonal).
    float weight(int source, int target) const;
    // Catalogue size at fit time (0 before fit).
    int itemCount() const override { return itemCount_; }
    // Number of stored non-zero weights.
    std::size_t weightCount() const { return weights_.size(); }

private:
    std::vector<int> distinctHistory(std::span<const Event> history) const;

    Rp3BetaConfig config_;
    int itemCount_ = 0;                  // catalogue size at fit time
    std::vector<std::int64_t> offsets_;  // row i occupies [offsets_[i], offsets_[i + 1])
    std::vector<int> targets_;           // per row ascending
    std::vector<float> weights_;         // parallel to targets_
};

}  // namespace animerec

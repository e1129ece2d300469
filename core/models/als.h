#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/confidence.h"
#include "models/explanations.h"
#include "models/norm_ordered_items.h"
#include "models/recommender.h"

namespace animerec {

// Implicit-feedback matrix factorisation by alternating least squares
// (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets").
struct AlsConfig {
    enum class Solver { ConjugateGradient, Cholesky };

    // Defaults chosen on the validation split carved from P1's train part over the family's
    // search space (`bench_collaborative tuned:als`; figures in bench/README.md): a strong ridge
    // and a low alpha against the paper's alpha = 40.
    int factors = 256;             // latent dimension k
    float regularization = 60.0f;  // lambda on |x_u|^2 and |y_i|^2 (not scaled by counts)
    float alpha = 8.0f;            // confidence c = 1 + alpha * f(event)
    int iterations = 15;           // full user+item sweeps
    Solver solver = Solver::ConjugateGradient;  // CG (Takacs et al. 2011) or exact Cholesky
    int cgSteps = 3;                            // CG iterations per row and sweep, warm-started
    int threads = 0;                            // worker threads; 0 = all hardware threads
    std::uint64_t seed = 42;                    // factor initialisation
    bool computeLoss = true;      // loss per iteration for progress and trainingCurve()
    ConfidenceConfig confidence;  // f(event) from status, watched share and rating
};

class Als : public Recommender, public Explainer {
public:
    explicit Als(AlsConfig config = {});

    std::string name() const override { return "als"; }
    const AlsConfig& config() const { return config_; }

    // Throws std::invalid_argument for a non-positive factors/iterations or negative alpha/reg.
    // Progress: stage "als iteration", done = iteration, detail "loss <value>".
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // Trained user whose history matches training: x_u . y_i. Otherwise (user == -1, or a changed
    // history) x is solved from the history alone against the fixed item factors, no retraining:
    // a history shorter than the factor count as an |h| x |h| system by the Woodbury identity
    // (Y (YtY + reg I)^-1 precomputed), a longer one by a k x k Cholesky with YtY precomputed.
    // Empty unknown history: item popularity in [0, 1e-3]. Items beyond the trained catalogue get
    // the lowest score of the call minus 1.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // The best k of x . y_i with x as score() finds it (trained, or folded in), searched in
    // decreasing norm order of y_i and stopped once no further item can enter (NormOrderedItems):
    // the same items and scores as topK() over score(). An empty unknown history or a larger
    // catalogue: topK() over score().
    std::vector<ScoredItem> recommend(const UserQuery& query, int catalogueSize, int k,
                                      std::span<const int> exclude) const override;

    // Hu et al. 2008 section 5: p_ui = sum_j s_ij c_uj with s_ij = y_i^T W_u y_j and
    // W_u = (YtY + Y^T (C_u - I) Y + reg I)^-1; the history items with the largest s_ij c_uj.
    std::vector<Contribution> explain(const UserQuery& query, int item,
                                      int count = 3) const override;
    // The same for several items with one factorisation of the user's system (W_u depends on the
    // history only): O(|h| k^2 + k^3 + |items| k^2) per call instead of per item.
    std::vector<std::vector<Contribution>> explainItems(const UserQuery& query,
                                                        std::span<const int> items,
                                                        int count = 3) const override;

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // Mean weighted squared error + regularisation after each iteration (empty when
    // computeLoss is off or before fit). Normalised as in the `implicit` library.
    std::vector<double> trainingCurve() const override { return trainingCurve_; }

    // Factors of a user from a history alone (the fold-in used by score()); size factors().
    std::vector<float> userFactorsFor(std::span<const Event> history) const;
    // Factors of a new item from the users who interacted with it ((user index, strength)
    // pairs; unknown users ignored), solved against the fixed user factors; size factors().
    std::vector<float> itemFactorsFor(std::span<const WeightedItem> users) const;

    int userCount() const { return userCount_; }
    int itemCount() const { return itemCount_; }
    int factors() const { return factors_; }
    // Row-major user x factors and item x factors matrices.
    const std::vector<float>& userFactors() const { return userFactors_; }
    const std::vector<float>& itemFactors() const { return itemFactors_; }

private:
    struct UserSystem;
    std::vector<WeightedItem> weighted(std::span<const Event> history) const;
    // Whether `user` is a trained user whose training row is `row` (x_u can be used as is).
    bool trainedOn(int user, std::span<const WeightedItem> row) const;
    // A_u = YtY + reg I + sum_j (c_j - 1) y_j y_j^T of a non-empty weighted history, factored.
    UserSystem userSystem(std::span<const WeightedItem> row) const;
    void computeDerived();

    AlsConfig config_;
    int userCount_ = 0;
    int itemCount_ = 0;
    int factors_ = 0;
    std::vector<float> userFactors_;
    std::vector<float> itemFactors_;
    std::vector<float> itemGram_;             // YtY, k x k; recomputed on load
    std::vector<float> userGram_;             // XtX, k x k; recomputed on load
    std::vector<float> whitenedItemFactors_;  // Y (YtY + reg I)^-1, items x k; recomputed on load
    NormOrderedItems itemsByNorm_;            // Y by decreasing row norm; recomputed on load
    std::vector<std::uint64_t> historyHash_;  // per user: fingerprint of the training row
    std::vector<int> episodes_;               // per item, for f(event) at query time
    std::vector<float> popularity_;           // per item, count / max count
    std::vector<double> trainingCurve_;
};

// Order-independent fingerprint of a weighted row, used to tell whether a query's history is
// the one a user was trained on.
std::uint64_t historyFingerprint(std::span<const WeightedItem> row);

}  // namespace animerec

#pragma once

#include <vector>

#include "models/ease.h"
#include "models/explanations.h"
#include "models/recommender.h"
#include "models/rp3beta.h"

namespace animerec {

// A score blend of two item-item models trained on the same data: EASE (dense, least-squares,
// may push items down) and RP3beta (sparse random walk with a popularity penalty). Each model's
// scores are standardised per query over the catalogue (z = (s - mean) / sd), then
//   score = w * z_ease + (1 - w) * z_rp3.
// Standardising rather than rank-normalising keeps the blend linear in the history items, so
// explain() still says how much each watched title pushed an item up.
// Defaults come from a validation split of P1's train part (bench_collaborative tuned): there
// the share of EASE raised NDCG@10 all the way to w = 1 (EASE alone); 0.9 is the best blend that
// still uses RP3beta (figures in bench/README.md).
struct EaseRp3BlendConfig {
    EaseConfig ease{.lambda = 100.0f, .dropout = 0.25f};
    Rp3BetaConfig rp3;
    float easeWeight = 0.9f;  // w in [0, 1]: 1 = EASE alone, 0 = RP3beta alone
};

class EaseRp3Blend : public Recommender, public Explainer {
public:
    explicit EaseRp3Blend(EaseRp3BlendConfig config = {});

    std::string name() const override { return "ease_rp3"; }
    const EaseRp3BlendConfig& config() const { return config_; }

    // Fits both parts on `data` (progress stages of Ease then Rp3Beta). Throws
    // std::invalid_argument for a weight outside [0, 1] or an invalid part config.
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // Changes w without refitting (the parts do not depend on it), so a validation sweep over w
    // costs one fit. Throws std::invalid_argument outside [0, 1].
    void setEaseWeight(float weight);

    // The blended standardised scores; a part whose scores are all equal contributes 0.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // History item j contributes w * B[j, item] / sd_ease + (1 - w) * W[j, item] / sd_rp3 with
    // the same per-query sds as score(); largest first.
    std::vector<Contribution> explain(const UserQuery& query, int item,
                                      int count = 3) const override;
    // The scales need a whole blended score vector: computed once for all the items.
    std::vector<std::vector<Contribution>> explainItems(const UserQuery& query,
                                                        std::span<const int> items,
                                                        int count = 3) const override;

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // Catalogue size at fit time (0 before fit); both parts were fitted on the same data.
    int itemCount() const override { return rp3_.itemCount(); }

    const Ease& ease() const { return ease_; }
    const Rp3Beta& rp3() const { return rp3_; }

private:
    struct Standardised {
        float easeScale = 0.0f;  // w / sd_ease, 0 when sd is 0
        float rp3Scale = 0.0f;   // (1 - w) / sd_rp3
    };
    // Fills `scores` with the blend and returns the scales used.
    Standardised blend(const UserQuery& query, std::span<float> scores) const;
    void indexEaseItems();
    // explain() for one item with the query's scales and its distinct history items.
    std::vector<Contribution> explainWith(const Standardised& scales, std::span<const int> history,
                                          int item, int count) const;

    EaseRp3BlendConfig config_;
    Ease ease_;
    Rp3Beta rp3_;
    std::vector<int> easePosition_;  // catalogue index -> EASE compact position or -1
};

}  // namespace animerec

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"
#include "nn/training_config.h"

namespace animerec {

// SASRec hyper-parameters. Training (epochs, batch, learning rate, early stopping, threads, seed,
// maxLength) lives in `training`; its maxLength is also how many recent items the model reads.
struct SasrecConfig {
    int dim = 64;          // item/position embedding and hidden width
    int blocks = 2;        // self-attention blocks
    int heads = 1;         // attention heads per block; dim must be divisible by it
    float dropout = 0.2f;  // on embeddings and both residual branches, training only
    // Side information: learned genre and type rows (the genres averaged) added to each input
    // item's embedding (item_side_features.h), from the catalogue given to fit().
    bool sideFeatures = false;
    // A learned row per bucket of the time since the previous event added to each input row;
    // used only when every Event::order of the training data is a time (ordersAreTimes), else
    // the model trains and serves without it.
    bool timeGaps = false;
    // Members of a seed ensemble: member m trains from seed training.seed + m and the model
    // scores the mean of the members' next-item logits. One training of SASRec on P3 moves by
    // about as much with its seed as with any option (bench/README.md), and the mean of several
    // is steadier than any one of them; each member costs a full training and a forward pass.
    int members = 1;
    // maxLength 50, batch 32, early stop on validation NDCG@10 with patience 3, then a refit on
    // every sequence for the chosen epoch count; Plan to Watch additions read as titles. Chosen
    // on P3's validation split (each tested user's second-to-last title, nextItemValidation),
    // never on its test titles, with `bench_session p3 validation sasrec name=value`: Plan to
    // Watch gave the largest gain, then Adam 1e-3 (early stop near 30 epochs, so the cap of 60
    // rarely binds), the refit, and the parameters averaged over about the last epoch (higher on
    // all five seeds tried); every setting tried and its figure are in bench/README.md.
    nn::SequenceTrainingConfig training{.epochs = 60, .learningRate = 1e-3f, .averageEpochs = 1.0f};
};

// Self-attentive sequential recommendation (Kang & McAuley 2018), trained with full-softmax
// cross-entropy over the catalogue by default (Klenitskiy & Vasilev 2023 show it beats sampled
// BCE); training.loss switches to a sampled softmax or gBCE for large catalogues.
// Reads the user's titles in Event::order (Plan to Watch additions too unless
// training.planToWatch is off); the user index is unused,
// so it serves unseen users from their history alone.
class SasrecModel : public Recommender {
public:
    explicit SasrecModel(SasrecConfig config = {});
    ~SasrecModel() override;

    std::string name() const override { return "sasrec"; }
    // Trains on every user's watched sequence; throws std::invalid_argument for a bad config.
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // Next-item scores from query.history (last maxLength watched items). An empty history gives
    // all zeros (cold start is the service's job). Throws std::runtime_error before fit()/load().
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // The config as trained or loaded; timeGaps is false when the data had no times.
    const SasrecConfig& config() const { return config_; }
    int itemCount() const override;  // -1 before fit()/load()
    // Mean training loss per epoch of the last fit (or as loaded), of the first member.
    std::vector<double> trainingCurve() const override;
    // Validation NDCG@10 per validation of the last fit (or as loaded), of the first member.
    const std::vector<float>& validationCurve() const;

private:
    struct Member;
    struct State;
    SasrecConfig config_;
    std::unique_ptr<State> state_;
};

}  // namespace animerec

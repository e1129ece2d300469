#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"
#include "nn/training_config.h"

namespace animerec {

// Hyper-parameters of the GRU next-item model; training settings are shared with SASRec.
struct Gru4RecConfig {
    int dim = 64;               // item embedding and GRU hidden width
    float dropout = 0.1f;       // on the embeddings and the GRU output, training only
    bool tiedOutput = true;     // score with the input item table; false = a separate output table
    bool projection = true;     // affine layer between the GRU and the output dot product
    bool sideFeatures = false;  // genre/type rows added to the input item rows, as SASRec's
    bool timeGaps = false;      // time-gap rows added to the input rows, as SASRec's
    // maxLength 50, batch 32, early stop on validation NDCG@10 (patience 3) and a refit, Plan to
    // Watch read, as for SASRec. Chosen on P3's validation split (`bench_session p3 validation
    // gru name=value`; the figures are in bench/README.md).
    nn::SequenceTrainingConfig training{.epochs = 60, .learningRate = 1e-3f};
};

// A GRU next-item model trained like SASRec: item embedding -> GRU (the recurrent layer of
// Hidasi et al. 2016) -> affine projection -> dot product with an item table, trained by the
// shared sequence trainer with full-softmax cross-entropy. It is not GRU4Rec's
// training (session-parallel mini-batches, sampled ranking losses): a recurrent baseline for
// SASRec with the same data handling (Event::order, Plan to Watch as SASRec).
class Gru4RecModel : public Recommender {
public:
    explicit Gru4RecModel(Gru4RecConfig config = {});
    ~Gru4RecModel() override;

    std::string name() const override { return "gru"; }
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // Scores from query.history; empty history -> all zeros. Throws before fit()/load().
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // The config as trained or loaded; timeGaps is false when the data had no times.
    const Gru4RecConfig& config() const { return config_; }
    int itemCount() const override;  // -1 before fit()/load()
    // Mean training loss per epoch of the last fit (or as loaded).
    std::vector<double> trainingCurve() const override;
    const std::vector<float>& validationCurve() const;

private:
    struct State;
    Gru4RecConfig config_;
    std::unique_ptr<State> state_;
};

}  // namespace animerec

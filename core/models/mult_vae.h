#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// Mult-VAE hyper-parameters. The widths, input dropout and the KL weight's cap are the paper's
// (Liang et al. 2018, section 4.3). Its batch of 500 users at Adam 1e-3 gives P1's 4,400 training
// users 9 steps an epoch: validation NDCG@10 was still 0.11 after 10 epochs, so batch 100 at
// 3e-3 (0.214 on P1's validation split after 15 epochs; 1e-2 diverged), chosen with
// `bench_collaborative validate:mult_vae`, figures in bench/README.md.
struct MultVaeConfig {
    int hidden = 600;      // width of the encoder's and the decoder's hidden layer
    int latent = 200;      // dimension of the latent Gaussian
    float dropout = 0.5f;  // share of each user's input items dropped while training
    // The KL term's weight beta rises linearly from 0 to betaCap over the first annealEpochs
    // epochs, then stays (the paper's KL annealing, there over a step count).
    float betaCap = 0.2f;
    float annealEpochs = 20.0f;
    // Only the most frequent items are modelled (input and output width); others score lowest.
    int maxItems = 20000;
    int epochs = 100;     // upper bound; early stopping usually ends sooner
    int batchSize = 100;  // users per Adam step
    float learningRate = 3e-3f;
    // Early stopping as in the paper: validationUsers users (at most a fifth of those with five
    // or more items) are left out of training; 80% of each one's items are the input and NDCG@10
    // of the other 20% is measured after every epoch. Training stops after `patience` epochs
    // without a gain. 0 = no validation: train `epochs` epochs on everyone.
    int validationUsers = 1000;
    int patience = 5;
    // After early stopping, train again from the same initial weights on every user (the
    // validation users included) for the best epoch count. Doubles the training time.
    bool refit = true;
    int threads = 2;  // slices of a batch trained in parallel
    std::uint64_t seed = 42;
};

// Variational autoencoder for implicit feedback with a multinomial likelihood (Mult-VAE, Liang
// et al. 2018): a user's items are encoded into a Gaussian over a latent vector, decoded into a
// softmax over the catalogue, trained to maximise the likelihood of the user's own items minus
// beta times the KL divergence from the prior. Every distinct item of a history counts once, as
// for EASE. Has no user parameters: an unseen user is scored from the history alone.
class MultVae : public Recommender {
public:
    explicit MultVae(MultVaeConfig config = {});
    ~MultVae() override;

    std::string name() const override { return "mult_vae"; }
    const MultVaeConfig& config() const { return config_; }

    // Throws std::invalid_argument for a bad config. Progress stages "mult_vae epoch" (batches of
    // the epoch, detail the loss and validation NDCG@10) and "mult_vae refit"; throws
    // OperationCancelled.
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // The decoder's logits for the encoded mean of the history's modelled items; unmodelled items
    // rank last (scoreUnknownItemsLast). Throws std::runtime_error before fit()/load().
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    int itemCount() const override;  // -1 before fit()/load()
    // The mean negative ELBO per user of each epoch of the last fit (or as loaded).
    std::vector<double> trainingCurve() const override;
    // Validation NDCG@10 after each epoch of the early-stopping run, and its best epoch (1-based;
    // 0 without validation).
    const std::vector<float>& validationCurve() const;
    int bestEpoch() const;

private:
    struct State;
    MultVaeConfig config_;
    std::unique_ptr<State> state_;
};

}  // namespace animerec

#pragma once

#include <cstdint>
#include <vector>

#include "models/rating_predictor.h"
#include "models/recommender.h"

namespace animerec {

// Biased matrix factorisation of explicit ratings trained by SGD, the "SVD" of Funk (2006) and
// Koren, Bell & Volinsky (2009) as implemented by the `surprise` library:
// r_ui ~ mu + b_u + b_i + q_i . p_u. Events without a rating are ignored for fitting.
struct ExplicitMfConfig {
    // Defaults from a search on P1's validation split (the family's search space); `surprise`'s
    // defaults (20 epochs, lr 0.005, reg 0.02) overfit there. Figures in bench/README.md.
    int factors = 100;            // latent dimension
    int epochs = 30;              // passes over the ratings, in a seeded shuffled order
    float learningRate = 0.01f;   // SGD step for biases and factors
    float regularization = 0.1f;  // L2 weight for biases and factors
    float initStd = 0.1f;         // factors start ~ N(0, initStd^2); biases start at 0
    std::uint64_t seed = 42;      // initialisation and shuffling
    float minRating = 1.0f;       // predictions are clipped to the rating scale
    float maxRating = 10.0f;
};

class ExplicitMf : public Recommender, public RatingPredictor {
public:
    explicit ExplicitMf(ExplicitMfConfig config = {});

    std::string name() const override { return "mf"; }
    const ExplicitMfConfig& config() const { return config_; }

    // Throws std::invalid_argument for bad hyper-parameters. Progress: stage "mf epoch",
    // detail "train rmse <value>". Training with no rated event leaves mu = scale midpoint.
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;

    // Predicted ratings for every item. A trained user uses its own factors; user -1 (or an
    // index beyond training) gets b_u and p_u fitted to the rated events of the history by one
    // ridge solve against the fixed item parameters (mu + b_i when nothing is rated). Items
    // without a training rating get the lowest score of the call minus 1.
    void score(const UserQuery& query, std::span<float> scores) const override;

    // mu + b_u + b_i + q_i . p_u clipped to [minRating, maxRating]; an unknown user drops the
    // user terms, an unknown item the item terms.
    float predictRating(int user, int item) const override;

    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    // Training RMSE after each epoch.
    std::vector<double> trainingCurve() const override { return trainingCurve_; }
    float globalMean() const { return globalMean_; }
    int itemCount() const override { return itemCount_; }

private:
    float predictRaw(const float* userFactor, float userBias, int item) const;

    ExplicitMfConfig config_;
    int userCount_ = 0;
    int itemCount_ = 0;
    int factors_ = 0;
    float globalMean_ = 0.0f;
    std::vector<float> userBias_;
    std::vector<float> itemBias_;
    std::vector<float> userFactors_;       // row-major users x factors
    std::vector<float> itemFactors_;       // row-major items x factors
    std::vector<std::uint8_t> itemRated_;  // 1 when the item had a training rating
    std::vector<double> trainingCurve_;
    bool trained_ = false;
};

}  // namespace animerec

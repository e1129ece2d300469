#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace animerec::nn {

// What next-item training minimises.
enum class SequenceLoss {
    FullSoftmax = 0,     // cross-entropy over the whole catalogue (exact; O(items) per target)
    SampledSoftmax = 1,  // over the target and sampled negatives, logQ-corrected
    Gbce = 2,            // gSASRec's generalised binary cross-entropy on sampled negatives
};

inline constexpr float kMaxAverageEpochs = 100.0f;

// How a next-item model is trained (shared by SASRec and the GRU model).
struct SequenceTrainingConfig {
    int maxLength = 50;  // how many recent items the model reads
    // false: an epoch trains on each user's last maxLength transitions; true: on every transition,
    // each sequence cut into windows of maxLength (nn/training_windows.h), for long histories.
    bool everyTransition = false;
    // Whether the sequence read (in training and when scoring) includes Plan to Watch additions:
    // on P3 29% of the next titles are one, and a model never trained on them cannot rank them.
    bool planToWatch = true;
    int epochs = 200;            // upper bound; early stopping usually ends sooner
    int batchSize = 32;          // sequences per Adam step (small: more steps per epoch)
    float learningRate = 2e-3f;  // Adam step size
    int patience = 3;            // validations without improvement before stopping
    int validateEvery = 1;       // epochs between validations
    int validationUsers = 3000;  // users scored for early stopping; 0 = no validation, no holdout
    // After early stopping, train again from the same initial parameters on every sequence (the
    // held-out titles included) for the best epoch count: the held-out titles are each user's
    // latest, the most telling transitions. Doubles the training time.
    bool refit = true;
    // Polyak averaging over about the last `averageEpochs` epochs: when > 0, an exponential moving
    // average of the parameters after each Adam step (decay 1 - 1 / (averageEpochs x batches per
    // epoch), so the horizon does not depend on the data's size; bias-corrected, so the starting
    // parameters carry no weight) is what validation scores, what is kept and what a refit
    // returns. 0 = the last step's parameters. The average is a cheap ensemble of recent steps.
    // At most kMaxAverageEpochs: the average is kept in float, and over longer horizons each
    // step's share falls below what a float can add.
    float averageEpochs = 0.0f;
    SequenceLoss loss = SequenceLoss::FullSoftmax;
    // Sampled losses only: negatives drawn per batch slice (shared by its rows) for the sampled
    // softmax and per position for gBCE, the exponent of their popularity (q ~ (count +
    // 1)^exponent; 0 = uniform) and gBCE's calibration t.
    int negatives = 64;
    float negativePopularity = 0.0f;
    float gbceCalibration = 0.75f;
    int threads = 2;              // mini-batch slices trained in parallel
    std::uint64_t seed = 42;      // shuffling and dropout
    std::string stage = "train";  // Progress::stage prefix
};

// What a training run produced, for curves in reports and Studio.
struct TrainingHistory {
    std::vector<float> loss;            // mean cross-entropy per target, one per epoch
    std::vector<float> validationNdcg;  // NDCG@10 per validation (empty without validation)
    int bestEpoch = 0;                  // 1-based epoch whose parameters were kept
    double seconds = 0.0;               // wall time of the whole run
};

}  // namespace animerec::nn

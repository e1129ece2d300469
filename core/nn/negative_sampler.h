#pragma once

#include <random>
#include <span>
#include <vector>

#include "nn/sampled_loss.h"

namespace animerec::nn {

// Draws negatives with replacement from q(i) proportional to (count_i + 1)^exponent: exponent 0
// is uniform (gSASRec), 1 follows popularity, so popular items, the hard negatives, come up
// more often (the losses correct for q).
class NegativeSampler {
public:
    NegativeSampler(std::span<const int> counts, double exponent);
    SampledNegatives sample(int count, std::mt19937_64& random) const;
    int itemCount() const { return static_cast<int>(cumulative_.size()); }

private:
    std::vector<double> cumulative_;  // running sum of the weights, last = total
    std::vector<float> logProbability_;
};

}  // namespace animerec::nn

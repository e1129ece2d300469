#include "nn/negative_sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace animerec::nn {

NegativeSampler::NegativeSampler(std::span<const int> counts, double exponent) {
    if (counts.empty() || !std::isfinite(exponent) || exponent < 0.0)
        throw std::invalid_argument("negative sampler: needs items and an exponent >= 0");
    std::vector<double> weights(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
        weights[i] = std::pow(static_cast<double>(std::max(0, counts[i])) + 1.0, exponent);
    double total = 0.0;
    cumulative_.resize(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) cumulative_[i] = total += weights[i];
    logProbability_.resize(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
        logProbability_[i] = static_cast<float>(std::log(weights[i] / total));
}

SampledNegatives NegativeSampler::sample(int count, std::mt19937_64& random) const {
    SampledNegatives out;
    out.items.reserve(static_cast<std::size_t>(count));
    out.logProbability.reserve(static_cast<std::size_t>(count));
    std::uniform_real_distribution<double> uniform(0.0, cumulative_.back());
    for (int n = 0; n < count; ++n) {
        const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), uniform(random));
        const auto item =
            static_cast<int>(std::min<std::ptrdiff_t>(it - cumulative_.begin(), itemCount() - 1));
        out.items.push_back(item);
        out.logProbability.push_back(logProbability_[static_cast<std::size_t>(item)]);
    }
    return out;
}

}  // namespace animerec::nn

#include "data/generator_random.h"

#include <stdexcept>

namespace animerec::generator {

AliasTable::AliasTable(const std::vector<double>& weights) {
    if (weights.empty() || weights.size() >= (std::size_t{1} << 32))
        throw std::invalid_argument("AliasTable: need between 1 and 2^32-1 weights");
    double total = 0.0;
    for (const double weight : weights) {
        if (!(weight >= 0.0)) throw std::invalid_argument("AliasTable: negative or NaN weight");
        total += weight;
    }
    if (!(total > 0.0)) throw std::invalid_argument("AliasTable: all weights are zero");

    size_ = static_cast<std::uint32_t>(weights.size());
    threshold_.assign(size_, 0);
    alias_.resize(size_);
    std::vector<double> scaled(size_);
    std::vector<std::uint32_t> small, large;
    for (std::uint32_t i = 0; i < size_; ++i) {
        scaled[i] = weights[i] * size_ / total;
        alias_[i] = i;
        (scaled[i] < 1.0 ? small : large).push_back(i);
    }
    constexpr double kScale = 4294967296.0;  // 2^32
    auto setThreshold = [&](std::uint32_t column, double probability) {
        const double value = probability * kScale;
        threshold_[column] =
            value >= kScale - 1.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(value);
    };
    while (!small.empty() && !large.empty()) {
        const std::uint32_t low = small.back();
        small.pop_back();
        const std::uint32_t high = large.back();
        setThreshold(low, scaled[low]);
        alias_[low] = high;
        scaled[high] -= 1.0 - scaled[low];
        if (scaled[high] < 1.0) {
            large.pop_back();
            small.push_back(high);
        }
    }
    // Leftovers are 1 up to rounding: they keep their own column (alias_ = self).
    for (const std::uint32_t column : large) threshold_[column] = 0xFFFFFFFFu;
    for (const std::uint32_t column : small) threshold_[column] = 0xFFFFFFFFu;
}

}  // namespace animerec::generator

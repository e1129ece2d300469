#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace animerec {

struct ConfidenceInterval {
    double low = 0.0;
    double high = 0.0;
};

struct BootstrapOptions {
    int resamples = 1000;      // bootstrap replicates
    double confidence = 0.95;  // two-sided coverage of the percentile interval
    std::uint64_t seed = 42;
    int threads = 0;  // 0 = hardware concurrency; results do not depend on it
};

// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of the mean of every column of a
// row-major `values` matrix (rows = users, `columns` metrics). All columns share each replicate's
// resampled rows, so intervals of different metrics are paired. Replicate r draws from its own
// engine seeded by (seed, r), so results are identical for any thread count. Throws
// std::invalid_argument when values.size() is not a multiple of columns, or for resamples < 1 or
// confidence outside (0, 1). With no rows every interval is [0, 0].
std::vector<ConfidenceInterval> bootstrapMeans(std::span<const float> values, int columns,
                                               const BootstrapOptions& options = {});

}  // namespace animerec

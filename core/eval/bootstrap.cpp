#include "eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "eval/seeded_random.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

// Linear interpolation between order statistics (type 7 of Hyndman & Fan 1996).
double quantileOfSorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0.0;
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace

std::vector<ConfidenceInterval> bootstrapMeans(std::span<const float> values, int columns,
                                               const BootstrapOptions& options) {
    if (columns < 1 || values.size() % static_cast<std::size_t>(columns) != 0)
        throw std::invalid_argument("bootstrap: " + std::to_string(values.size()) +
                                    " values do not form rows of " + std::to_string(columns));
    if (options.resamples < 1)
        throw std::invalid_argument("bootstrap: resamples must be >= 1, got " +
                                    std::to_string(options.resamples));
    if (!(options.confidence > 0.0 && options.confidence < 1.0))
        throw std::invalid_argument("bootstrap: confidence must lie in (0, 1)");
    const auto width = static_cast<std::size_t>(columns);
    const std::size_t rows = values.size() / width;
    std::vector<ConfidenceInterval> intervals(width);
    if (rows == 0) return intervals;

    const auto resamples = static_cast<std::size_t>(options.resamples);
    std::vector<double> means(resamples * width);  // [replicate][column]
    const int threads = options.threads > 0 ? options.threads : defaultThreadCount();
    parallelFor(
        0, options.resamples, threads,
        [&](int replicate) {
            std::mt19937_64 engine(mixSeed(options.seed, static_cast<std::uint64_t>(replicate)));
            std::vector<double> sums(width, 0.0);
            for (std::size_t draw = 0; draw < rows; ++draw) {
                const auto row = static_cast<std::size_t>(uniformBelow(engine, rows));
                const float* rowValues = values.data() + row * width;
                for (std::size_t c = 0; c < width; ++c) sums[c] += rowValues[c];
            }
            for (std::size_t c = 0; c < width; ++c)
                means[static_cast<std::size_t>(replicate) * width + c] =
                    sums[c] / static_cast<double>(rows);
        },
        8);

    const double tail = (1.0 - options.confidence) / 2.0;
    std::vector<double> column(resamples);
    for (std::size_t c = 0; c < width; ++c) {
        for (std::size_t r = 0; r < resamples; ++r) column[r] = means[r * width + c];
        std::sort(column.begin(), column.end());
        intervals[c] = {quantileOfSorted(column, tail), quantileOfSorted(column, 1.0 - tail)};
    }
    return intervals;
}

}  // namespace animerec

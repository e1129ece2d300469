#include "eval/ab_statistics.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/seeded_random.h"

namespace animerec {

namespace {

void checkOpenUnit(double value, const char* name) {
    if (!(value > 0.0 && value < 1.0))
        throw std::invalid_argument(std::string(name) + " must be in (0, 1), got " +
                                    std::to_string(value));
}

// Acklam's approximation of the normal quantile (|relative error| < 1.15e-9).
double acklam(double p) {
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                   -2.759285104469687e+02, 1.383577518672690e+02,
                                   -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                   -1.556989798598866e+02, 6.680131188771972e+01,
                                   -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                   -2.400758277161838e+00, -2.549732539343734e+00,
                                   4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                   2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2.0 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    if (p > 1.0 - low) return -acklam(1.0 - p);
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

// Mean of a resample of `values` drawn with `engine`.
double resampledMean(std::span<const double> values, std::mt19937_64& engine) {
    double sum = 0.0;
    const auto n = static_cast<std::uint64_t>(values.size());
    for (std::uint64_t i = 0; i < n; ++i) sum += values[uniformBelow(engine, n)];
    return sum / static_cast<double>(n);
}

// Linear interpolation between order statistics (type 7 quantile), as the evaluator's bootstrap.
double quantileOfSorted(const std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double weight = position - static_cast<double>(below);
    return sorted[below] * (1.0 - weight) + sorted[above] * weight;
}

}  // namespace

double normalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normalQuantile(double p) {
    checkOpenUnit(p, "normalQuantile: p");
    double x = acklam(p);
    // One Halley step on Phi(x) - p brings the error to machine precision.
    const double e = normalCdf(x) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    x -= u / (1.0 + x * u / 2.0);
    return x;
}

ProportionEstimate estimateProportion(std::int64_t successes, std::int64_t trials,
                                      double confidence) {
    checkOpenUnit(confidence, "estimateProportion: confidence");
    if (successes < 0 || trials < 0 || successes > trials)
        throw std::invalid_argument("estimateProportion: need 0 <= successes <= trials, got " +
                                    std::to_string(successes) + "/" + std::to_string(trials));
    ProportionEstimate estimate;
    estimate.interval = {0.0, 1.0};
    if (trials == 0) return estimate;
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(successes) / n;
    const double z = normalQuantile(0.5 + confidence / 2.0);
    const double z2 = z * z;
    const double centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    const double half = z / (1.0 + z2 / n) * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    estimate.rate = p;
    estimate.interval = {std::max(0.0, centre - half), std::min(1.0, centre + half)};
    return estimate;
}

ProportionTest twoProportionZTest(std::int64_t successesA, std::int64_t trialsA,
                                  std::int64_t successesB, std::int64_t trialsB,
                                  double confidence) {
    checkOpenUnit(confidence, "twoProportionZTest: confidence");
    if (successesA < 0 || successesB < 0 || trialsA < 1 || trialsB < 1 || successesA > trialsA ||
        successesB > trialsB)
        throw std::invalid_argument(
            "twoProportionZTest: need 0 <= successes <= trials and trials >= 1, got A " +
            std::to_string(successesA) + "/" + std::to_string(trialsA) + ", B " +
            std::to_string(successesB) + "/" + std::to_string(trialsB));
    const double nA = static_cast<double>(trialsA);
    const double nB = static_cast<double>(trialsB);
    ProportionTest result;
    result.rateA = static_cast<double>(successesA) / nA;
    result.rateB = static_cast<double>(successesB) / nB;
    result.difference = result.rateB - result.rateA;
    result.relativeLift = result.rateA > 0.0 ? result.difference / result.rateA : 0.0;
    const double pooled = static_cast<double>(successesA + successesB) / (nA + nB);
    const double pooledError = std::sqrt(pooled * (1.0 - pooled) * (1.0 / nA + 1.0 / nB));
    if (pooledError > 0.0) {
        result.z = result.difference / pooledError;
        result.pValue = std::erfc(std::fabs(result.z) / std::sqrt(2.0));
    }
    const double error = std::sqrt(result.rateA * (1.0 - result.rateA) / nA +
                                   result.rateB * (1.0 - result.rateB) / nB);
    const double zCritical = normalQuantile(0.5 + confidence / 2.0);
    result.interval = {result.difference - zCritical * error,
                       result.difference + zCritical * error};
    return result;
}

ConfidenceInterval bootstrapMeanDifference(std::span<const double> a, std::span<const double> b,
                                           const BootstrapOptions& options) {
    if (a.empty() || b.empty())
        throw std::invalid_argument("bootstrapMeanDifference: both samples need values, got " +
                                    std::to_string(a.size()) + " and " + std::to_string(b.size()));
    if (options.resamples < 1)
        throw std::invalid_argument("bootstrapMeanDifference: resamples must be >= 1, got " +
                                    std::to_string(options.resamples));
    checkOpenUnit(options.confidence, "bootstrapMeanDifference: confidence");
    std::vector<double> differences(static_cast<std::size_t>(options.resamples));
    for (int r = 0; r < options.resamples; ++r) {
        std::mt19937_64 engine(mixSeed(options.seed, static_cast<std::uint64_t>(r)));
        const double meanA = resampledMean(a, engine);
        differences[static_cast<std::size_t>(r)] = resampledMean(b, engine) - meanA;
    }
    std::sort(differences.begin(), differences.end());
    const double tail = (1.0 - options.confidence) / 2.0;
    return {quantileOfSorted(differences, tail), quantileOfSorted(differences, 1.0 - tail)};
}

std::int64_t sampleSizePerVariant(double baseline, double relativeLift, double alpha,
                                  double power) {
    checkOpenUnit(baseline, "sampleSizePerVariant: baseline");
    checkOpenUnit(alpha, "sampleSizePerVariant: alpha");
    checkOpenUnit(power, "sampleSizePerVariant: power");
    const double lifted = baseline * (1.0 + relativeLift);
    if (relativeLift == 0.0)
        throw std::invalid_argument("sampleSizePerVariant: the lift must not be 0");
    checkOpenUnit(lifted, "sampleSizePerVariant: baseline * (1 + lift)");
    const double average = (baseline + lifted) / 2.0;
    const double zAlpha = normalQuantile(1.0 - alpha / 2.0);
    const double zPower = normalQuantile(power);
    const double numerator =
        zAlpha * std::sqrt(2.0 * average * (1.0 - average)) +
        zPower * std::sqrt(baseline * (1.0 - baseline) + lifted * (1.0 - lifted));
    const double delta = lifted - baseline;
    return static_cast<std::int64_t>(std::ceil(numerator * numerator / (delta * delta) - 1e-9));
}

}  // namespace animerec

#include "nn/sampled_loss.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace animerec::nn {

namespace {

double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The parts both sampled losses share: negative logits (rows x k) and the target logits, and,
// once the loss filled the logit gradients, the backward pass through the dot products.
struct SampledLogits {
    Matrix negativeRows;  // k x dim
    Matrix negative;      // rows x k: hidden . negative item
    Eigen::VectorXf positive;

    SampledLogits(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                  const SampledNegatives& negatives) {
        const auto k = static_cast<Eigen::Index>(negatives.items.size());
        negativeRows.resize(k, items.cols());
        for (Eigen::Index j = 0; j < k; ++j)
            negativeRows.row(j) = items.row(negatives.items[static_cast<std::size_t>(j)]);
        negative.noalias() = hidden * negativeRows.transpose();
        positive.resize(hidden.rows());
        for (Eigen::Index r = 0; r < hidden.rows(); ++r)
            positive[r] = hidden.row(r).dot(items.row(targets[static_cast<std::size_t>(r)]));
    }

    // dNegative (rows x k) and dPositive are dL/dlogit already scaled.
    void backward(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                  const SampledNegatives& negatives, const Matrix& dNegative,
                  const Eigen::VectorXf& dPositive, Matrix& dHidden, Matrix& dItems) const {
        dHidden.noalias() = dNegative * negativeRows;
        const Matrix dNegativeRows = dNegative.transpose() * hidden;
        for (std::size_t j = 0; j < negatives.items.size(); ++j)
            dItems.row(negatives.items[j]) += dNegativeRows.row(static_cast<Eigen::Index>(j));
        for (Eigen::Index r = 0; r < hidden.rows(); ++r) {
            const int target = targets[static_cast<std::size_t>(r)];
            dHidden.row(r) += dPositive[r] * items.row(target);
            dItems.row(target) += dPositive[r] * hidden.row(r);
        }
    }
};

}  // namespace

double sampledSoftmaxCrossEntropy(const Matrix& hidden, const Matrix& items,
                                  std::span<const int> targets, const SampledNegatives& negatives,
                                  float gradScale, Matrix& dHidden, Matrix& dItems) {
    const SampledLogits logits(hidden, items, targets, negatives);
    const auto k = static_cast<Eigen::Index>(negatives.items.size());
    const double logCount = std::log(static_cast<double>(std::max<Eigen::Index>(1, k)));
    Matrix dNegative(hidden.rows(), k);
    Eigen::VectorXf dPositive(hidden.rows());
    std::vector<double> corrected(static_cast<std::size_t>(k));
    double loss = 0.0;
    for (Eigen::Index r = 0; r < hidden.rows(); ++r) {
        const int target = targets[static_cast<std::size_t>(r)];
        const double positive = logits.positive[r];
        double maxLogit = positive;
        for (Eigen::Index j = 0; j < k; ++j) {
            const auto s = static_cast<std::size_t>(j);
            corrected[s] = negatives.items[s] == target
                               ? -std::numeric_limits<double>::infinity()
                               : logits.negative(r, j) - logCount - negatives.logProbability[s];
            maxLogit = std::max(maxLogit, corrected[s]);
        }
        double sum = std::exp(positive - maxLogit);
        for (double z : corrected) sum += std::exp(z - maxLogit);
        loss += maxLogit + std::log(sum) - positive;
        dPositive[r] = static_cast<float>(gradScale * (std::exp(positive - maxLogit) / sum - 1.0));
        for (Eigen::Index j = 0; j < k; ++j)
            dNegative(r, j) = static_cast<float>(
                gradScale * std::exp(corrected[static_cast<std::size_t>(j)] - maxLogit) / sum);
    }
    logits.backward(hidden, items, targets, negatives, dNegative, dPositive, dHidden, dItems);
    return loss;
}

float gbceBeta(int negatives, int itemCount, float calibration) {
    const double alpha = std::min(1.0, static_cast<double>(negatives) / std::max(1, itemCount - 1));
    if (alpha <= 0.0) return 1.0f;
    return static_cast<float>(alpha * (calibration * (1.0 - 1.0 / alpha) + 1.0 / alpha));
}

double gbceLoss(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                const SampledNegatives& negatives, float beta, float gradScale, Matrix& dHidden,
                Matrix& dItems) {
    const auto rows = static_cast<std::size_t>(hidden.rows());
    dHidden.setZero(hidden.rows(), hidden.cols());
    if (rows == 0) return 0.0;
    if (negatives.items.size() % rows != 0 ||
        negatives.logProbability.size() != negatives.items.size())
        throw std::invalid_argument("gbce: " + std::to_string(negatives.items.size()) +
                                    " negatives do not divide among " + std::to_string(rows) +
                                    " rows");
    const std::size_t k = negatives.items.size() / rows;
    const double logItems = std::log(static_cast<double>(items.rows()));
    double loss = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
        const auto row = static_cast<Eigen::Index>(r);
        const int target = targets[r];
        const double positive = hidden.row(row).dot(items.row(target));
        loss += beta * softplus(-positive);
        const auto dPositive = static_cast<float>(-gradScale * beta * sigmoid(-positive));
        dHidden.row(row) += dPositive * items.row(target);
        dItems.row(target) += dPositive * hidden.row(row);
        for (std::size_t s = r * k; s < (r + 1) * k; ++s) {
            const int negative = negatives.items[s];
            if (negative == target) continue;
            const double z =
                hidden.row(row).dot(items.row(negative)) - logItems - negatives.logProbability[s];
            loss += softplus(z);
            const auto dNegative = static_cast<float>(gradScale * sigmoid(z));
            dHidden.row(row) += dNegative * items.row(negative);
            dItems.row(negative) += dNegative * hidden.row(row);
        }
    }
    return loss;
}

}  // namespace animerec::nn

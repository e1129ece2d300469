#include "nn/multinomial_loss.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace animerec::nn {

double multinomialNegativeLogLikelihood(const Matrix& logits, const FeatureBags& targets,
                                        float gradScale, Matrix& dLogits) {
    if (targets.rows() != logits.rows())
        throw std::invalid_argument("multinomial loss: " + std::to_string(targets.rows()) +
                                    " target bags for " + std::to_string(logits.rows()) + " rows");
    dLogits.resize(logits.rows(), logits.cols());
    double loss = 0.0;
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        const auto row = logits.row(r);
        const float maxValue = row.maxCoeff();
        auto gradient = dLogits.row(r);
        gradient = (row.array() - maxValue).exp().matrix();
        const double logSum = std::log(static_cast<double>(gradient.sum())) + maxValue;
        double total = 0.0;
        for (int k = targets.offsets[static_cast<std::size_t>(r)];
             k < targets.offsets[static_cast<std::size_t>(r) + 1]; ++k) {
            const int item = targets.ids[static_cast<std::size_t>(k)];
            if (item < 0 || item >= logits.cols())
                throw std::invalid_argument("multinomial loss: item " + std::to_string(item) +
                                            " outside " + std::to_string(logits.cols()) +
                                            " logits");
            const double count = targets.weights[static_cast<std::size_t>(k)];
            total += count;
            loss += count * (logSum - static_cast<double>(row[item]));
        }
        gradient *= static_cast<float>(gradScale * total) / gradient.sum();
        for (int k = targets.offsets[static_cast<std::size_t>(r)];
             k < targets.offsets[static_cast<std::size_t>(r) + 1]; ++k)
            gradient[targets.ids[static_cast<std::size_t>(k)]] -=
                gradScale * targets.weights[static_cast<std::size_t>(k)];
    }
    return loss;
}

}  // namespace animerec::nn

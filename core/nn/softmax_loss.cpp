#include "nn/softmax_loss.h"

#include <algorithm>
#include <cmath>

namespace animerec::nn {

double softmaxCrossEntropy(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                           float gradScale, Matrix& dHidden, Matrix& dItems) {
    constexpr Eigen::Index kChunk = 128;
    const Eigen::Index rows = hidden.rows();
    dHidden.resize(rows, hidden.cols());
    double loss = 0.0;
    Matrix logits;
    for (Eigen::Index begin = 0; begin < rows; begin += kChunk) {
        const Eigen::Index count = std::min(kChunk, rows - begin);
        const auto h = hidden.middleRows(begin, count);
        logits.noalias() = h * items.transpose();
        for (Eigen::Index r = 0; r < count; ++r) {
            auto row = logits.row(r);
            const float maxValue = row.maxCoeff();
            row = (row.array() - maxValue).exp().matrix();
            const float sum = row.sum();
            const int target = targets[static_cast<std::size_t>(begin + r)];
            loss += std::log(static_cast<double>(sum)) - std::log(static_cast<double>(row[target]));
            row *= gradScale / sum;
            row[target] -= gradScale;
        }
        dHidden.middleRows(begin, count).noalias() = logits * items;
        dItems.noalias() += logits.transpose() * h;
    }
    return loss;
}

}  // namespace animerec::nn

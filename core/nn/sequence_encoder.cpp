#include "nn/sequence_encoder.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace animerec::nn {

void SequenceBatch::add(std::span<const int> sequence, int maxLength,
                        std::span<const int> sequenceGaps) {
    const int length = static_cast<int>(sequence.size());
    if (!sequenceGaps.empty() && sequenceGaps.size() != sequence.size())
        throw std::invalid_argument("SequenceBatch: " + std::to_string(sequenceGaps.size()) +
                                    " gaps for " + std::to_string(sequence.size()) + " items");
    gaps.insert(gaps.end(), sequenceGaps.begin(), sequenceGaps.end());
    segments.push_back({rows(), length});
    for (int t = 0; t < length; ++t) {
        items.push_back(sequence[static_cast<std::size_t>(t)]);
        positions.push_back(maxLength - length + t);
    }
}

void scoreNextItem(const SequenceEncoder& encoder, const Tensors& params,
                   std::span<const int> items, int maxLength, std::span<float> scores,
                   std::span<const int> gaps) {
    const auto& table = params[static_cast<std::size_t>(encoder.itemTable())];
    if (static_cast<Eigen::Index>(scores.size()) != table.rows())
        throw std::invalid_argument("scoreNextItem: " + std::to_string(scores.size()) +
                                    " scores for " + std::to_string(table.rows()) + " items");
    std::fill(scores.begin(), scores.end(), 0.0f);
    if (items.empty()) return;
    if (static_cast<int>(items.size()) > maxLength) {
        if (!gaps.empty()) gaps = gaps.last(static_cast<std::size_t>(maxLength));
        items = items.last(static_cast<std::size_t>(maxLength));
    }
    SequenceBatch batch;
    batch.add(items, maxLength, gaps);
    std::mt19937_64 unused(0);
    auto cache = encoder.makeCache();
    Matrix hidden;
    encoder.forward(params, batch, false, unused, *cache, hidden);
    Eigen::Map<Eigen::VectorXf> out(scores.data(), static_cast<Eigen::Index>(scores.size()));
    out.noalias() = table * hidden.row(hidden.rows() - 1).transpose();
}

}  // namespace animerec::nn

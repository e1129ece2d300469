#pragma once

#include <memory>
#include <random>
#include <span>
#include <vector>

#include "nn/tensor.h"

namespace animerec::nn {

// Variable-length item sequences stacked row-wise, without padding.
struct SequenceBatch {
    std::vector<int> items;  // catalogue index per row
    std::vector<int>
        positions;  // 0..maxLength-1, aligned so each sequence's last row is maxLength-1
    std::vector<Segment> segments;
    // Per row, the bucket of the time since the previous event (an encoder that reads time gaps
    // looks it up); empty when the sequences were added without gaps.
    std::vector<int> gaps;

    // Appends one sequence (at most maxLength items; the caller truncates) and, when given, its
    // gap buckets (one per item; every sequence of a batch has them or none does).
    void add(std::span<const int> sequence, int maxLength, std::span<const int> sequenceGaps = {});
    int rows() const { return static_cast<int>(items.size()); }
};

// A network that maps each prefix of a sequence to a hidden vector whose dot product with the
// item table (rows = items) gives next-item logits. Stateless: parameters and caches are passed
// in, so one encoder serves many threads.
class SequenceEncoder {
public:
    struct Cache {
        virtual ~Cache() = default;
    };

    virtual ~SequenceEncoder() = default;
    // Index of the (itemCount x dim) item table, shared by input lookup and output scoring.
    virtual int itemTable() const = 0;
    virtual std::unique_ptr<Cache> makeCache() const = 0;
    // hidden: one row per batch row. `training` enables dropout (drawn from `random`).
    virtual void forward(const Tensors& params, const SequenceBatch& batch, bool training,
                         std::mt19937_64& random, Cache& cache, Matrix& hidden) const = 0;
    // Accumulates into `grads` the gradients of the loss whose dL/dhidden is `dHidden`.
    virtual void backward(const Tensors& params, const SequenceBatch& batch, Cache& cache,
                          const Matrix& dHidden, Tensors& grads) const = 0;
};

// Next-item scores after `items` (oldest first; only the last maxLength are used) with their
// gap buckets (aligned with items, or empty): one score per row of the item table. Empty
// `items` gives all zeros. Thread-safe for a const encoder.
void scoreNextItem(const SequenceEncoder& encoder, const Tensors& params,
                   std::span<const int> items, int maxLength, std::span<float> scores,
                   std::span<const int> gaps = {});

}  // namespace animerec::nn

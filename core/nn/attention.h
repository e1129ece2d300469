#pragma once

#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/linear.h"
#include "nn/tensor.h"

namespace animerec::nn {

// Causal multi-head self-attention (Vaswani et al. 2017, as used by SASRec): position i of a
// segment attends to positions <= i of the same segment only. Segments never see each other, so
// a batch of variable-length sequences is stacked without padding.
struct CausalSelfAttention {
    Linear query, key, value, output;
    int heads = 1;

    struct Cache {
        Matrix input, q, k, v, context;
        std::vector<Matrix> weights;  // softmax attention, one (len x len) per segment and head
    };

    // `dim` must be divisible by `headCount`.
    void create(ParameterStore& store, const std::string& name, int dim, int headCount,
                std::mt19937_64& random);
    void forward(const Tensors& params, const Matrix& x, std::span<const Segment> segments,
                 Matrix& y, Cache& cache) const;
    // Accumulates parameter gradients; writes dL/dx into `dx`.
    void backward(const Tensors& params, std::span<const Segment> segments, const Cache& cache,
                  const Matrix& dy, Tensors& grads, Matrix& dx) const;
};

}  // namespace animerec::nn

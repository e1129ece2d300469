#pragma once

#include <random>
#include <string>

#include "nn/linear.h"
#include "nn/tensor.h"

namespace animerec::nn {

// Point-wise feed-forward network: y = ReLU(x W1 + b1) W2 + b2, applied to each row alone
// (SASRec's two kernel-size-1 convolutions).
struct FeedForward {
    Linear inner, outer;

    struct Cache {
        Matrix input, hidden;  // hidden is after the ReLU
    };

    void create(ParameterStore& store, const std::string& name, int dim, int hiddenDim,
                std::mt19937_64& random);
    void forward(const Tensors& params, const Matrix& x, Matrix& y, Cache& cache) const;
    void backward(const Tensors& params, const Cache& cache, const Matrix& dy, Tensors& grads,
                  Matrix& dx) const;
};

}  // namespace animerec::nn

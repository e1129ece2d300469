#pragma once

#include <string>

#include "nn/tensor.h"

namespace animerec::nn {

// Layer normalisation over each row (Ba, Kiros & Hinton 2016): y = gamma * (x - mean) / std + beta.
struct LayerNorm {
    int gamma = -1;
    int beta = -1;
    float epsilon = 1e-6f;

    struct Cache {
        Matrix normalized;           // (x - mean) / std
        Eigen::VectorXf inverseStd;  // one per row
    };

    // Registers gamma (= 1) and beta (= 0) of width `dim`.
    void create(ParameterStore& store, const std::string& name, int dim);
    void forward(const Tensors& params, const Matrix& x, Matrix& y, Cache& cache) const;
    // Accumulates dgamma, dbeta; writes dL/dx into `dx`.
    void backward(const Tensors& params, const Cache& cache, const Matrix& dy, Tensors& grads,
                  Matrix& dx) const;
};

}  // namespace animerec::nn

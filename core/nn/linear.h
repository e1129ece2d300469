#pragma once

#include <random>
#include <string>

#include "nn/tensor.h"

namespace animerec::nn {

// Affine layer y = x W + b, with W (in x out) and b (1 x out).
struct Linear {
    int weight = -1;
    int bias = -1;

    // Registers W and b under `name` and draws W with Xavier init (b = 0).
    void create(ParameterStore& store, const std::string& name, int in, int out,
                std::mt19937_64& random);
    void forward(const Tensors& params, const Matrix& x, Matrix& y) const;
    // Accumulates dW, db into `grads`; writes dL/dx into `dx` when it is not null.
    void backward(const Tensors& params, const Matrix& x, const Matrix& dy, Tensors& grads,
                  Matrix* dx) const;
};

}  // namespace animerec::nn

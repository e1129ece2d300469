#pragma once

#include <cmath>
#include <random>

#include "nn/tensor.h"

namespace animerec::nn {

// Fills `tensor` with N(0, stddev^2) draws from `random` (row-major order, so seeded runs repeat).
inline void initNormal(Matrix& tensor, float stddev, std::mt19937_64& random) {
    std::normal_distribution<float> normal(0.0f, stddev);
    for (Eigen::Index i = 0; i < tensor.size(); ++i) tensor.data()[i] = normal(random);
}

// Glorot/Xavier normal init for a (fanIn x fanOut) weight: keeps activation variance roughly
// constant through the layer (Glorot & Bengio 2010).
inline void initXavier(Matrix& weight, std::mt19937_64& random) {
    const float stddev = std::sqrt(2.0f / static_cast<float>(weight.rows() + weight.cols()));
    initNormal(weight, stddev, random);
}

}  // namespace animerec::nn

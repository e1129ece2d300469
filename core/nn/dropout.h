#pragma once

#include <random>

#include "nn/tensor.h"

namespace animerec::nn {

// Inverted dropout (Srivastava et al. 2014): keeps each entry with probability 1 - rate and scales
// it by 1 / (1 - rate), so inference needs no rescaling. rate == 0 or !training is the identity
// (mask left empty).
inline void dropoutForward(Matrix& x, float rate, bool training, std::mt19937_64& random,
                           Matrix& mask) {
    if (!training || rate <= 0.0f) {
        mask.resize(0, 0);
        return;
    }
    const float keep = 1.0f / (1.0f - rate);
    std::bernoulli_distribution dropped(rate);
    mask.resize(x.rows(), x.cols());
    for (Eigen::Index i = 0; i < mask.size(); ++i) mask.data()[i] = dropped(random) ? 0.0f : keep;
    x.array() *= mask.array();
}

inline void dropoutBackward(Matrix& dy, const Matrix& mask) {
    if (mask.size() != 0) dy.array() *= mask.array();
}

}  // namespace animerec::nn

#pragma once

#include "nn/tensor.h"

namespace animerec::nn {

// Adam (Kingma & Ba 2015) with bias correction, one moment pair per parameter tensor.
class Adam {
public:
    struct Config {
        float learningRate = 1e-3f;
        float beta1 = 0.9f;
        float beta2 = 0.98f;
        float epsilon = 1e-8f;
    };

    Adam(const Tensors& params, Config config);
    // params -= lr * m_hat / (sqrt(v_hat) + eps), from gradients `grads` (same shapes).
    void step(Tensors& params, const Tensors& grads);

private:
    Config config_;
    Tensors firstMoment_;
    Tensors secondMoment_;
    int steps_ = 0;
};

}  // namespace animerec::nn

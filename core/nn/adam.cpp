#include "nn/adam.h"

#include <cmath>

namespace animerec::nn {

Adam::Adam(const Tensors& params, Config config)
    : config_(config), firstMoment_(zerosLike(params)), secondMoment_(zerosLike(params)) {}

void Adam::step(Tensors& params, const Tensors& grads) {
    ++steps_;
    const float correction1 = 1.0f - std::pow(config_.beta1, static_cast<float>(steps_));
    const float correction2 = 1.0f - std::pow(config_.beta2, static_cast<float>(steps_));
    const float stepSize = config_.learningRate * std::sqrt(correction2) / correction1;
    const float b1 = config_.beta1, b2 = config_.beta2, eps = config_.epsilon;
    for (std::size_t t = 0; t < params.size(); ++t) {
        auto m = firstMoment_[t].array();
        auto v = secondMoment_[t].array();
        const auto g = grads[t].array();
        m = b1 * m + (1.0f - b1) * g;
        v = b2 * v + (1.0f - b2) * g.square();
        params[t].array() -= stepSize * m / (v.sqrt() + eps);
    }
}

}  // namespace animerec::nn

#include "nn/feed_forward.h"

namespace animerec::nn {

void FeedForward::create(ParameterStore& store, const std::string& name, int dim, int hiddenDim,
                         std::mt19937_64& random) {
    inner.create(store, name + ".inner", dim, hiddenDim, random);
    outer.create(store, name + ".outer", hiddenDim, dim, random);
}

void FeedForward::forward(const Tensors& params, const Matrix& x, Matrix& y, Cache& cache) const {
    cache.input = x;
    inner.forward(params, x, cache.hidden);
    cache.hidden = cache.hidden.cwiseMax(0.0f);
    outer.forward(params, cache.hidden, y);
}

void FeedForward::backward(const Tensors& params, const Cache& cache, const Matrix& dy,
                           Tensors& grads, Matrix& dx) const {
    Matrix dHidden;
    outer.backward(params, cache.hidden, dy, grads, &dHidden);
    dHidden = (cache.hidden.array() > 0.0f).select(dHidden, 0.0f);
    inner.backward(params, cache.input, dHidden, grads, &dx);
}

}  // namespace animerec::nn

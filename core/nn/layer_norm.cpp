#include "nn/layer_norm.h"

#include <cmath>

namespace animerec::nn {

void LayerNorm::create(ParameterStore& store, const std::string& name, int dim) {
    gamma = store.add(name + ".gamma", 1, dim);
    beta = store.add(name + ".beta", 1, dim);
    store.values()[static_cast<std::size_t>(gamma)].setOnes();
}

void LayerNorm::forward(const Tensors& params, const Matrix& x, Matrix& y, Cache& cache) const {
    const auto rows = x.rows();
    const auto dim = static_cast<float>(x.cols());
    cache.normalized.resize(rows, x.cols());
    cache.inverseStd.resize(rows);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const float mean = x.row(r).sum() / dim;
        const auto centered = x.row(r).array() - mean;
        const float variance = centered.square().sum() / dim;
        const float inverseStd = 1.0f / std::sqrt(variance + epsilon);
        cache.inverseStd[r] = inverseStd;
        cache.normalized.row(r) = centered * inverseStd;
    }
    const auto& g = params[static_cast<std::size_t>(gamma)];
    const auto& b = params[static_cast<std::size_t>(beta)];
    y = (cache.normalized.array().rowwise() * g.row(0).array()).rowwise() + b.row(0).array();
}

void LayerNorm::backward(const Tensors& params, const Cache& cache, const Matrix& dy,
                         Tensors& grads, Matrix& dx) const {
    const auto& g = params[static_cast<std::size_t>(gamma)];
    grads[static_cast<std::size_t>(gamma)].row(0) +=
        (dy.array() * cache.normalized.array()).colwise().sum().matrix();
    grads[static_cast<std::size_t>(beta)].row(0) += dy.colwise().sum();
    const Matrix dNormalized = dy.array().rowwise() * g.row(0).array();
    const float dim = static_cast<float>(dy.cols());
    dx.resize(dy.rows(), dy.cols());
    for (Eigen::Index r = 0; r < dy.rows(); ++r) {
        const float sumD = dNormalized.row(r).sum();
        const float sumDX = dNormalized.row(r).dot(cache.normalized.row(r));
        dx.row(r) = (cache.inverseStd[r] / dim) * (dim * dNormalized.row(r).array() - sumD -
                                                   cache.normalized.row(r).array() * sumDX)
                                                      .matrix();
    }
}

}  // namespace animerec::nn

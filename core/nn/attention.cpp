#include "nn/attention.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace animerec::nn {

void CausalSelfAttention::create(ParameterStore& store, const std::string& name, int dim,
                                 int headCount, std::mt19937_64& random) {
    if (headCount <= 0 || dim % headCount != 0)
        throw std::invalid_argument("attention: dimension " + std::to_string(dim) +
                                    " is not divisible by " + std::to_string(headCount) + " heads");
    heads = headCount;
    query.create(store, name + ".query", dim, dim, random);
    key.create(store, name + ".key", dim, dim, random);
    value.create(store, name + ".value", dim, dim, random);
    output.create(store, name + ".output", dim, dim, random);
}

void CausalSelfAttention::forward(const Tensors& params, const Matrix& x,
                                  std::span<const Segment> segments, Matrix& y,
                                  Cache& cache) const {
    cache.input = x;
    query.forward(params, x, cache.q);
    key.forward(params, x, cache.k);
    value.forward(params, x, cache.v);
    const int headDim = static_cast<int>(x.cols()) / heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
    cache.context.resize(x.rows(), x.cols());
    cache.weights.resize(segments.size() * static_cast<std::size_t>(heads));
    std::size_t slot = 0;
    for (const auto& segment : segments) {
        const int len = segment.length;
        for (int h = 0; h < heads; ++h, ++slot) {
            const auto q = cache.q.block(segment.begin, h * headDim, len, headDim);
            const auto k = cache.k.block(segment.begin, h * headDim, len, headDim);
            const auto v = cache.v.block(segment.begin, h * headDim, len, headDim);
            Matrix& a = cache.weights[slot];
            a.noalias() = (q * k.transpose()) * scale;
            for (int i = 0; i < len; ++i) {
                // Row i sees columns 0..i; the masked tail gets probability exactly 0.
                auto row = a.row(i).head(i + 1);
                const float maxValue = row.maxCoeff();
                row = (row.array() - maxValue).exp().matrix();
                row /= row.sum();
                a.row(i).tail(len - i - 1).setZero();
            }
            cache.context.block(segment.begin, h * headDim, len, headDim).noalias() = a * v;
        }
    }
    output.forward(params, cache.context, y);
}

void CausalSelfAttention::backward(const Tensors& params, std::span<const Segment> segments,
                                   const Cache& cache, const Matrix& dy, Tensors& grads,
                                   Matrix& dx) const {
    Matrix dContext;
    output.backward(params, cache.context, dy, grads, &dContext);
    const int headDim = static_cast<int>(dy.cols()) / heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
    Matrix dq(dy.rows(), dy.cols()), dk(dy.rows(), dy.cols()), dv(dy.rows(), dy.cols());
    Matrix dA, dS;
    std::size_t slot = 0;
    for (const auto& segment : segments) {
        const int len = segment.length;
        for (int h = 0; h < heads; ++h, ++slot) {
            const Matrix& a = cache.weights[slot];
            const auto q = cache.q.block(segment.begin, h * headDim, len, headDim);
            const auto k = cache.k.block(segment.begin, h * headDim, len, headDim);
            const auto v = cache.v.block(segment.begin, h * headDim, len, headDim);
            const auto dc = dContext.block(segment.begin, h * headDim, len, headDim);
            dA.noalias() = dc * v.transpose();
            dv.block(segment.begin, h * headDim, len, headDim).noalias() = a.transpose() * dc;
            // Softmax backward per row; masked entries have a == 0 and so get no gradient.
            const Eigen::VectorXf rowDot = (dA.array() * a.array()).rowwise().sum();
            dS = (a.array() * (dA.array().colwise() - rowDot.array())) * scale;
            dq.block(segment.begin, h * headDim, len, headDim).noalias() = dS * k;
            dk.block(segment.begin, h * headDim, len, headDim).noalias() = dS.transpose() * q;
        }
    }
    Matrix dxPart;
    query.backward(params, cache.input, dq, grads, &dx);
    key.backward(params, cache.input, dk, grads, &dxPart);
    dx += dxPart;
    value.backward(params, cache.input, dv, grads, &dxPart);
    dx += dxPart;
}

}  // namespace animerec::nn

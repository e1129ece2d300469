#include "nn/gru.h"

#include "nn/init.h"

namespace animerec::nn {

namespace {
RowVector sigmoid(const RowVector& x) { return (1.0f + (-x.array()).exp()).inverse().matrix(); }
}  // namespace

void Gru::create(ParameterStore& store, const std::string& name, int in, int hidden,
                 std::mt19937_64& random) {
    hiddenSize = hidden;
    inputWeight = store.add(name + ".input_weight", in, 3 * hidden);
    inputBias = store.add(name + ".input_bias", 1, 3 * hidden);
    hiddenWeight = store.add(name + ".hidden_weight", hidden, 3 * hidden);
    hiddenBias = store.add(name + ".hidden_bias", 1, 3 * hidden);
    initXavier(store.values()[static_cast<std::size_t>(inputWeight)], random);
    initXavier(store.values()[static_cast<std::size_t>(hiddenWeight)], random);
}

void Gru::forward(const Tensors& params, const Matrix& x, std::span<const Segment> segments,
                  Matrix& y, Cache& cache) const {
    const int hs = hiddenSize;
    const auto& wx = params[static_cast<std::size_t>(inputWeight)];
    const auto& bx = params[static_cast<std::size_t>(inputBias)];
    const auto& uh = params[static_cast<std::size_t>(hiddenWeight)];
    const auto& bh = params[static_cast<std::size_t>(hiddenBias)];
    cache.input = x;
    // Input projections of all steps at once; only the recurrence is sequential.
    Matrix gx = x * wx;
    gx.rowwise() += bx.row(0);
    const auto rows = x.rows();
    for (Matrix* m : {&cache.previous, &cache.z, &cache.r, &cache.n, &cache.hiddenCandidate})
        m->resize(rows, hs);
    y.resize(rows, hs);
    RowVector h(hs), gh(3 * hs);
    for (const auto& segment : segments) {
        h.setZero();
        for (int t = 0; t < segment.length; ++t) {
            const int row = segment.begin + t;
            cache.previous.row(row) = h;
            gh.noalias() = h * uh;
            gh += bh.row(0);
            const RowVector z = sigmoid(gx.row(row).segment(0, hs) + gh.segment(0, hs));
            const RowVector r = sigmoid(gx.row(row).segment(hs, hs) + gh.segment(hs, hs));
            const RowVector candidate = gh.segment(2 * hs, hs);
            const RowVector n =
                (gx.row(row).segment(2 * hs, hs).array() + r.array() * candidate.array())
                    .tanh()
                    .matrix();
            h = ((1.0f - z.array()) * n.array() + z.array() * h.array()).matrix();
            cache.z.row(row) = z;
            cache.r.row(row) = r;
            cache.n.row(row) = n;
            cache.hiddenCandidate.row(row) = candidate;
            y.row(row) = h;
        }
    }
}

void Gru::backward(const Tensors& params, std::span<const Segment> segments, const Cache& cache,
                   const Matrix& dy, Tensors& grads, Matrix& dx) const {
    const int hs = hiddenSize;
    const auto& wx = params[static_cast<std::size_t>(inputWeight)];
    const auto& uh = params[static_cast<std::size_t>(hiddenWeight)];
    const auto rows = dy.rows();
    Matrix dgx(rows, 3 * hs), dgh(rows, 3 * hs);
    RowVector dhNext(hs), dh(hs);
    for (const auto& segment : segments) {
        dhNext.setZero();
        for (int t = segment.length - 1; t >= 0; --t) {
            const int row = segment.begin + t;
            dh = dy.row(row) + dhNext;
            const auto z = cache.z.row(row).array();
            const auto r = cache.r.row(row).array();
            const auto n = cache.n.row(row).array();
            const auto previous = cache.previous.row(row).array();
            const auto dhA = dh.array();
            const RowVector dzPre = (dhA * (previous - n) * z * (1.0f - z)).matrix();
            const RowVector dnPre = (dhA * (1.0f - z) * (1.0f - n.square())).matrix();
            const RowVector drPre =
                (dnPre.array() * cache.hiddenCandidate.row(row).array() * r * (1.0f - r)).matrix();
            dgx.row(row) << dzPre, drPre, dnPre;
            dgh.row(row) << dzPre, drPre, (dnPre.array() * r).matrix();
            dhNext.noalias() = dgh.row(row) * uh.transpose();
            dhNext.array() += dhA * z;
        }
    }
    grads[static_cast<std::size_t>(hiddenWeight)].noalias() += cache.previous.transpose() * dgh;
    grads[static_cast<std::size_t>(hiddenBias)].row(0) += dgh.colwise().sum();
    grads[static_cast<std::size_t>(inputWeight)].noalias() += cache.input.transpose() * dgx;
    grads[static_cast<std::size_t>(inputBias)].row(0) += dgx.colwise().sum();
    dx.noalias() = dgx * wx.transpose();
}

}  // namespace animerec::nn

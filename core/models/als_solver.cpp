#include "models/als_solver.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <thread>
#include <vector>

#include "models/als_kernels.h"

namespace animerec::als {

Eigen::MatrixXf gramMatrix(const RowMatrixXf& factors, int threads) {
    const auto k = factors.cols();
    constexpr Eigen::Index kMinRowsPerThread = 65536;
    const auto blocks = std::clamp<Eigen::Index>(factors.rows() / kMinRowsPerThread, 1, threads);
    std::vector<Eigen::MatrixXf> partial(static_cast<std::size_t>(blocks),
                                         Eigen::MatrixXf::Zero(k, k));
    const auto block = [&](Eigen::Index b) {
        const auto begin = factors.rows() * b / blocks;
        const auto end = factors.rows() * (b + 1) / blocks;
        partial[static_cast<std::size_t>(b)].selfadjointView<Eigen::Lower>().rankUpdate(
            factors.middleRows(begin, end - begin).transpose());
    };
    std::vector<std::thread> pool;
    for (Eigen::Index b = 1; b < blocks; ++b) pool.emplace_back(block, b);
    block(0);
    for (auto& thread : pool) thread.join();
    Eigen::MatrixXf gram = partial.front();
    for (std::size_t b = 1; b < partial.size(); ++b) gram += partial[b];
    return gram.selfadjointView<Eigen::Lower>();
}

void normalEquations(const Problem& problem, std::span<const WeightedItem> row, Eigen::MatrixXf& a,
                     Eigen::VectorXf& b) {
    const auto k = problem.fixed.cols();
    a = problem.gram;
    a.diagonal().array() += problem.regularization;
    b = Eigen::VectorXf::Zero(k);
    for (const auto& entry : row) {
        const auto y = problem.fixed.row(entry.item).transpose();
        const float confidence = 1.0f + problem.alpha * entry.strength;
        a.selfadjointView<Eigen::Lower>().rankUpdate(y, confidence - 1.0f);
        b.noalias() += confidence * y;
    }
    a.triangularView<Eigen::StrictlyUpper>() = a.transpose();
}

void solveCholesky(const Problem& problem, std::span<const WeightedItem> row,
                   Eigen::Ref<Eigen::VectorXf> x) {
    Eigen::MatrixXf a;
    Eigen::VectorXf b;
    normalEquations(problem, row, a, b);
    x = a.llt().solve(b);
}

namespace {

// out += sum over the row's entries of w y_i, y_i the fixed factor of entry i and
// w = alpha s_i (y_i . v); with `residual`, w = (1 + alpha s_i) - alpha s_i (y_i . v) instead
// (the b - A x terms). The one loop of the CG solve that touches memory beyond the row.
ANIMEREC_ALS_CLONES
void accumulateEntries(const float* fixed, std::ptrdiff_t k, std::span<const WeightedItem> row,
                       float alpha, bool residual, const float* v, float* out) {
    for (std::size_t e = 0; e < row.size(); ++e) {
        // The first pass brings the row's item factors into L1/L2; later passes find them there.
        if (e + kPrefetchDistance < row.size())
            prefetchRow(fixed + static_cast<std::ptrdiff_t>(row[e + kPrefetchDistance].item) * k,
                        k);
        const float* y = fixed + static_cast<std::ptrdiff_t>(row[e].item) * k;
        const float weight = alpha * row[e].strength;
        const float projection = dot(y, v, k);
        axpy(residual ? 1.0f + weight - weight * projection : weight * projection, y, out, k);
    }
}

}  // namespace

void solveConjugateGradient(const Problem& problem, std::span<const WeightedItem> row, int steps,
                            Eigen::Ref<Eigen::VectorXf> x) {
    const float* fixed = problem.fixed.data();
    const auto k = problem.fixed.cols();
    // r = b - A x, accumulated without forming A: the sparse part touches only the row's entries.
    Eigen::VectorXf r = -(problem.gram * x) - problem.regularization * x;
    accumulateEntries(fixed, k, row, problem.alpha, true, x.data(), r.data());
    Eigen::VectorXf p = r;
    float rsOld = r.squaredNorm();
    Eigen::VectorXf ap(x.size());
    for (int step = 0; step < steps; ++step) {
        if (rsOld < 1e-20f) break;
        ap.noalias() = problem.gram * p;
        ap += problem.regularization * p;
        accumulateEntries(fixed, k, row, problem.alpha, false, p.data(), ap.data());
        const float stepSize = rsOld / p.dot(ap);
        x += stepSize * p;
        r -= stepSize * ap;
        const float rsNew = r.squaredNorm();
        p = r + (rsNew / rsOld) * p;
        rsOld = rsNew;
    }
}

double rowLoss(const Problem& problem, std::span<const WeightedItem> row,
               const Eigen::Ref<const Eigen::VectorXf>& x) {
    double loss = static_cast<double>(x.dot(problem.gram * x));
    for (const auto& entry : row) {
        const double prediction = problem.fixed.row(entry.item).dot(x);
        const double confidence = 1.0 + problem.alpha * entry.strength;
        loss += confidence * (1.0 - prediction) * (1.0 - prediction) - prediction * prediction;
    }
    return loss;
}

}  // namespace animerec::als

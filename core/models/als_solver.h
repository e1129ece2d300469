#pragma once

// Internal to the ALS model (included by .cpp files only): the per-row least-squares solvers of
// implicit alternating least squares, on Eigen float matrices.

#include <Eigen/Core>
#include <span>

#include "models/confidence.h"

namespace animerec::als {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One half-step of ALS: the other side's factors are fixed, and each row of the side being solved
// minimises sum_i c_i (p_i - x.y_i)^2 + reg |x|^2 over all columns i, with p_i = 1 and
// c_i = 1 + alpha * f_i on the row's entries and p_i = 0, c_i = 1 elsewhere (Hu et al. 2008).
struct Problem {
    const RowMatrixXf& fixed;     // other side's factors, one row per column of the data
    const Eigen::MatrixXf& gram;  // fixed^T fixed, precomputed once per half-step
    float regularization = 0.0f;
    float alpha = 0.0f;
};

// Requests the cache lines of one factor row (k floats) ahead of use: the rows an ALS pass
// touches are scattered over a few MB (L2 misses), and issuing the loads a few entries early hides
// most of that latency (measured ~1.6x on the item-side pass).
template <int ForWrite = 0>
inline void prefetchRow(const float* row, Eigen::Index k) {
    for (Eigen::Index i = 0; i < k; i += 16) __builtin_prefetch(row + i, ForWrite, 3);
}
inline constexpr std::size_t kPrefetchDistance = 4;

// fixed^T fixed (k x k), the term shared by every row's normal equations. With threads > 1 the
// rows are split into blocks summed at the end (a million users x 64 is ~0.3 s on one core).
Eigen::MatrixXf gramMatrix(const RowMatrixXf& factors, int threads = 1);

// Normal equations A x = b of one row: A = YtY + reg I + sum_i (c_i - 1) y_i y_i^T and
// b = sum_i c_i y_i. O(|row| k^2).
void normalEquations(const Problem& problem, std::span<const WeightedItem> row, Eigen::MatrixXf& a,
                     Eigen::VectorXf& b);

// Exact solve by Cholesky (LLT) of the normal equations; overwrites x.
void solveCholesky(const Problem& problem, std::span<const WeightedItem> row,
                   Eigen::Ref<Eigen::VectorXf> x);

// `steps` conjugate-gradient iterations warm-started from x, never forming A (Takacs, Pilaszy &
// Tikk 2011): O(steps * (|row| k + k^2)) instead of O(|row| k^2 + k^3).
void solveConjugateGradient(const Problem& problem, std::span<const WeightedItem> row, int steps,
                            Eigen::Ref<Eigen::VectorXf> x);

// Weighted squared error of row `x` plus its share of the all-zeros term:
// x^T YtY x + sum_i [c_i (1 - x.y_i)^2 - (x.y_i)^2]. Regularisation is added by the caller.
double rowLoss(const Problem& problem, std::span<const WeightedItem> row,
               const Eigen::Ref<const Eigen::VectorXf>& x);

}  // namespace animerec::als

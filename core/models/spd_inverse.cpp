#include "models/spd_inverse.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <stdexcept>

#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr int kBlock = 256;  // column block of the parallel inverse

}  // namespace

void invertSpdLower(Eigen::MatrixXf& a, int threads, const std::string& stage,
                    const std::string& what, const ProgressCallback& progress) {
    const auto n = static_cast<int>(a.rows());
    Eigen::LLT<Eigen::Ref<Eigen::MatrixXf>, Eigen::Lower> llt(a);  // factor in place
    if (llt.info() != Eigen::Success)
        throw std::runtime_error(what + ": Gram matrix is not positive definite");
    const int blocks = (n + kBlock - 1) / kBlock;
    reportProgress(progress, {stage, 0, 2 * blocks, "cholesky done"});

    Eigen::MatrixXf inverseFactor = Eigen::MatrixXf::Zero(n, n);  // M = L^-1, lower triangular
    parallelFor(
        0, blocks, threads,
        [&](int block) {
            const int c0 = block * kBlock, width = std::min(kBlock, n - c0), rows = n - c0;
            auto target = inverseFactor.block(c0, c0, rows, width);
            target.topRows(width).setIdentity();
            a.bottomRightCorner(rows, rows).triangularView<Eigen::Lower>().solveInPlace(target);
        },
        1);
    reportProgress(progress, {stage, blocks, 2 * blocks, ""});

    // P[c0:, block] = M[c0:, c0:]^T M[c0:, block] (rows of M above c0 are zero in the block).
    parallelFor(
        0, blocks, threads,
        [&](int block) {
            const int c0 = block * kBlock, width = std::min(kBlock, n - c0), rows = n - c0;
            a.block(c0, c0, rows, width).noalias() = inverseFactor.bottomRightCorner(rows, rows)
                                                         .triangularView<Eigen::Lower>()
                                                         .transpose() *
                                                     inverseFactor.block(c0, c0, rows, width);
        },
        1);
    reportProgress(progress, {stage, 2 * blocks, 2 * blocks, ""});
}

}  // namespace animerec

#pragma once

#include <Eigen/Core>
#include <string>

#include "util/progress.h"

namespace animerec {

// P = A^-1 of the symmetric positive definite matrix in `a` (lower triangle read), returned in
// the lower triangle of `a` (the strict upper triangle is left as it was). Instead of solving
// against the identity (about 2 N^3 flops in one thread) it inverts the Cholesky factor by
// column blocks, skipping the known zeros of L^-1, and forms P = L^-T L^-1 only below the
// diagonal: about N^3 flops, the last two thirds on `threads` threads. Progress reports stage
// `stage` (done/total in column blocks). Throws std::runtime_error "<what>: ... not positive
// definite" when the factorisation fails.
void invertSpdLower(Eigen::MatrixXf& a, int threads, const std::string& stage,
                    const std::string& what, const ProgressCallback& progress);

}  // namespace animerec

#pragma once

// Internal to the ALS model (included by .cpp files only): the item half-step of implicit ALS
// solved from the user-major matrix, without a transposed copy.

#include "models/als_solver.h"

namespace animerec::als {

// Solves every column c of `byRow` (an item, when rows are users) for its factor
// columnFactors.row(c), the row factors fixed, with `steps` conjugate-gradient iterations
// warm-started from columnFactors and run in lockstep for all columns (each column stops on its
// own once its residual vanishes, exactly as solveConjugateGradient does).
//
// Why lockstep: each CG product A_c p_c = (G + reg I) p_c + sum_r alpha s_rc (x_r . p_c) x_r is
// then one pass over the row-major matrix in which each row factor x_r is read once,
// sequentially, and only the small column-side vectors are accessed at random (they fit in the
// cache). Solving column by column instead gathers ~|column| random rows of the (large) row
// factor matrix per product, which made the item side memory bound, and needs the transposed
// matrix (one more copy of every entry).
//
// Each worker accumulates into its own cols x k buffer, so extra memory is
// threads * cols * k floats (8.9 MB for 17,500 items, k = 64, 2 threads).
// `gram` is rowFactors^T rowFactors.
void solveColumnsConjugateGradient(const WeightedMatrix& byRow, const RowMatrixXf& rowFactors,
                                   const Eigen::MatrixXf& gram, float regularization, float alpha,
                                   int steps, int threads, RowMatrixXf& columnFactors);

}  // namespace animerec::als

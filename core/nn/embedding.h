#pragma once

#include <span>

#include "nn/tensor.h"

namespace animerec::nn {

// Row lookup: out.row(i) = table.row(ids[i]). ids must be valid row indices of `table`.
void gatherRows(const Matrix& table, std::span<const int> ids, Matrix& out);
// Backward of gatherRows: grad.row(ids[i]) += dOut.row(i) (repeated ids accumulate).
void scatterAddRows(Matrix& grad, std::span<const int> ids, const Matrix& dOut);

}  // namespace animerec::nn

#pragma once

#include <cstddef>
#include <span>

namespace animerec {

// The sum of chosen rows of a dense row-major matrix, as EASE scores a history (the rows of B of
// the history's items). The rows are added four at a time, out += (r0 + r1) + (r2 + r3), then
// one at a time for the last |rows| mod 4, and that order of float additions is part of the
// contract: every CPU gives the same bits as the Eigen expression the model first used. The
// build targets baseline x86-64; the function is also compiled for x86-64-v3 and v4 (AVX2,
// AVX-512) and the loader picks the widest the CPU has, which is safe because only additions
// occur and each output element's order is fixed.
// `out` has `width` elements; `rows` index rows of `matrix` (any order, repeats allowed).
void sumRowsInFours(const float* matrix, std::size_t width, std::span<const int> rows, float* out);

}  // namespace animerec

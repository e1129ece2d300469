#include "models/row_sums.h"

#include <algorithm>

namespace animerec {

namespace {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ANIMEREC_ROW_SUM_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ANIMEREC_ROW_SUM_CLONES
#endif

// Two groups of four rows per sweep: (out + g1) + g2 rounds exactly as two sweeps would, while
// the accumulator is read and written half as often (B's rows come from memory either way).
ANIMEREC_ROW_SUM_CLONES void sumRows(const float* __restrict matrix, std::size_t width,
                                     const int* rows, std::size_t count, float* __restrict out) {
    const auto row = [&](std::size_t r) {
        return matrix + static_cast<std::size_t>(rows[r]) * width;
    };
    std::fill(out, out + width, 0.0f);
    std::size_t r = 0;
    for (; r + 8 <= count; r += 8) {
        const float* __restrict a = row(r);
        const float* __restrict b = row(r + 1);
        const float* __restrict c = row(r + 2);
        const float* __restrict d = row(r + 3);
        const float* __restrict e = row(r + 4);
        const float* __restrict f = row(r + 5);
        const float* __restrict g = row(r + 6);
        const float* __restrict h = row(r + 7);
        for (std::size_t i = 0; i < width; ++i)
            out[i] = (out[i] + ((a[i] + b[i]) + (c[i] + d[i]))) + ((e[i] + f[i]) + (g[i] + h[i]));
    }
    if (r + 4 <= count) {
        const float* __restrict a = row(r);
        const float* __restrict b = row(r + 1);
        const float* __restrict c = row(r + 2);
        const float* __restrict d = row(r + 3);
        for (std::size_t i = 0; i < width; ++i) out[i] = out[i] + ((a[i] + b[i]) + (c[i] + d[i]));
        r += 4;
    }
    for (; r < count; ++r) {
        const float* __restrict a = row(r);
        for (std::size_t i = 0; i < width; ++i) out[i] = out[i] + a[i];
    }
}

}  // namespace

void sumRowsInFours(const float* matrix, std::size_t width, std::span<const int> rows, float* out) {
    sumRows(matrix, width, rows.data(), rows.size(), out);
}

}  // namespace animerec

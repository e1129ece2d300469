#pragma once

// Internal to the ALS model (included by .cpp files only): the two vector operations of the
// conjugate-gradient passes, which run once per (row, entry) and dominate training time.

#include <cstddef>

// The build targets baseline x86-64 (SSE2). Functions marked ANIMEREC_ALS_CLONES are also
// compiled for x86-64-v3 (AVX2 + FMA) and the loader picks the variant the CPU supports, so the
// kernels below, inlined into them, run 8 lanes wide with fused multiply-adds where possible.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ANIMEREC_ALS_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ANIMEREC_ALS_CLONES
#endif

namespace animerec::als {

// a . b over k floats. Sixteen independent partial sums let the compiler keep them in vector
// registers (a serial float sum cannot be reordered, so it would not vectorise).
inline float dot(const float* a, const float* b, std::ptrdiff_t k) {
    float partial[16] = {};
    std::ptrdiff_t i = 0;
    for (; i + 16 <= k; i += 16)
        for (int j = 0; j < 16; ++j) partial[j] += a[i + j] * b[i + j];
    float sum = 0.0f;
    for (; i < k; ++i) sum += a[i] * b[i];
    for (int j = 0; j < 16; ++j) sum += partial[j];
    return sum;
}

// y += w x over k floats.
inline void axpy(float w, const float* x, float* y, std::ptrdiff_t k) {
    for (std::ptrdiff_t i = 0; i < k; ++i) y[i] += w * x[i];
}

}  // namespace animerec::als

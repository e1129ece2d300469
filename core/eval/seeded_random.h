#pragma once

#include <cstdint>
#include <random>
#include <tuple>

namespace animerec {

// Randomness for splits and the bootstrap. std::mt19937_64 is specified bit for bit by the
// standard, but std::uniform_int_distribution and std::shuffle are not, so results would differ
// between standard libraries; these helpers make every seeded result identical everywhere.

// SplitMix64 finaliser: turns (seed, stream id) into well-mixed, independent engine seeds.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Full 128-bit product of two 64-bit values as (high, low), in portable C++.
inline std::pair<std::uint64_t, std::uint64_t> multiplyWide(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t aLow = a & 0xFFFFFFFFu, aHigh = a >> 32;
    const std::uint64_t bLow = b & 0xFFFFFFFFu, bHigh = b >> 32;
    const std::uint64_t lowLow = aLow * bLow;
    const std::uint64_t highLow = aHigh * bLow;
    const std::uint64_t lowHigh = aLow * bHigh;
    const std::uint64_t middle = (lowLow >> 32) + (highLow & 0xFFFFFFFFu) + (lowHigh & 0xFFFFFFFFu);
    const std::uint64_t high = aHigh * bHigh + (highLow >> 32) + (lowHigh >> 32) + (middle >> 32);
    return {high, (middle << 32) | (lowLow & 0xFFFFFFFFu)};
}

// Uniform integer in [0, bound) for bound >= 1, without bias (Lemire 2019, "Fast random integer
// generation in an interval", multiply-and-reject).
inline std::uint64_t uniformBelow(std::mt19937_64& engine, std::uint64_t bound) {
    auto [high, low] = multiplyWide(engine(), bound);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) std::tie(high, low) = multiplyWide(engine(), bound);
    }
    return high;
}

}  // namespace animerec

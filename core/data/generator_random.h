#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace animerec::generator {

// Sampling primitives for the synthetic data generator. std::*_distribution differ between
// standard libraries, so the generator draws everything from std::mt19937_64 (bit-exact by the
// standard) through these helpers; the same seed then gives the same bytes everywhere.

// SplitMix64 finaliser: turns (seed, stream) into independent engine seeds, so every user gets
// its own engine and a user's rows do not depend on how many numbers earlier users drew.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform double in [0, 1) from the top 53 bits.
inline double uniform01(std::mt19937_64& engine) {
    return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

// Uniform integer in [0, bound) for 1 <= bound < 2^32; the bias (< bound / 2^32) is irrelevant
// for synthetic data and one multiply keeps the hot loop cheap.
inline std::uint32_t uniformIndex(std::mt19937_64& engine, std::uint32_t bound) {
    return static_cast<std::uint32_t>(((engine() >> 32) * bound) >> 32);
}

// Uniform integer in [low, high] (inclusive), high - low < 2^32.
inline std::int64_t uniformInt(std::mt19937_64& engine, std::int64_t low, std::int64_t high) {
    return low + uniformIndex(engine, static_cast<std::uint32_t>(high - low + 1));
}

inline bool bernoulli(std::mt19937_64& engine, double probability) {
    return uniform01(engine) < probability;
}

// Standard normal by the Marsaglia polar method (one log and one sqrt per two values). The
// spare value is kept by the caller-owned state so each engine stays self-contained.
class NormalSampler {
public:
    double operator()(std::mt19937_64& engine) {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        double u = 0.0, v = 0.0, s = 0.0;
        do {
            u = 2.0 * uniform01(engine) - 1.0;
            v = 2.0 * uniform01(engine) - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * factor;
        hasSpare_ = true;
        return u * factor;
    }

private:
    double spare_ = 0.0;
    bool hasSpare_ = false;
};

// Index drawn from a discrete distribution by linear search; for small tables (< ~50 entries).
// `weights` need not be normalised; all must be >= 0 with a positive sum.
inline std::size_t sampleDiscrete(std::mt19937_64& engine, const double* weights, std::size_t n) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    double target = uniform01(engine) * total;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        if (target < weights[i]) return i;
        target -= weights[i];
    }
    return n - 1;
}

// Walker/Vose alias table: O(n) build, O(1) draws from an arbitrary discrete distribution.
// Each draw uses a single 64-bit engine output (32 bits pick the column, 32 bits the coin).
class AliasTable {
public:
    AliasTable() = default;
    // weights: non-negative, at least one positive (else std::invalid_argument).
    explicit AliasTable(const std::vector<double>& weights);

    std::uint32_t operator()(std::mt19937_64& engine) const {
        const std::uint64_t bits = engine();
        const auto column = static_cast<std::uint32_t>(((bits >> 32) * size_) >> 32);
        return static_cast<std::uint32_t>(bits) < threshold_[column] ? column : alias_[column];
    }
    std::uint32_t size() const { return size_; }

private:
    std::uint32_t size_ = 0;
    std::vector<std::uint32_t> threshold_;  // probability of keeping the column, scaled to 2^32
    std::vector<std::uint32_t> alias_;
};

}  // namespace animerec::generator

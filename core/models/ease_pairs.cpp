#include "models/ease_pairs.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <istream>
#include <limits>
#include <numeric>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "models/modelled_positions.h"
#include "models/row_sums.h"
#include "models/spd_inverse.h"
#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;
void validate(const EasePairsConfig& config) {
    if (config.pairs < 0)
        throw std::invalid_argument("ease_pairs: pairs must be >= 0, got " +
                                    std::to_string(config.pairs));
    if (!(config.pairLambda > 0.0f))
        throw std::invalid_argument("ease_pairs: pair lambda must be > 0, got " +
                                    std::to_string(config.pairLambda));
    if (!(config.pairDropout >= 0.0f && config.pairDropout < 1.0f))
        throw std::invalid_argument("ease_pairs: pair dropout must be in [0, 1), got " +
                                    std::to_string(config.pairDropout));
    if (config.pairItems < 2)
        throw std::invalid_argument("ease_pairs: pair items must be >= 2, got " +
                                    std::to_string(config.pairItems));
    // The joint fit builds its own Gram matrix of titles and pairs, unweighted.
    if (config.base.userWeightExponent != 0.0f)
        throw std::invalid_argument("ease_pairs: user weights are not supported, got exponent " +
                                    std::to_string(config.base.userWeightExponent));
}

EaseConfig baseConfig(const EasePairsConfig& config) {
    EaseConfig base = config.base;
    base.threads = config.threads;
    return base;
}

// The `count` pairs (i < j) of positions below `candidates` shared by the most users, ties to
// the lower (i, j); pairs nobody shares are never chosen.
std::vector<std::pair<int, int>> frequentPairs(const std::vector<std::vector<int>>& histories,
                                               int candidates, int count) {
    const auto k = static_cast<std::size_t>(candidates);
    std::vector<std::int32_t> shared(k * k, 0);  // upper triangle, [i * k + j] for i < j
    for (const auto& positions : histories) {
        const auto end = std::lower_bound(positions.begin(), positions.end(), candidates);
        for (auto a = positions.begin(); a != end; ++a) {
            std::int32_t* row = shared.data() + static_cast<std::size_t>(*a) * k;
            for (auto b = a + 1; b != end; ++b) ++row[*b];
        }
    }
    struct Candidate {
        std::int32_t users;
        int first, second;
    };
    std::vector<Candidate> all;
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i + 1; j < k; ++j)
            if (const auto users = shared[i * k + j]; users > 0)
                all.push_back({users, static_cast<int>(i), static_cast<int>(j)});
    const auto better = [](const Candidate& a, const Candidate& b) {
        if (a.users != b.users) return a.users > b.users;
        return std::make_pair(a.first, a.second) < std::make_pair(b.first, b.second);
    };
    const auto chosen = std::min(all.size(), static_cast<std::size_t>(count));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(chosen), all.end(),
                      better);
    all.resize(chosen);
    // Stored by (first, second), the order the scorer's index walks.
    std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
        return std::make_pair(a.first, a.second) < std::make_pair(b.first, b.second);
    });
    std::vector<std::pair<int, int>> pairs;
    for (const auto& c : all) pairs.emplace_back(c.first, c.second);
    return pairs;
}

}  // namespace

EasePairs::EasePairs(EasePairsConfig config) : config_(config), base_(baseConfig(config)) {
    validate(config_);
}

void EasePairs::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const int threads = config_.threads > 0 ? config_.threads : defaultThreadCount();
    const EaseConfig& baseConfig = config_.base;
    const Interactions& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    std::vector<int> items = Ease::mostFrequentItems(interactions, itemCount, baseConfig.maxItems);
    const auto n = static_cast<int>(items.size());
    const auto N = static_cast<std::size_t>(n);
    std::vector<int> positionOf(static_cast<std::size_t>(itemCount), -1);
    for (std::size_t p = 0; p < N; ++p) positionOf[static_cast<std::size_t>(items[p])] = int(p);

    const int users = interactions.userCount();
    std::vector<std::vector<int>> histories(static_cast<std::size_t>(users));
    for (int user = 0; user < users; ++user)
        modelledPositions(interactions.historyOf(user), positionOf,
                          histories[static_cast<std::size_t>(user)]);
    const auto pairs = frequentPairs(histories, std::min(n, config_.pairItems), config_.pairs);
    const auto m = static_cast<int>(pairs.size());
    first_.clear();
    second_.clear();
    for (const auto& [a, b] : pairs) {
        first_.push_back(a);
        second_.push_back(b);
    }
    indexPairs(n);

    // K = F^T F with F = [X Z] (items, then pairs), lower triangle, from each user's positions
    // and active pairs; then K + Lambda, Lambda the ridges with their emphasised dropout.
    const int size = n + m;
    Eigen::MatrixXf k = Eigen::MatrixXf::Zero(size, size);
    std::vector<int> active;
    for (int user = 0; user < users; ++user) {
        const auto& positions = histories[static_cast<std::size_t>(user)];
        activePairs(positions, active);
        for (std::size_t a = 0; a < positions.size(); ++a) {
            float* column = k.col(positions[a]).data();
            for (std::size_t b = a; b < positions.size(); ++b) column[positions[b]] += 1.0f;
            for (int pair : active) column[n + pair] += 1.0f;
        }
        for (std::size_t a = 0; a < active.size(); ++a) {
            float* column = k.col(n + active[a]).data();
            for (std::size_t b = a; b < active.size(); ++b) column[n + active[b]] += 1.0f;
        }
        if (user % 1024 == 0) reportProgress(progress, {"ease_pairs gram", user, users, ""});
    }
    histories.clear();
    const float itemEmphasis = baseConfig.dropout / (1.0f - baseConfig.dropout);
    const float pairEmphasis = config_.pairDropout / (1.0f - config_.pairDropout);
    Eigen::VectorXf ridge(size);
    for (int i = 0; i < size; ++i)
        ridge[i] = i < n ? baseConfig.lambda + itemEmphasis * k(i, i)
                         : config_.pairLambda + pairEmphasis * k(i, i);
    k.diagonal() += ridge;
    invertSpdLower(k, threads, "ease_pairs inverse", "ease_pairs", progress);
    k.triangularView<Eigen::StrictlyUpper>() = k.transpose();  // Q = (K + Lambda)^-1

    // Column j of [B; C] without constraints: Q F^T x_j = Q (K + Lambda - Lambda) e_j
    // = e_j - Q e_j Lambda_j. The constraints (C[(a, b), j] = 0 for the pairs S holding j, and
    // B[j, j] = 0 for EASE) by Lagrange multipliers: w - Q[:, S] Q[S, S]^-1 w[S].
    std::vector<std::vector<int>> constrained(N);
    for (int j = 0; j < n; ++j)
        if (!baseConfig.fullRank) constrained[static_cast<std::size_t>(j)].push_back(j);
    for (int pair = 0; pair < m; ++pair) {
        constrained[static_cast<std::size_t>(first_[static_cast<std::size_t>(pair)])].push_back(
            n + pair);
        constrained[static_cast<std::size_t>(second_[static_cast<std::size_t>(pair)])].push_back(
            n + pair);
    }
    std::vector<float> weights(N * N, 0.0f);
    pairWeights_.assign(static_cast<std::size_t>(m) * N, 0.0f);
    parallelFor(
        0, n, threads,
        [&](int j) {
            Eigen::VectorXf w = -k.col(j) * ridge[j];
            w[j] += 1.0f;
            const auto& held = constrained[static_cast<std::size_t>(j)];
            if (!held.empty()) {
                const auto s = static_cast<Eigen::Index>(held.size());
                Eigen::MatrixXf block(s, s);
                Eigen::VectorXf onHeld(s);
                for (Eigen::Index a = 0; a < s; ++a) {
                    onHeld[a] = w[held[static_cast<std::size_t>(a)]];
                    for (Eigen::Index b = 0; b < s; ++b)
                        block(a, b) =
                            k(held[static_cast<std::size_t>(a)], held[static_cast<std::size_t>(b)]);
                }
                const Eigen::VectorXf multipliers = block.llt().solve(onHeld);
                for (Eigen::Index a = 0; a < s; ++a)
                    w -= k.col(held[static_cast<std::size_t>(a)]) * multipliers[a];
                for (int index : held) w[index] = 0.0f;  // exactly, not to rounding
            }
            const auto column = static_cast<std::size_t>(j);
            for (int i = 0; i < n; ++i)
                if (i != j) weights[static_cast<std::size_t>(i) * N + column] = w[i];
            for (int pair = 0; pair < m; ++pair)
                pairWeights_[static_cast<std::size_t>(pair) * N + column] = w[n + pair];
        },
        16);
    reportProgress(progress, {"ease_pairs solve", 1, 1, ""});
    base_ = Ease(baseConfig);
    base_.adoptWeights(itemCount, std::move(items), std::move(weights));
    indexItems();
}

void EasePairs::indexItems() {
    const auto& items = base_.modelledItems();
    positionOf_.assign(static_cast<std::size_t>(std::max(0, base_.itemCount())), -1);
    for (std::size_t p = 0; p < items.size(); ++p)
        positionOf_[static_cast<std::size_t>(items[p])] = static_cast<int>(p);
    unmodelled_.clear();
    for (std::size_t item = 0; item < positionOf_.size(); ++item)
        if (positionOf_[item] < 0) unmodelled_.push_back(static_cast<int>(item));
}

void EasePairs::indexPairs(int positions) {
    std::vector<int> order(first_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return std::make_pair(first_[static_cast<std::size_t>(a)],
                              second_[static_cast<std::size_t>(a)]) <
               std::make_pair(first_[static_cast<std::size_t>(b)],
                              second_[static_cast<std::size_t>(b)]);
    });
    pairStart_.assign(static_cast<std::size_t>(positions) + 1, 0);
    for (int a : first_) ++pairStart_[static_cast<std::size_t>(a) + 1];
    std::partial_sum(pairStart_.begin(), pairStart_.end(), pairStart_.begin());
    pairPartner_.clear();
    pairIndex_.clear();
    for (int pair : order) {
        pairPartner_.push_back(second_[static_cast<std::size_t>(pair)]);
        pairIndex_.push_back(pair);
    }
}

void EasePairs::activePairs(std::span<const int> positions, std::vector<int>& pairs) const {
    pairs.clear();
    if (first_.empty()) return;
    for (std::size_t a = 0; a < positions.size(); ++a) {
        const auto p = static_cast<std::size_t>(positions[a]);
        // Partners are ascending within a first position, as are the later history positions.
        auto partner = pairPartner_.begin() + pairStart_[p];
        const auto partnerEnd = pairPartner_.begin() + pairStart_[p + 1];
        std::size_t b = a + 1;
        while (partner != partnerEnd && b < positions.size()) {
            if (*partner < positions[b])
                ++partner;
            else if (*partner > positions[b])
                ++b;
            else {
                pairs.push_back(
                    pairIndex_[static_cast<std::size_t>(partner - pairPartner_.begin())]);
                ++partner;
                ++b;
            }
        }
    }
    std::sort(pairs.begin(), pairs.end());
}

void EasePairs::score(const UserQuery& query, std::span<float> scores) const {
    base_.score(query, scores);  // throws when untrained
    thread_local std::vector<int> positions, pairs;
    thread_local std::vector<float> accumulated;
    modelledPositions(query.history, positionOf_, positions);
    activePairs(positions, pairs);
    if (pairs.empty()) return;
    const auto& items = base_.modelledItems();
    const std::size_t n = items.size();
    accumulated.resize(n);
    sumRowsInFours(pairWeights_.data(), n, pairs, accumulated.data());
    float lowest = std::numeric_limits<float>::infinity();
    bool any = false;
    for (std::size_t p = 0; p < n; ++p) {
        const auto item = static_cast<std::size_t>(items[p]);
        if (item >= scores.size()) continue;
        scores[item] += accumulated[p];
        any = true;
        lowest = std::min(lowest, scores[item]);
    }
    // Unmodelled items stay below every modelled one (the pairs moved the modelled scores).
    const float unknown = any ? lowest - 1.0f : 0.0f;
    for (const int item : unmodelled_) {
        if (static_cast<std::size_t>(item) >= scores.size()) break;
        scores[static_cast<std::size_t>(item)] = unknown;
    }
    for (std::size_t item = positionOf_.size(); item < scores.size(); ++item)
        scores[item] = unknown;
}

std::vector<Contribution> EasePairs::explain(const UserQuery& query, int item, int count) const {
    const int items[] = {item};
    return std::move(explainItems(query, items, count).front());
}

std::vector<std::vector<Contribution>> EasePairs::explainItems(const UserQuery& query,
                                                               std::span<const int> items,
                                                               int count) const {
    std::vector<std::vector<Contribution>> result(items.size());
    std::vector<int> positions, pairs;
    modelledPositions(query.history, positionOf_, positions);
    activePairs(positions, pairs);
    const auto slotOf = [&](int position) {
        return static_cast<std::size_t>(
            std::lower_bound(positions.begin(), positions.end(), position) - positions.begin());
    };
    const auto& modelled = base_.modelledItems();
    std::vector<Contribution> all(positions.size());
    for (std::size_t k = 0; k < items.size(); ++k) {
        const int item = items[k];
        if (item < 0 || item >= static_cast<int>(positionOf_.size())) continue;
        const int target = positionOf_[static_cast<std::size_t>(item)];
        if (target < 0) continue;
        for (std::size_t j = 0; j < positions.size(); ++j)
            all[j] = {modelled[static_cast<std::size_t>(positions[j])],
                      base_.weight(positions[j], target)};
        for (int pair : pairs) {
            const float half = 0.5f * pairWeight(pair, target);
            all[slotOf(first_[static_cast<std::size_t>(pair)])].weight += half;
            all[slotOf(second_[static_cast<std::size_t>(pair)])].weight += half;
        }
        result[k] = strongestContributions(all, count);
    }
    return result;
}

void EasePairs::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<std::int32_t>(out, config_.pairs);
    binary::write<float>(out, config_.pairLambda);
    binary::write<float>(out, config_.pairDropout);
    binary::write<std::int32_t>(out, config_.pairItems);
    base_.save(out);
    binary::writeVector(out, first_);
    binary::writeVector(out, second_);
    binary::writeVector(out, pairWeights_);
    if (!out) throw std::runtime_error("ease_pairs: writing the model failed");
}

void EasePairs::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "ease_pairs body version");
    if (version != kBodyVersion)
        throw std::runtime_error("ease_pairs: unsupported body version " + std::to_string(version));
    EasePairsConfig config = config_;
    config.pairs = binary::read<std::int32_t>(in, "ease_pairs pair count");
    config.pairLambda = binary::read<float>(in, "ease_pairs pair lambda");
    config.pairDropout = binary::read<float>(in, "ease_pairs pair dropout");
    config.pairItems = binary::read<std::int32_t>(in, "ease_pairs pair items");
    if (config.pairs < 0 || !(config.pairLambda > 0.0f) || config.pairItems < 2 ||
        !(config.pairDropout >= 0.0f && config.pairDropout < 1.0f))
        throw std::runtime_error("ease_pairs: model body has an impossible header");
    Ease base(baseConfig(config_));
    base.load(in);  // its own errors say "ease: ..."
    config.base = base.config();
    config.base.threads = config_.base.threads;
    auto first = binary::readVector<int>(in, "ease_pairs pair firsts");
    auto second = binary::readVector<int>(in, "ease_pairs pair seconds");
    const auto n = static_cast<int>(base.modelledItems().size());
    if (first.size() != second.size() || first.size() > static_cast<std::size_t>(config.pairs))
        throw std::runtime_error("ease_pairs: model body has mismatched pair lists");
    std::set<std::pair<int, int>> seen;
    for (std::size_t k = 0; k < first.size(); ++k) {
        if (first[k] < 0 || first[k] >= second[k] || second[k] >= n ||
            !seen.emplace(first[k], second[k]).second)
            throw std::runtime_error("ease_pairs: model body has a bad pair (" +
                                     std::to_string(first[k]) + ", " + std::to_string(second[k]) +
                                     ")");
    }
    auto weights = binary::readVector<float>(in, "ease_pairs pair weights");
    if (weights.size() != first.size() * static_cast<std::size_t>(n))
        throw std::runtime_error(
            "ease_pairs: model body weight count does not match its pairs and items");
    if (!std::all_of(weights.begin(), weights.end(), [](float w) { return std::isfinite(w); }))
        throw std::runtime_error("ease_pairs: model body holds non-finite weights");
    config_ = config;
    base_ = std::move(base);
    first_ = std::move(first);
    second_ = std::move(second);
    pairWeights_ = std::move(weights);
    indexItems();
    indexPairs(n);
}

}  // namespace animerec

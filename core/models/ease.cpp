#include "models/ease.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <istream>
#include <limits>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>

#include "models/modelled_positions.h"
#include "models/row_sums.h"
#include "models/spd_inverse.h"
#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 4;  // 4 added the user weighting, 3 fullRank, 2 dropout

void validate(const EaseConfig& config) {
    if (!(config.lambda > 0.0f))
        throw std::invalid_argument("ease: lambda must be > 0, got " +
                                    std::to_string(config.lambda));
    if (!(config.dropout >= 0.0f && config.dropout < 1.0f))
        throw std::invalid_argument("ease: dropout must be in [0, 1), got " +
                                    std::to_string(config.dropout));
    if (config.maxItems < 1)
        throw std::invalid_argument("ease: maxItems must be >= 1, got " +
                                    std::to_string(config.maxItems));
    if (!(config.userWeightExponent >= 0.0f && config.userWeightExponent <= 4.0f))
        throw std::invalid_argument("ease: the user weight exponent must be in [0, 4], got " +
                                    std::to_string(config.userWeightExponent));
}

// Each user's weight in the Gram matrix, c n_u^-exponent, with c chosen so that the weighted
// entries sum to the unweighted count (lambda keeps its scale whatever the exponent).
std::vector<float> userWeights(const std::vector<std::vector<int>>& positionsOf, float exponent) {
    std::vector<float> weights(positionsOf.size(), 1.0f);
    if (exponent == 0.0f) return weights;
    double entries = 0.0, weighted = 0.0;
    for (std::size_t u = 0; u < positionsOf.size(); ++u) {
        const auto n = static_cast<double>(positionsOf[u].size());
        if (n == 0.0) continue;
        weights[u] = static_cast<float>(std::pow(n, -static_cast<double>(exponent)));
        entries += n;
        weighted += n * weights[u];
    }
    if (weighted > 0.0)
        for (float& w : weights) w *= static_cast<float>(entries / weighted);
    return weights;
}

}  // namespace

Ease::Ease(EaseConfig config) : config_(config) { validate(config_); }

void Ease::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const auto& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    const int threads = config_.threads > 0 ? config_.threads : defaultThreadCount();

    std::vector<std::vector<int>> rows;
    std::vector<int> items = mostFrequentItems(interactions, itemCount, config_.maxItems, &rows);
    std::vector<int> positionOf(static_cast<std::size_t>(itemCount), -1);
    for (std::size_t p = 0; p < items.size(); ++p)
        positionOf[static_cast<std::size_t>(items[p])] = static_cast<int>(p);
    const auto n = static_cast<int>(items.size());

    // Each user's titles, turned in place into their compact positions, ascending.
    std::vector<std::vector<int>> positionsOf = std::move(rows);
    for (std::vector<int>& positions : positionsOf) {
        std::size_t kept = 0;
        for (const int item : positions)
            if (const int p = positionOf[static_cast<std::size_t>(item)]; p >= 0)
                positions[kept++] = p;
        positions.resize(kept);
        std::sort(positions.begin(), positions.end());
    }
    // G = X^T W X (W the user weights, 1 by default), lower triangle, accumulated from each
    // user's co-occurring pairs.
    const std::vector<float> userWeight = userWeights(positionsOf, config_.userWeightExponent);
    Eigen::MatrixXf g = Eigen::MatrixXf::Zero(n, n);
    for (std::size_t user = 0; user < positionsOf.size(); ++user) {
        const std::vector<int>& positions = positionsOf[user];
        const float weight = userWeight[user];
        for (std::size_t a = 0; a < positions.size(); ++a) {
            float* column = g.col(positions[a]).data();
            for (std::size_t b = a; b < positions.size(); ++b) column[positions[b]] += weight;
        }
        if (user % 1024 == 0)
            reportProgress(progress, {"ease gram", static_cast<std::int64_t>(user),
                                      static_cast<std::int64_t>(positionsOf.size()), ""});
    }
    positionsOf.clear();
    const float emphasis = config_.dropout / (1.0f - config_.dropout);
    const Eigen::VectorXf ridge = g.diagonal().array() * emphasis + config_.lambda;  // Lambda
    g.diagonal() += ridge;
    invertSpdLower(g, threads, "ease inverse", "ease", progress);

    // Column i of B is column i of P scaled: by -1 / P[i, i] for EASE (Steck 2019, eq. 8), by
    // -Lambda[i] for full-rank EDLAE (Steck 2020, eq. 9). The diagonal stays 0.
    Eigen::VectorXf columnScale(n);
    for (int i = 0; i < n; ++i) columnScale[i] = config_.fullRank ? -ridge[i] : -1.0f / g(i, i);
    std::vector<float> weights(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0.0f);
    const auto N = static_cast<std::size_t>(n);
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            const float pji = g(j, i);
            weights[static_cast<std::size_t>(j) * N + static_cast<std::size_t>(i)] =
                pji * columnScale[i];
            weights[static_cast<std::size_t>(i) * N + static_cast<std::size_t>(j)] =
                pji * columnScale[j];
        }
    }
    itemCount_ = itemCount;
    items_ = std::move(items);
    positionOf_ = std::move(positionOf);
    weights_ = std::move(weights);
    indexUnmodelled();
}

std::vector<int> Ease::mostFrequentItems(const Interactions& interactions, int itemCount,
                                         int maxItems, std::vector<std::vector<int>>* rows) {
    // The most frequent items by distinct users, ties to the lower index for determinism.
    std::vector<int> userCounts(static_cast<std::size_t>(itemCount), 0);
    std::vector<std::vector<int>> distinct(static_cast<std::size_t>(interactions.userCount()));
    for (int user = 0; user < interactions.userCount(); ++user) {
        auto& row = distinct[static_cast<std::size_t>(user)];
        for (const auto& event : interactions.historyOf(user)) row.push_back(event.item);
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
        for (int item : row) ++userCounts[static_cast<std::size_t>(item)];
    }
    std::vector<int> order(static_cast<std::size_t>(itemCount));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return userCounts[static_cast<std::size_t>(a)] > userCounts[static_cast<std::size_t>(b)];
    });
    std::vector<int> items;
    for (int item : order) {
        if (static_cast<int>(items.size()) >= maxItems ||
            userCounts[static_cast<std::size_t>(item)] == 0)
            break;
        items.push_back(item);
    }
    if (rows) *rows = std::move(distinct);
    return items;
}

void Ease::adoptWeights(int itemCount, std::vector<int> items, std::vector<float> weights) {
    std::vector<int> positionOf(static_cast<std::size_t>(std::max(0, itemCount)), -1);
    for (std::size_t p = 0; p < items.size(); ++p) {
        const int item = items[p];
        if (item < 0 || item >= itemCount || positionOf[static_cast<std::size_t>(item)] >= 0)
            throw std::invalid_argument("ease: adopted weights have a bad item index");
        positionOf[static_cast<std::size_t>(item)] = static_cast<int>(p);
    }
    if (weights.size() != items.size() * items.size())
        throw std::invalid_argument("ease: adopted weights do not match their item count");
    itemCount_ = itemCount;
    items_ = std::move(items);
    positionOf_ = std::move(positionOf);
    weights_ = std::move(weights);
    indexUnmodelled();
}

void Ease::indexUnmodelled() {
    unmodelled_.clear();
    for (std::size_t item = 0; item < positionOf_.size(); ++item)
        if (positionOf_[item] < 0) unmodelled_.push_back(static_cast<int>(item));
}

void Ease::score(const UserQuery& query, std::span<float> scores) const {
    if (itemCount_ == 0 && items_.empty()) throw std::runtime_error("ease: model is not trained");
    const auto n = items_.size();
    // Buffers per thread rather than per request: score() runs on every HTTP worker at once.
    thread_local std::vector<float> accumulated;
    thread_local std::vector<int> positions;
    accumulated.resize(n);
    modelledPositions(query.history, positionOf_, positions);
    sumRowsInFours(weights_.data(), n, positions, accumulated.data());
    // Unmodelled items score lowest (scoreUnknownItemsLast's rule), from the modelled scores.
    float lowest = std::numeric_limits<float>::infinity();
    bool any = false;
    for (std::size_t p = 0; p < n; ++p) {
        const auto item = static_cast<std::size_t>(items_[p]);
        if (item >= scores.size()) continue;
        scores[item] = accumulated[p];
        any = true;
        lowest = std::min(lowest, accumulated[p]);
    }
    const float unknown = any ? lowest - 1.0f : 0.0f;
    for (const int item : unmodelled_) {
        if (static_cast<std::size_t>(item) >= scores.size()) break;
        scores[static_cast<std::size_t>(item)] = unknown;
    }
    for (std::size_t item = positionOf_.size(); item < scores.size(); ++item)
        scores[item] = unknown;
}

std::vector<Contribution> Ease::explain(const UserQuery& query, int item, int count) const {
    const int items[] = {item};
    return std::move(explainItems(query, items, count).front());
}

std::vector<std::vector<Contribution>> Ease::explainItems(const UserQuery& query,
                                                          std::span<const int> items,
                                                          int count) const {
    std::vector<std::vector<Contribution>> result(items.size());
    std::vector<int> positions;
    modelledPositions(query.history, positionOf_, positions);
    std::vector<Contribution> all(positions.size());
    for (std::size_t k = 0; k < items.size(); ++k) {
        const int item = items[k];
        if (item < 0 || item >= itemCount_) continue;
        const int target = positionOf_[static_cast<std::size_t>(item)];
        if (target < 0) continue;
        for (std::size_t j = 0; j < positions.size(); ++j)
            all[j] = {items_[static_cast<std::size_t>(positions[j])], weight(positions[j], target)};
        result[k] = strongestContributions(all, count);
    }
    return result;
}

void Ease::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<float>(out, config_.lambda);
    binary::write<std::int32_t>(out, config_.maxItems);
    binary::write<float>(out, config_.dropout);
    binary::write<std::uint8_t>(out, config_.fullRank ? 1 : 0);
    binary::write<float>(out, config_.userWeightExponent);
    binary::write<std::int32_t>(out, itemCount_);
    binary::writeVector(out, items_);
    binary::writeVector(out, weights_);
    if (!out) throw std::runtime_error("ease: writing the model failed");
}

void Ease::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "ease body version");
    if (version < 1 || version > kBodyVersion)
        throw std::runtime_error("ease: unsupported body version " + std::to_string(version));
    EaseConfig config = config_;
    config.lambda = binary::read<float>(in, "ease lambda");
    config.maxItems = binary::read<std::int32_t>(in, "ease max items");
    config.dropout = version >= 2 ? binary::read<float>(in, "ease dropout") : 0.0f;
    const auto fullRank = version >= 3 ? binary::read<std::uint8_t>(in, "ease full rank") : 0;
    if (fullRank > 1) throw std::runtime_error("ease: model body has a bad full-rank flag");
    config.fullRank = fullRank == 1;
    config.userWeightExponent =
        version >= 4 ? binary::read<float>(in, "ease user weight exponent") : 0.0f;
    const auto itemCount = binary::read<std::int32_t>(in, "ease item count");
    if (!(config.lambda > 0.0f) || config.maxItems < 1 || itemCount < 0 ||
        !(config.dropout >= 0.0f && config.dropout < 1.0f) ||
        !(config.userWeightExponent >= 0.0f && config.userWeightExponent <= 4.0f))
        throw std::runtime_error("ease: model body has an impossible header");
    auto items = binary::readVector<int>(in, "ease items");
    if (items.size() > static_cast<std::size_t>(itemCount))
        throw std::runtime_error("ease: model body lists more items than its catalogue");
    std::vector<int> positionOf(static_cast<std::size_t>(itemCount), -1);
    for (std::size_t p = 0; p < items.size(); ++p) {
        const int item = items[p];
        if (item < 0 || item >= itemCount || positionOf[static_cast<std::size_t>(item)] >= 0)
            throw std::runtime_error("ease: model body has a bad item index " +
                                     std::to_string(item));
        positionOf[static_cast<std::size_t>(item)] = static_cast<int>(p);
    }
    auto weights = binary::readVector<float>(in, "ease weights");
    if (weights.size() != items.size() * items.size())
        throw std::runtime_error("ease: model body weight count does not match its item count");
    if (!std::all_of(weights.begin(), weights.end(), [](float w) { return std::isfinite(w); }))
        throw std::runtime_error("ease: model body holds non-finite weights");
    config_ = config;
    itemCount_ = itemCount;
    items_ = std::move(items);
    positionOf_ = std::move(positionOf);
    weights_ = std::move(weights);
    indexUnmodelled();
}

}  // namespace animerec

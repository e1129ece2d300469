#include "models/infinite_ae.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <istream>
#include <numbers>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>

#include "models/ease.h"
#include "models/modelled_positions.h"
#include "models/spd_inverse.h"
#include "models/unknown_items.h"
#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;
// The weights are items x support users floats: a corrupt header must not allocate gigabytes.
constexpr std::uint64_t kMaxWeights = std::uint64_t{1} << 31;

void validate(const InfiniteAeConfig& config) {
    if (!(config.lambda > 0.0f))
        throw std::invalid_argument("inf_ae: lambda must be > 0, got " +
                                    std::to_string(config.lambda));
    if (config.maxItems < 1)
        throw std::invalid_argument("inf_ae: max_items must be >= 1, got " +
                                    std::to_string(config.maxItems));
    if (config.maxUsers < 1)
        throw std::invalid_argument("inf_ae: max_users must be >= 1, got " +
                                    std::to_string(config.maxUsers));
}

}  // namespace

InfiniteAe::InfiniteAe(InfiniteAeConfig config) : config_(config) { validate(config_); }

double InfiniteAe::kernel(double overlap, double sizeA, double sizeB, int width) {
    // Weight and bias variances of both Dense layers; the input covariance is x.y / width.
    constexpr double kWeight = 2.0, kBias = 0.01;
    constexpr double kPi = std::numbers::pi;
    const auto dense = [&](double covariance) { return kWeight * covariance + kBias; };
    const double cross = dense(overlap / width);
    const double product = dense(sizeA / width) * dense(sizeB / width);
    // ReLU of a Gaussian pair with covariance `cross`: the arc-cosine kernel of degree 1 (the
    // pair's covariance after the ReLU) and of degree 0 (that of the ReLU's derivatives, which
    // scales the tangent kernel so far).
    const double root = std::sqrt(std::max(0.0, product - cross * cross));
    const double angle = std::atan2(root, cross);
    const double afterRelu = (root + (kPi - angle) * cross) / (2.0 * kPi);
    const double tangentAfterRelu = cross * (kPi - angle) / (2.0 * kPi);
    // The last Dense layer: its own covariance plus the tangent kernel carried through W.
    return dense(afterRelu) + kWeight * tangentAfterRelu;
}

// Each position's support users, ascending, from the support rows.
void InfiniteAe::indexSupport() {
    const auto m = items_.size();
    itemOffsets_.assign(m + 1, 0);
    for (int p : userPositions_) ++itemOffsets_[static_cast<std::size_t>(p) + 1];
    for (std::size_t p = 0; p < m; ++p) itemOffsets_[p + 1] += itemOffsets_[p];
    itemUsers_.assign(userPositions_.size(), 0);
    std::vector<int> fill(itemOffsets_.begin(), itemOffsets_.end() - 1);
    for (int user = 0; user < supportUserCount(); ++user)
        for (int k = userOffsets_[static_cast<std::size_t>(user)];
             k < userOffsets_[static_cast<std::size_t>(user) + 1]; ++k)
            itemUsers_[static_cast<std::size_t>(
                fill[static_cast<std::size_t>(userPositions_[static_cast<std::size_t>(k)])]++)] =
                user;
}

void InfiniteAe::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    // Built aside, so a cancelled or failed fit leaves the model as it was.
    InfiniteAe next(config_);
    next.build(data, progress);
    *this = std::move(next);
}

void InfiniteAe::build(const Dataset& data, const ProgressCallback& progress) {
    const auto& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    const int threads = config_.threads > 0 ? config_.threads : defaultThreadCount();
    std::vector<std::vector<int>> rows;
    std::vector<int> items =
        Ease::mostFrequentItems(interactions, itemCount, config_.maxItems, &rows);
    if (items.empty()) throw std::invalid_argument("inf_ae: no interactions to train on");

    // Install the item index first: modelledPositions() and indexSupport() read it.
    itemCount_ = itemCount;
    items_ = std::move(items);
    positionOf_.assign(static_cast<std::size_t>(itemCount), -1);
    for (std::size_t p = 0; p < items_.size(); ++p)
        positionOf_[static_cast<std::size_t>(items_[p])] = static_cast<int>(p);
    std::vector<int> users;
    for (std::size_t u = 0; u < rows.size(); ++u)
        if (std::any_of(rows[u].begin(), rows[u].end(),
                        [&](int item) { return positionOf_[static_cast<std::size_t>(item)] >= 0; }))
            users.push_back(static_cast<int>(u));
    if (static_cast<int>(users.size()) > config_.maxUsers) {
        std::mt19937_64 random(config_.seed);
        std::shuffle(users.begin(), users.end(), random);
        users.resize(static_cast<std::size_t>(config_.maxUsers));
        std::sort(users.begin(), users.end());
    }
    userOffsets_.assign(1, 0);
    userPositions_.clear();
    for (int user : users) {
        for (int item : rows[static_cast<std::size_t>(user)])
            if (const int p = positionOf_[static_cast<std::size_t>(item)]; p >= 0)
                userPositions_.push_back(p);
        std::sort(userPositions_.begin() + userOffsets_.back(), userPositions_.end());
        userOffsets_.push_back(static_cast<int>(userPositions_.size()));
    }
    rows.clear();
    indexSupport();
    const int n = supportUserCount();
    const int width = modelledItemCount();
    const auto sizeOf = [&](int user) {
        return userOffsets_[static_cast<std::size_t>(user) + 1] -
               userOffsets_[static_cast<std::size_t>(user)];
    };

    // K over the support users, lower triangle: overlaps counted through the item lists.
    Eigen::MatrixXf k(n, n);
    parallelFor(0, n, threads, [&](int user) {
        thread_local std::vector<int> overlap;
        overlap.assign(static_cast<std::size_t>(n), 0);
        for (int a = userOffsets_[static_cast<std::size_t>(user)];
             a < userOffsets_[static_cast<std::size_t>(user) + 1]; ++a) {
            const auto p = static_cast<std::size_t>(userPositions_[static_cast<std::size_t>(a)]);
            for (int b = itemOffsets_[p]; b < itemOffsets_[p + 1]; ++b) {
                const int other = itemUsers_[static_cast<std::size_t>(b)];
                if (other > user) break;  // each list is ascending; the upper part is not needed
                ++overlap[static_cast<std::size_t>(other)];
            }
        }
        for (int other = 0; other <= user; ++other)
            k(user, other) = static_cast<float>(kernel(overlap[static_cast<std::size_t>(other)],
                                                       sizeOf(user), sizeOf(other), width));
    });
    reportProgress(progress, {"inf_ae kernel", n, n, ""});
    const float ridge = config_.lambda * k.diagonal().mean();
    k.diagonal().array() += ridge;
    invertSpdLower(k, threads, "inf_ae inverse", "inf_ae", progress);
    for (int j = 1; j < n; ++j) k.col(j).head(j) = k.row(j).head(j).transpose();  // symmetric

    // Row j of the weights = sum of the inverse's rows of the support users holding item j.
    weights_.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(n), 0.0f);
    parallelFor(0, width, threads, [&](int p) {
        Eigen::Map<Eigen::VectorXf> row(weights_.data() + static_cast<std::size_t>(p) * n, n);
        for (int b = itemOffsets_[static_cast<std::size_t>(p)];
             b < itemOffsets_[static_cast<std::size_t>(p) + 1]; ++b)
            row += k.col(itemUsers_[static_cast<std::size_t>(b)]);
    });
    reportProgress(progress, {"inf_ae weights", width, width, ""});
}

void InfiniteAe::score(const UserQuery& query, std::span<float> scores) const {
    if (items_.empty()) throw std::runtime_error("inf_ae: score() called before fit() or load()");
    const int n = supportUserCount();
    const int width = modelledItemCount();
    // Buffers per thread rather than per request: score() runs on every HTTP worker at once.
    thread_local std::vector<int> positions;
    thread_local std::vector<int> overlap;
    thread_local Eigen::VectorXf kernelRow;
    thread_local Eigen::VectorXf compact;
    modelledPositions(query.history, positionOf_, positions);
    overlap.assign(static_cast<std::size_t>(n), 0);
    for (int p : positions)
        for (int b = itemOffsets_[static_cast<std::size_t>(p)];
             b < itemOffsets_[static_cast<std::size_t>(p) + 1]; ++b)
            ++overlap[static_cast<std::size_t>(itemUsers_[static_cast<std::size_t>(b)])];
    kernelRow.resize(n);
    const auto size = static_cast<double>(positions.size());
    for (int user = 0; user < n; ++user)
        kernelRow[user] =
            static_cast<float>(kernel(overlap[static_cast<std::size_t>(user)], size,
                                      userOffsets_[static_cast<std::size_t>(user) + 1] -
                                          userOffsets_[static_cast<std::size_t>(user)],
                                      width));
    const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        weights(weights_.data(), width, n);
    compact.noalias() = weights * kernelRow;
    for (int p = 0; p < width; ++p)
        if (const auto item = static_cast<std::size_t>(items_[static_cast<std::size_t>(p)]);
            item < scores.size())
            scores[item] = compact[p];
    scoreUnknownItemsLast(scores, [this](std::size_t item) {
        return item < positionOf_.size() && positionOf_[item] >= 0;
    });
}

void InfiniteAe::save(std::ostream& out) const {
    if (items_.empty()) throw std::runtime_error("inf_ae: save() called before fit() or load()");
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<float>(out, config_.lambda);
    binary::write<std::int32_t>(out, config_.maxItems);
    binary::write<std::int32_t>(out, config_.maxUsers);
    binary::write<std::uint64_t>(out, config_.seed);
    binary::write<std::int32_t>(out, itemCount_);
    binary::writeVector(out, items_);
    binary::writeVector(out, userOffsets_);
    binary::writeVector(out, userPositions_);
    binary::writeVector(out, weights_);
    if (!out) throw std::runtime_error("inf_ae: write failed");
}

void InfiniteAe::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "inf_ae body version");
    if (version != kBodyVersion)
        throw std::runtime_error("inf_ae: unsupported body version " + std::to_string(version));
    InfiniteAeConfig config = config_;
    config.lambda = binary::read<float>(in, "inf_ae lambda");
    config.maxItems = binary::read<std::int32_t>(in, "inf_ae max items");
    config.maxUsers = binary::read<std::int32_t>(in, "inf_ae max users");
    config.seed = binary::read<std::uint64_t>(in, "inf_ae seed");
    const auto itemCount = binary::read<std::int32_t>(in, "inf_ae item count");
    const auto corrupt = [](const std::string& what) {
        return std::runtime_error("inf_ae: corrupt model body: " + what);
    };
    try {
        validate(config);
    } catch (const std::invalid_argument& error) {
        throw corrupt(error.what());
    }
    if (itemCount < 1 || itemCount > (1 << 24))
        throw corrupt("item count " + std::to_string(itemCount));
    auto items = binary::readVector<int>(in, "inf_ae items");
    if (items.empty() || items.size() > static_cast<std::size_t>(itemCount))
        throw corrupt(std::to_string(items.size()) + " modelled items for a catalogue of " +
                      std::to_string(itemCount));
    std::vector<int> positionOf(static_cast<std::size_t>(itemCount), -1);
    for (std::size_t p = 0; p < items.size(); ++p) {
        const int item = items[p];
        if (item < 0 || item >= itemCount || positionOf[static_cast<std::size_t>(item)] >= 0)
            throw corrupt("bad item index " + std::to_string(item));
        positionOf[static_cast<std::size_t>(item)] = static_cast<int>(p);
    }
    auto offsets = binary::readVector<int>(in, "inf_ae support offsets");
    auto positions = binary::readVector<int>(in, "inf_ae support histories");
    if (offsets.size() < 2 || offsets.front() != 0 ||
        offsets.back() != static_cast<int>(positions.size()) ||
        !std::is_sorted(offsets.begin(), offsets.end()))
        throw corrupt("support offsets do not describe the support histories");
    for (int p : positions)
        if (p < 0 || p >= static_cast<int>(items.size()))
            throw corrupt("support history position " + std::to_string(p));
    const std::uint64_t expected = static_cast<std::uint64_t>(items.size()) * (offsets.size() - 1);
    if (expected > kMaxWeights) throw corrupt("impossible weight count");
    auto weights = binary::readVector<float>(in, "inf_ae weights");
    if (weights.size() != expected)
        throw corrupt("weight count " + std::to_string(weights.size()) + ", expected " +
                      std::to_string(expected));
    if (!std::all_of(weights.begin(), weights.end(), [](float w) { return std::isfinite(w); }))
        throw corrupt("non-finite weights");
    config_ = config;
    itemCount_ = itemCount;
    items_ = std::move(items);
    positionOf_ = std::move(positionOf);
    userOffsets_ = std::move(offsets);
    userPositions_ = std::move(positions);
    weights_ = std::move(weights);
    indexSupport();
}

}  // namespace animerec

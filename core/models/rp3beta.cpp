#include "models/rp3beta.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;
constexpr int kRowBlock = 32;       // source items per parallel task (one scratch row each)
constexpr int kProgressSteps = 20;  // progress reports per fit

void validate(const Rp3BetaConfig& config) {
    if (!(config.alpha > 0.0f) || !std::isfinite(config.alpha))
        throw std::invalid_argument("rp3beta: alpha must be > 0, got " +
                                    std::to_string(config.alpha));
    if (!(config.beta >= 0.0f) || !std::isfinite(config.beta))
        throw std::invalid_argument("rp3beta: beta must be >= 0, got " +
                                    std::to_string(config.beta));
    if (config.neighbours < 0)
        throw std::invalid_argument("rp3beta: neighbours must be >= 0, got " +
                                    std::to_string(config.neighbours));
}

struct Row {
    std::vector<int> targets;
    std::vector<float> weights;
};

}  // namespace

Rp3Beta::Rp3Beta(Rp3BetaConfig config) : config_(config) { validate(config_); }

void Rp3Beta::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const auto& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    const int threads = config_.threads > 0 ? config_.threads : defaultThreadCount();

    // Distinct items per user (repeated events of one title are one edge of the graph) and the
    // transposed lists, so row i is built from the users of i alone.
    std::vector<std::vector<int>> itemsOf(static_cast<std::size_t>(interactions.userCount()));
    std::vector<std::vector<int>> usersOf(static_cast<std::size_t>(itemCount));
    for (int user = 0; user < interactions.userCount(); ++user) {
        auto& row = itemsOf[static_cast<std::size_t>(user)];
        for (const auto& event : interactions.historyOf(user)) row.push_back(event.item);
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
        for (int item : row) usersOf[static_cast<std::size_t>(item)].push_back(user);
    }
    // Transition weights: user -> item is 1 / deg_u, item -> user is 1 / pop_i, both ^alpha.
    std::vector<float> userStep(itemsOf.size()), sourceStep(static_cast<std::size_t>(itemCount)),
        targetPenalty(static_cast<std::size_t>(itemCount));
    for (std::size_t u = 0; u < itemsOf.size(); ++u)
        userStep[u] = itemsOf[u].empty()
                          ? 0.0f
                          : std::pow(static_cast<float>(itemsOf[u].size()), -config_.alpha);
    for (std::size_t i = 0; i < usersOf.size(); ++i) {
        const auto pop = static_cast<float>(usersOf[i].size());
        sourceStep[i] = pop > 0.0f ? std::pow(pop, -config_.alpha) : 0.0f;
        targetPenalty[i] = pop > 0.0f ? std::pow(pop, -config_.beta) : 0.0f;
    }

    std::vector<Row> rows(static_cast<std::size_t>(itemCount));
    const std::size_t keep =
        config_.neighbours > 0 ? static_cast<std::size_t>(config_.neighbours) : std::size_t(-1);
    const auto buildBlock = [&](int block) {
        std::vector<float> walk(static_cast<std::size_t>(itemCount), 0.0f);
        std::vector<int> reached;
        std::vector<std::pair<float, int>> candidates;
        const int first = block * kRowBlock, last = std::min(itemCount, first + kRowBlock);
        for (int source = first; source < last; ++source) {
            const auto s = static_cast<std::size_t>(source);
            if (usersOf[s].empty()) continue;
            reached.clear();
            for (int user : usersOf[s]) {
                const float step = userStep[static_cast<std::size_t>(user)];
                for (int target : itemsOf[static_cast<std::size_t>(user)]) {
                    float& cell = walk[static_cast<std::size_t>(target)];
                    if (cell == 0.0f) reached.push_back(target);
                    cell += step;
                }
            }
            candidates.clear();
            for (int target : reached) {
                const auto t = static_cast<std::size_t>(target);
                if (target != source)
                    candidates.emplace_back(sourceStep[s] * walk[t] * targetPenalty[t], target);
                walk[t] = 0.0f;
            }
            // Largest weights first, ties to the lower index, so pruning is deterministic.
            const auto stronger = [](const auto& a, const auto& b) {
                return a.first > b.first || (a.first == b.first && a.second < b.second);
            };
            if (candidates.size() > keep) {
                std::nth_element(candidates.begin(),
                                 candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                                 candidates.end(), stronger);
                candidates.resize(keep);
            }
            std::sort(candidates.begin(), candidates.end(),
                      [](const auto& a, const auto& b) { return a.second < b.second; });
            Row& row = rows[s];
            for (const auto& [weight, target] : candidates) {
                row.targets.push_back(target);
                row.weights.push_back(weight);
            }
        }
    };
    // Parallel within a slice, progress (and cancellation) between slices on this thread.
    const int blocks = (itemCount + kRowBlock - 1) / kRowBlock;
    const int slice = std::max(1, (blocks + kProgressSteps - 1) / kProgressSteps);
    for (int from = 0; from < blocks; from += slice) {
        reportProgress(
            progress,
            {"rp3beta walk", std::min<std::int64_t>(from * kRowBlock, itemCount), itemCount, ""});
        parallelFor(from, std::min(blocks, from + slice), threads, buildBlock, 1);
    }
    reportProgress(progress, {"rp3beta walk", itemCount, itemCount, ""});

    std::vector<std::int64_t> offsets(static_cast<std::size_t>(itemCount) + 1, 0);
    for (std::size_t i = 0; i < rows.size(); ++i)
        offsets[i + 1] = offsets[i] + static_cast<std::int64_t>(rows[i].targets.size());
    std::vector<int> targets;
    std::vector<float> weights;
    targets.reserve(static_cast<std::size_t>(offsets.back()));
    weights.reserve(static_cast<std::size_t>(offsets.back()));
    for (auto& row : rows) {
        targets.insert(targets.end(), row.targets.begin(), row.targets.end());
        weights.insert(weights.end(), row.weights.begin(), row.weights.end());
        row = Row{};
    }
    itemCount_ = itemCount;
    offsets_ = std::move(offsets);
    targets_ = std::move(targets);
    weights_ = std::move(weights);
}

std::vector<int> Rp3Beta::distinctHistory(std::span<const Event> history) const {
    std::vector<int> items;
    items.reserve(history.size());
    for (const auto& event : history)
        if (event.item >= 0 && event.item < itemCount_) items.push_back(event.item);
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    return items;
}

void Rp3Beta::score(const UserQuery& query, std::span<float> scores) const {
    if (offsets_.empty()) throw std::runtime_error("rp3beta: model is not trained");
    std::fill(scores.begin(), scores.end(), 0.0f);
    for (int source : distinctHistory(query.history)) {
        const auto s = static_cast<std::size_t>(source);
        for (auto e = offsets_[s]; e < offsets_[s + 1]; ++e) {
            const auto target = static_cast<std::size_t>(targets_[static_cast<std::size_t>(e)]);
            if (target < scores.size()) scores[target] += weights_[static_cast<std::size_t>(e)];
        }
    }
}

float Rp3Beta::weight(int source, int target) const {
    if (source < 0 || source >= itemCount_ || target < 0 || target >= itemCount_) return 0.0f;
    const auto begin = targets_.begin() + offsets_[static_cast<std::size_t>(source)];
    const auto end = targets_.begin() + offsets_[static_cast<std::size_t>(source) + 1];
    const auto it = std::lower_bound(begin, end, target);
    if (it == end || *it != target) return 0.0f;
    return weights_[static_cast<std::size_t>(it - targets_.begin())];
}

std::vector<Contribution> Rp3Beta::explain(const UserQuery& query, int item, int count) const {
    if (item < 0 || item >= itemCount_) return {};
    std::vector<Contribution> all;
    for (int source : distinctHistory(query.history)) all.push_back({source, weight(source, item)});
    return strongestContributions(std::move(all), count);
}

void Rp3Beta::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<float>(out, config_.alpha);
    binary::write<float>(out, config_.beta);
    binary::write<std::int32_t>(out, config_.neighbours);
    binary::write<std::int32_t>(out, itemCount_);
    binary::writeVector(out, offsets_);
    binary::writeVector(out, targets_);
    binary::writeVector(out, weights_);
    if (!out) throw std::runtime_error("rp3beta: writing the model failed");
}

void Rp3Beta::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "rp3beta body version");
    if (version != kBodyVersion)
        throw std::runtime_error("rp3beta: unsupported body version " + std::to_string(version));
    Rp3BetaConfig config = config_;
    config.alpha = binary::read<float>(in, "rp3beta alpha");
    config.beta = binary::read<float>(in, "rp3beta beta");
    config.neighbours = binary::read<std::int32_t>(in, "rp3beta neighbours");
    const auto itemCount = binary::read<std::int32_t>(in, "rp3beta item count");
    if (!(config.alpha > 0.0f) || !(config.beta >= 0.0f) || config.neighbours < 0 || itemCount < 0)
        throw std::runtime_error("rp3beta: model body has an impossible header");
    auto offsets = binary::readVector<std::int64_t>(in, "rp3beta offsets");
    auto targets = binary::readVector<int>(in, "rp3beta targets");
    auto weights = binary::readVector<float>(in, "rp3beta weights");
    if (offsets.size() != static_cast<std::size_t>(itemCount) + 1 || offsets.front() != 0 ||
        offsets.back() != static_cast<std::int64_t>(targets.size()) ||
        targets.size() != weights.size())
        throw std::runtime_error("rp3beta: model body sizes do not match its item count");
    for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
        if (offsets[i + 1] < offsets[i])
            throw std::runtime_error("rp3beta: model body has decreasing row offsets");
        for (auto e = offsets[i]; e < offsets[i + 1]; ++e) {
            const int target = targets[static_cast<std::size_t>(e)];
            if (target < 0 || target >= itemCount ||
                (e > offsets[i] && targets[static_cast<std::size_t>(e) - 1] >= target))
                throw std::runtime_error("rp3beta: model body has a bad target index " +
                                         std::to_string(target));
        }
    }
    if (!std::all_of(weights.begin(), weights.end(),
                     [](float w) { return std::isfinite(w) && w >= 0.0f; }))
        throw std::runtime_error("rp3beta: model body holds negative or non-finite weights");
    config_ = config;
    itemCount_ = itemCount;
    offsets_ = std::move(offsets);
    targets_ = std::move(targets);
    weights_ = std::move(weights);
}

}  // namespace animerec

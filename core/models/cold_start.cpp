#include "models/cold_start.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/content_based.h"
#include "models/popularity.h"

namespace animerec {

namespace {

// SplitMix64 (Steele et al.): a fixed, portable generator, so a seed gives the same sample on
// every platform (std:: distributions are implementation-defined).
std::uint64_t splitMix(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double uniformOpen(std::uint64_t& state) {
    // 53 random bits in (0, 1): never exactly 0, so log() below stays finite.
    return (static_cast<double>(splitMix(state) >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace

int usableEventCount(std::span<const Event> history) {
    return static_cast<int>(std::count_if(history.begin(), history.end(), [](const Event& event) {
        return event.status != WatchStatus::PlanToWatch;
    }));
}

const char* chooseStrategy(std::span<const Event> history, bool genresRequested,
                           const ColdStartConfig& config) {
    const int usable = usableEventCount(history);
    if (usable == 0) return genresRequested ? kStrategyPopularInGenres : kStrategyPopular;
    if (usable < config.fewInteractionsThreshold) return kStrategyContentFromHistory;
    return kStrategyPersonal;
}

RecommendationPolicy::RecommendationPolicy(const PopularityModel& popularity,
                                           const ContentBasedModel* content, ColdStartConfig config)
    : popularity_(popularity), content_(content), config_(config) {
    if (config_.fewInteractionsThreshold < 0)
        throw std::invalid_argument("cold start: fewInteractionsThreshold must be >= 0");
    if (config_.explorationPool < 1)
        throw std::invalid_argument("cold start: explorationPool must be >= 1");
    if (!(config_.explorationShare >= 0.0 && config_.explorationShare <= 1.0))
        throw std::invalid_argument("cold start: explorationShare must be in [0, 1], got " +
                                    std::to_string(config_.explorationShare));
}

int RecommendationPolicy::catalogSize() const {
    return std::max(popularity_.itemCount(), content_ ? content_->itemCount() : 0);
}

RecommendationResult RecommendationPolicy::recommend(const RecommendationRequest& request,
                                                     const Recommender* personal) const {
    if (request.count < 0)
        throw std::invalid_argument("count must be >= 0, got " + std::to_string(request.count));
    std::vector<int> excluded = request.exclude;
    for (const Event& event : request.query.history) excluded.push_back(event.item);

    const std::string strategy =
        chooseStrategy(request.query.history, !request.genres.empty(), config_);
    if (strategy == kStrategyPersonal && personal)
        return fromModel(*personal, request, excluded, kStrategyPersonal);
    if (strategy != kStrategyPopular && strategy != kStrategyPopularInGenres) {
        // Short history, or a long one with no personal model: content still uses all of it.
        if (content_) return fromModel(*content_, request, excluded, kStrategyContentFromHistory);
        if (personal) return fromModel(*personal, request, excluded, kStrategyPersonal);
    }
    return popular(request, excluded);
}

RecommendationResult RecommendationPolicy::fromModel(const Recommender& model,
                                                     const RecommendationRequest& request,
                                                     const std::vector<int>& excluded,
                                                     const char* strategy) const {
    return {model.recommend(request.query, catalogSize(), request.count, excluded), strategy};
}

RecommendationResult RecommendationPolicy::popular(const RecommendationRequest& request,
                                                   const std::vector<int>& excluded) const {
    const bool inGenres = !request.genres.empty();
    // Ask for enough to survive the exclusions, then drop them (histories here are short).
    const bool exploring = config_.explorationShare > 0.0;
    const int depth =
        (exploring ? std::max(config_.explorationPool, request.count) : request.count) +
        static_cast<int>(excluded.size());
    std::vector<ScoredItem> ranked =
        inGenres ? popularity_.topInGenres(request.genres, depth) : popularity_.top(depth);
    std::vector<int> sortedExcluded = excluded;
    std::sort(sortedExcluded.begin(), sortedExcluded.end());
    std::erase_if(ranked, [&](const ScoredItem& item) {
        return std::binary_search(sortedExcluded.begin(), sortedExcluded.end(), item.item);
    });
    std::string strategy = inGenres ? kStrategyPopularInGenres : kStrategyPopular;
    if (exploring) {
        if (static_cast<int>(ranked.size()) > config_.explorationPool)
            ranked.resize(static_cast<std::size_t>(config_.explorationPool));
        ranked = explore(std::move(ranked), request.count, request.explorationKey);
        strategy += kStrategyExplorationSuffix;
    } else if (static_cast<int>(ranked.size()) > request.count) {
        ranked.resize(static_cast<std::size_t>(request.count));
    }
    return {std::move(ranked), strategy};
}

std::vector<ScoredItem> RecommendationPolicy::explore(std::vector<ScoredItem> ranked, int count,
                                                      std::uint64_t key) const {
    // The first (1 - share) of the slots keep the top titles; the others are sampled from the
    // rest of the pool.
    const int available = std::min(count, static_cast<int>(ranked.size()));
    const int sampled = static_cast<int>(std::lround(config_.explorationShare * available));
    const auto kept = static_cast<std::size_t>(available - sampled);
    std::vector<ScoredItem> rest(ranked.begin() + static_cast<std::ptrdiff_t>(kept), ranked.end());
    ranked.resize(kept);
    for (const ScoredItem& item : sample(std::move(rest), sampled, key)) ranked.push_back(item);
    // Present the list best first, like any other.
    std::sort(ranked.begin(), ranked.end(), [](const ScoredItem& a, const ScoredItem& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    });
    return ranked;
}

std::vector<ScoredItem> RecommendationPolicy::sample(std::vector<ScoredItem> pool, int count,
                                                     std::uint64_t key) const {
    if (static_cast<int>(pool.size()) <= count) return pool;
    if (count <= 0) return {};
    // Weighted sampling without replacement (Efraimidis & Spirakis 2006): key = log(u) / w, keep
    // the largest keys. Weights are the popularity scores (shifted up when some are <= 0), so the
    // very top items still appear most often, but not for everyone.
    float lowest = pool.front().score;
    for (const auto& item : pool) lowest = std::min(lowest, item.score);
    std::uint64_t state = config_.seed ^ (key * 0x9e3779b97f4a7c15ull);
    std::vector<std::pair<double, std::size_t>> keys;
    keys.reserve(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) {
        const double weight =
            static_cast<double>(lowest > 0.0f ? pool[i].score : pool[i].score - lowest) + 1e-3;
        keys.emplace_back(std::log(uniformOpen(state)) / weight, i);
    }
    std::partial_sort(keys.begin(), keys.begin() + count, keys.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<ScoredItem> chosen;
    for (int i = 0; i < count; ++i)
        chosen.push_back(pool[keys[static_cast<std::size_t>(i)].second]);
    return chosen;
}

}  // namespace animerec

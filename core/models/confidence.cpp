#include "models/confidence.h"

#include <algorithm>

namespace animerec {

namespace {

// Share of the show seen, or 1 when either count is unknown (no evidence of stopping early).
float watchedShare(const Event& event, int episodes) {
    if (event.watchedEpisodes < 0 || episodes <= 0) return 1.0f;
    return std::clamp(static_cast<float>(event.watchedEpisodes) / static_cast<float>(episodes),
                      0.0f, 1.0f);
}

}  // namespace

float interactionStrength(const Event& event, int episodes, const ConfidenceConfig& config) {
    float strength = 0.0f;
    switch (event.status) {
        case WatchStatus::Unknown:
            strength = config.unknownStatus;
            break;
        case WatchStatus::Completed:
            strength = config.completed;
            break;
        case WatchStatus::Watching:
            strength = config.watching * (0.5f + 0.5f * watchedShare(event, episodes));
            break;
        case WatchStatus::OnHold:
            strength = config.onHold * (0.5f + 0.5f * watchedShare(event, episodes));
            break;
        case WatchStatus::Dropped:
            strength = config.dropped;
            break;
        case WatchStatus::PlanToWatch:
            strength = config.planToWatch;
            break;
    }
    if (event.rating > 0.0f && config.ratingInfluence != 0.0f) {
        // Centred near the typical MAL score so an unrated and a "7" weigh the same; the floor
        // keeps a watched-but-hated title a (weak) positive rather than flipping its sign.
        const float factor = 1.0f + config.ratingInfluence * (event.rating - 7.0f) / 3.0f;
        strength *= std::max(0.1f, factor);
    }
    return std::max(0.0f, strength);
}

std::vector<WeightedItem> weightedHistory(std::span<const Event> history, int itemCount,
                                          std::span<const int> episodesByItem,
                                          const ConfidenceConfig& config) {
    std::vector<WeightedItem> row;
    row.reserve(history.size());
    for (const auto& event : history) {
        if (event.item < 0 || event.item >= itemCount) continue;
        const auto index = static_cast<std::size_t>(event.item);
        const int episodes = index < episodesByItem.size() ? episodesByItem[index] : -1;
        const float strength = interactionStrength(event, episodes, config);
        if (strength > 0.0f) row.push_back({event.item, strength});
    }
    std::sort(row.begin(), row.end(), [](const WeightedItem& a, const WeightedItem& b) {
        return a.item < b.item || (a.item == b.item && a.strength > b.strength);
    });
    row.erase(
        std::unique(row.begin(), row.end(),
                    [](const WeightedItem& a, const WeightedItem& b) { return a.item == b.item; }),
        row.end());
    return row;
}

std::vector<int> episodesByItem(const Catalog& catalog) {
    std::vector<int> episodes(static_cast<std::size_t>(catalog.size()), -1);
    for (int i = 0; i < catalog.size(); ++i)
        episodes[static_cast<std::size_t>(i)] = catalog.at(i).episodes.value_or(-1);
    return episodes;
}

WeightedMatrix WeightedMatrix::transposed() const {
    WeightedMatrix result;
    result.rows = cols;
    result.cols = rows;
    result.offsets.assign(static_cast<std::size_t>(cols) + 1, 0);
    for (const auto& entry : entries) ++result.offsets[static_cast<std::size_t>(entry.item) + 1];
    for (std::size_t c = 0; c < static_cast<std::size_t>(cols); ++c)
        result.offsets[c + 1] += result.offsets[c];
    result.entries.resize(entries.size());
    std::vector<std::int64_t> cursor(result.offsets.begin(), result.offsets.end() - 1);
    // Walking rows in order leaves each transposed row sorted by its new column index.
    for (int r = 0; r < rows; ++r)
        for (const auto& entry : row(r))
            result.entries[static_cast<std::size_t>(
                cursor[static_cast<std::size_t>(entry.item)]++)] = {r, entry.strength};
    return result;
}

WeightedMatrix buildWeightedMatrix(const Dataset& data, const ConfidenceConfig& config) {
    const auto& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    const auto episodes = episodesByItem(data.catalog);
    WeightedMatrix matrix;
    matrix.rows = interactions.userCount();
    matrix.cols = itemCount;
    matrix.offsets.reserve(static_cast<std::size_t>(matrix.rows) + 1);
    matrix.entries.reserve(static_cast<std::size_t>(interactions.size()));
    for (int user = 0; user < matrix.rows; ++user) {
        const auto row = weightedHistory(interactions.historyOf(user), itemCount, episodes, config);
        matrix.entries.insert(matrix.entries.end(), row.begin(), row.end());
        matrix.offsets.push_back(static_cast<std::int64_t>(matrix.entries.size()));
    }
    return matrix;
}

}  // namespace animerec

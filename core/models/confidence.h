#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.h"

namespace animerec {

// How strongly one interaction says "the user likes this item", f(event) >= 0. Implicit ALS turns
// it into a confidence c = 1 + alpha * f (Hu, Koren & Volinsky 2008, eq. 6 with r_ui = f).
// Uses whatever the data has: the list status, the share of episodes watched (the Catalog knows
// episode counts) and an explicit rating when present.
struct ConfidenceConfig {
    float unknownStatus = 1.0f;    // files without a status (CooperUnion rating.csv): watched
    float completed = 1.0f;        // finished the show
    float watching = 0.8f;         // scaled by 0.5 + 0.5 * watched share when episodes are known
    float onHold = 0.5f;           // scaled like watching
    float dropped = 0.2f;          // a weak positive: the user chose it, then stopped
    float planToWatch = 0.3f;      // intent only
    float ratingInfluence = 0.0f;  // 0 = ratings ignored; r multiplies by 1 + influence*(r-7)/3
};

// One (item, strength) entry of a user's deduplicated row.
struct WeightedItem {
    int item = 0;
    float strength = 0.0f;
};

// f(event) >= 0 for one event. `episodes` is the item's episode count, <= 0 when unknown.
float interactionStrength(const Event& event, int episodes, const ConfidenceConfig& config);

// A history as sorted, deduplicated (item, strength) pairs (the largest strength wins for a
// repeated item). Items outside [0, itemCount) and zero strengths are dropped.
// `episodesByItem` may be empty (episode counts unknown).
std::vector<WeightedItem> weightedHistory(std::span<const Event> history, int itemCount,
                                          std::span<const int> episodesByItem,
                                          const ConfidenceConfig& config);

// Episode count per catalogue item (<= 0 when unknown), for weightedHistory().
std::vector<int> episodesByItem(const Catalog& catalog);

// The whole interaction matrix as weighted rows (CSR by user) and its transpose (CSR by item),
// which is what alternating least squares sweeps over.
struct WeightedMatrix {
    int rows = 0;
    int cols = 0;
    std::vector<std::int64_t> offsets{0};  // rows + 1 entries
    std::vector<WeightedItem> entries;     // `item` is the column index

    std::span<const WeightedItem> row(int r) const {
        const auto begin = static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]);
        const auto end = static_cast<std::size_t>(offsets[static_cast<std::size_t>(r) + 1]);
        return std::span<const WeightedItem>(entries).subspan(begin, end - begin);
    }
    // The transpose (cols x rows), entries of each row sorted by column.
    WeightedMatrix transposed() const;
};

// Builds the user x item weighted matrix of `data` (one weightedHistory() per user).
WeightedMatrix buildWeightedMatrix(const Dataset& data, const ConfidenceConfig& config);

}  // namespace animerec

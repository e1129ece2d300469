#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/anime_record.h"

namespace animerec {

// The anime catalogue in memory. Items are addressed by a dense index 0..size()-1 (the order
// they were added), which is the item index every model and the Interactions matrix use.
class Catalog {
public:
    // Adds an anime and returns its index; throws std::invalid_argument on a duplicate id.
    int add(AnimeRecord record);

    int size() const { return static_cast<int>(items_.size()); }
    const AnimeRecord& at(int index) const { return items_.at(static_cast<std::size_t>(index)); }
    const std::vector<AnimeRecord>& items() const { return items_; }

    // Dense index of a MAL anime id; nullopt when the id is not in the catalogue.
    std::optional<int> indexOf(std::int64_t animeId) const;
    std::int64_t idAt(int index) const { return at(index).animeId; }

    // Genre vocabulary in first-seen order, and each item's genre ids into it.
    const std::vector<std::string>& genreNames() const { return genreNames_; }
    const std::vector<int>& genreIdsOf(int index) const {
        return itemGenreIds_.at(static_cast<std::size_t>(index));
    }
    std::optional<int> genreIdOf(const std::string& genre) const;

private:
    std::vector<AnimeRecord> items_;
    std::unordered_map<std::int64_t, int> indexById_;
    std::vector<std::string> genreNames_;
    std::unordered_map<std::string, int> genreIdByName_;
    std::vector<std::vector<int>> itemGenreIds_;
};

}  // namespace animerec

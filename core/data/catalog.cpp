#include "data/catalog.h"

#include <stdexcept>

namespace animerec {

int Catalog::add(AnimeRecord record) {
    const int index = size();
    if (!indexById_.emplace(record.animeId, index).second)
        throw std::invalid_argument("duplicate anime_id " + std::to_string(record.animeId));
    std::vector<int> genreIds;
    for (const auto& genre : record.genres) {
        auto [it, inserted] = genreIdByName_.emplace(genre, static_cast<int>(genreNames_.size()));
        if (inserted) genreNames_.push_back(genre);
        genreIds.push_back(it->second);
    }
    itemGenreIds_.push_back(std::move(genreIds));
    items_.push_back(std::move(record));
    return index;
}

std::optional<int> Catalog::indexOf(std::int64_t animeId) const {
    const auto it = indexById_.find(animeId);
    if (it == indexById_.end()) return std::nullopt;
    return it->second;
}

std::optional<int> Catalog::genreIdOf(const std::string& genre) const {
    const auto it = genreIdByName_.find(genre);
    if (it == genreIdByName_.end()) return std::nullopt;
    return it->second;
}

}  // namespace animerec

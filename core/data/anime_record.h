#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace animerec {

// One catalogue row as read from a CSV or the database; absent values are std::nullopt.
struct AnimeRecord {
    std::int64_t animeId = 0;
    std::string title;
    std::vector<std::string> genres;      // in file order, trimmed, no empties
    std::string type;                     // "TV", "Movie", ...; empty when unknown
    std::optional<int> episodes;          // nullopt for "Unknown"
    std::optional<double> rating;         // community mean score 1..10
    std::optional<std::int64_t> members;  // MAL members count
};

// Genres joined the way the CSVs write them ("Action, Comedy").
std::string joinGenres(const std::vector<std::string>& genres);
// Inverse of joinGenres; trims blanks and drops empty entries.
std::vector<std::string> splitGenres(const std::string& text);

}  // namespace animerec

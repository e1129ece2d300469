#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace animerec {

// MyAnimeList list status codes, as used by the 2020 dataset and the brief's animelist.csv.
enum class WatchStatus : std::uint8_t {
    Unknown = 0,  // the file has no status (CooperUnion rating.csv): treated as watched
    Watching = 1,
    Completed = 2,
    OnHold = 3,
    Dropped = 4,
    PlanToWatch = 6,
};

// Parses "Completed", "Plan to Watch", "On-Hold", "Currently Watching", ... or a code "1".."6".
std::optional<WatchStatus> parseWatchStatus(const std::string& text);
// Canonical text ("Completed", "Plan to Watch", ...); "" for Unknown.
const char* watchStatusName(WatchStatus status);

// The header of the brief's animelist.csv layout, which the generator and split exports write.
inline constexpr std::string_view kAnimelistCsvHeader =
    "user_id,anime_id,rating,status,watched_episodes";

// One user-anime row as read from a CSV or the database.
struct InteractionRecord {
    std::int64_t userId = 0;
    std::int64_t animeId = 0;
    std::optional<int> rating;  // 1..10; nullopt = not rated (-1 / 0 / empty in files)
    WatchStatus status = WatchStatus::Unknown;
    std::optional<int> watchedEpisodes;
    std::optional<std::int64_t> timestamp;  // seconds since the epoch, when the file has one
    std::string userName;                   // only for files keyed by user name (2018 dataset)
};

}  // namespace animerec

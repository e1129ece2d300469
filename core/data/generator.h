#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "data/generator_config.h"
#include "util/progress.h"

namespace animerec {

// What one generator run wrote.
struct GeneratorStats {
    std::int64_t users = 0;         // users written (each has >= 1 row)
    std::int64_t anime = 0;         // catalogue rows
    std::int64_t interactions = 0;  // animelist rows
    std::int64_t rated = 0;         // animelist rows with a score
};

// Writes a synthetic MyAnimeList-like dataset:
//   animeCsv:     anime_id,title,genre,type,episodes,rating,members  (genres "Action, Comedy";
//                 rating = mean of the generated scores, 2 decimals, empty when nobody scored;
//                 members = number of list entries)
//   animelistCsv: user_id,anime_id,rating,status,watched_episodes  (rating empty = unscored;
//                 status Watching|Completed|On-Hold|Dropped|Plan to Watch; a user's rows in
//                 watch order, a sequel only after its completed prequel, no repeated pairs).
// Streams user by user: memory is O(anime + one user's list), independent of config.users.
// Same config -> identical bytes on every platform. animelistCsv is written (and flushed)
// before animeCsv, whose statistics depend on it. Reports stage "generate" (done/total users)
// about every 1% of users. Throws std::invalid_argument for a bad config, std::runtime_error
// when a stream fails, OperationCancelled when `progress` returns false.
GeneratorStats generateDataset(const GeneratorConfig& config, std::ostream& animeCsv,
                               std::ostream& animelistCsv, const ProgressCallback& progress = {});

// generateDataset into `directory`/anime.csv and `directory`/animelist.csv, creating the
// directory. Throws std::runtime_error naming the path when it cannot be created or written.
GeneratorStats generateDatasetFiles(const GeneratorConfig& config, const std::string& directory,
                                    const ProgressCallback& progress = {});

}  // namespace animerec

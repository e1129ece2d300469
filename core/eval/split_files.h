#pragma once

#include <cstdint>
#include <string>

namespace animerec {

class Catalog;
struct Split;

// How the train part of an exported split is written. The test part is always the ratings
// layout (user_id,anime_id,rating; -1 = not rated): its order plays no part in evaluation.
enum class SplitFileLayout {
    // user_id,anime_id,rating in each user's history order; read back, the row position is the
    // order (CooperUnion protocols, whose files carry no time).
    Ratings,
    // The 2022 update scrape's layout (user_id,anime_id,score,status,episodes_seen,
    // episodes_total,updated_at) with Event::order written as the ISO-8601 UTC time: read back,
    // the times give the order, and equal times keep the file's (the split's) order.
    Updates,
    // The animelist layout the generator writes (user_id,anime_id,rating,status,watched_episodes)
    // in each user's history order: it keeps the watch status, which the models read (Plan to
    // Watch and Dropped entries are not watched titles); read back, the row position is the order.
    Animelist,
};

// Writes `split` as two CSV files over `catalog`'s anime ids, so that `animerec evaluate --anime
// ANIME --train TRAIN --test TEST` and the reference scripts in bench/reference score exactly
// this split. Users without held-out items are written to train only. Throws
// std::runtime_error naming the file when it cannot be written, std::invalid_argument when the
// updates layout meets an event without a watch status (that layout requires one).
void writeSplitFiles(const Split& split, const Catalog& catalog, SplitFileLayout layout,
                     const std::string& trainPath, const std::string& testPath);

// "YYYY-MM-DDTHH:MM:SSZ" of seconds since the Unix epoch (the inverse of parseDateTime).
std::string isoDateTime(std::int64_t secondsSinceEpoch);

}  // namespace animerec

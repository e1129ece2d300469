#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/csv_layouts.h"
#include "data/dataset.h"
#include "eval/split.h"

namespace animerec {

// Protocol P3: next title in real time order. The CooperUnion files carry no time and are sorted
// by (user_id, anime_id), so "last in file order" there is each user's largest anime_id (P2); the
// files read here carry the time of each list update (the 2022 update scrape's updated_at, the
// 2018 lists' my_last_updated), so their order is the order the user acted in.

struct LatestUpdatesOptions {
    // Orders the titles of one user that share an update time (the 2022 scrape's times are
    // rounded "x minutes ago"): a hash of (seed, user id, catalogue index), so the tie is broken
    // neither by the id nor by the file's order, which is sorted by anime id.
    std::uint64_t tieSeed = 42;
};

// One event per (user, title): the title's latest update; Event::order is its time (seconds
// since the epoch), rows without a time are left out.
struct LatestUpdates {
    Dataset data;
    std::string layout;              // the interactions layout read
    std::int64_t rowsRead = 0;       // rows accepted by the reader with a known anime_id
    std::int64_t untimedRows = 0;    // of those, rows with no time (left out)
    std::int64_t collapsedRows = 0;  // of those, earlier updates of a listed (user, title)
    std::vector<CsvReject> rejects;  // malformed rows and unknown anime ids
};

// Reads `animePath` (any anime layout) and `updatesPath`, which must be a layout with update
// times (mal_updates_2022 user updates, Azathoth 2018 animelists). Throws std::invalid_argument
// naming the file and its layout when the layout has no time column, std::runtime_error when a
// file cannot be opened.
LatestUpdates loadLatestUpdates(const std::string& animePath, const std::string& updatesPath,
                                const LatestUpdatesOptions& options = {});

// The collapsing step of loadLatestUpdates on interactions whose Event::order is a time: each
// (user, title)'s latest event (of two at the same time, the later in history), each user's
// titles ordered by time and ties by the seeded hash. Adds the number of events dropped to
// `collapsed` when given.
Interactions latestPerTitle(const Interactions& timed, const LatestUpdatesOptions& options = {},
                            std::int64_t* collapsed = nullptr);

struct NextItemOptions {
    int minTitles = 5;  // users with fewer titles are not evaluated
    // Short histories still teach co-occurrence and popularity; they are never tested.
    bool keepShortHistoriesInTrain = true;
};

// P3's split: each user with at least minTitles titles holds out their latest title (test);
// every other event, in time order, trains. Sequence models hold the next-to-last out of train
// themselves for validation (nextItemValidation() gives the same split for other models).
// Ranked by full ranking over the titles occurring in train, K = 10. protocol = next_item_time.
Split nextItemSplit(const Interactions& latest, const NextItemOptions& options = {});

// The validation split inside P3's train part: the same rule one step earlier (the
// second-to-last title of each tested user), so no choice is made on the test titles.
Split nextItemValidation(const Interactions& train, const NextItemOptions& options = {});

}  // namespace animerec

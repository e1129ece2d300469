#pragma once

#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/split.h"
#include "eval/time_order.h"

namespace animerec::real {

// The evaluation protocols every issue's reference figures were measured on, built from the
// real CooperUnion files shipped in data/sample (see its SOURCES.md). One definition shared by
// tests and benchmarks, so their numbers are comparable.

// Directory holding the CooperUnion sample ("<repo>/data/sample").
std::string sampleDirectory();
// Directory holding the real layouts not shipped (ANIMEREC_REAL_DATA_DIR from the environment,
// else the build's default ../shared/data/real).
std::string realDataDirectory();

// The CooperUnion union behind P1 and P2: anime.csv as the catalogue; rating_head_users1-1036.csv
// with its user ids; the caserec 5,000-user sample (part1 + part2) with user ids offset by
// 100,000 and its users 1-68 dropped (they are head-file users, see SOURCES.md). Every row is a
// positive; events keep file order. 5,968 users.
Dataset cooperUnionUnion();

// P2 (leave last one out): over a compact catalogue of the anime occurring in `all` (first-seen
// order, records copied), each user with at least 3 events loses the last one to `tests`; every
// other event, in order, goes to `train`. Session models hold out the next-to-last themselves.
// Ranked by full ranking over that compact catalogue, K = 10.
struct LeaveLastOne {
    Dataset train;
    std::vector<std::pair<int, int>> tests;  // (user index in train, held-out catalogue index)
};
LeaveLastOne p2Split(const Dataset& all);

// P1: users with at least 5 interactions, 20% per-user random holdout, seed 42.
Split p1Split(const Dataset& all);
// How P1 ranks: full ranking over the anime occurring in train, K = 10.
EvaluatorOptions protocolOptions(bool confidenceIntervals = false);

// P3 (next title in real time order, eval/time_order.h): the latest update of each (user,
// title), users with at least 5 titles hold out their latest; short histories stay in train.
struct TimeOrdered {
    std::string name;       // "2022 updates", "2018 lists"
    std::string animePath;  // the catalogue file, for exports and reference scripts
    LatestUpdates source;   // counts of what was read, collapsed and left out
    Split split;
};
// mal_updates_2022: anime_top200.csv + user_updates_top200.csv (June 2022, 199 titles).
TimeOrdered p3Updates2022();
// azathoth42: cooperunion/anime.csv + animelists_cleaned_head10k.csv (18 users; my_last_updated).
TimeOrdered p3Lists2018();

}  // namespace animerec::real

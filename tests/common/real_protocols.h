#pragma once

#include <string>

#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/split.h"

namespace animerec::real {

// The evaluation protocols every issue's reference figures were measured on, built from the
// real CooperUnion files in ANIMEREC_REAL_DATA_DIR (never copied into the repository). One
// definition shared by tests and benchmarks, so their numbers are comparable.

// Directory holding the real data ("<repo>/../shared/data/real" unless ANIMEREC_REAL_DATA_DIR is
// set in the environment).
std::string dataDirectory();

// The CooperUnion union behind P1 (and P2, whose leave-last-one split bench_session makes): anime.csv as the catalogue; rating_head_users1-1036.csv
// with its user ids; the caserec 5,000-user sample (part1 + part2) with user ids offset by
// 100,000 and its users 1-68 dropped (they are head-file users, see SOURCES.md). Every row is a
// positive; events keep file order. 5,968 users.
Dataset cooperUnionUnion();

// P1: users with at least 5 interactions, 20% per-user random holdout, seed 42.
Split p1Split(const Dataset& all);
// How P1 ranks: full ranking over the anime occurring in the data, K = 10.
EvaluatorOptions protocolOptions(bool confidenceIntervals = false);

}  // namespace animerec::real

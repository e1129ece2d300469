#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/interactions.h"

namespace animerec {

// The item sequence a session model reads from `history`: every event except Plan to Watch
// (a wish, not a watch) unless `planToWatch`, ordered by Event::order (ties keep input order),
// items outside [0, itemCount) skipped, then only the last `maxLength` kept (maxLength <= 0 keeps
// all).
std::vector<int> watchedSequence(std::span<const Event> history, int itemCount, int maxLength = 0,
                                 bool planToWatch = false);
// The same sequence's Event::order values, aligned with watchedSequence()'s items.
std::vector<std::int64_t> watchedOrders(std::span<const Event> history, int itemCount,
                                        int maxLength = 0, bool planToWatch = false);

// Buckets of the time since the previous event, for session models that read time gaps:
// 0 for the first event, then 1 + floor(log2(1 + seconds)) capped at kTimeGapBuckets - 1
// (a second to decades in ~31 steps; a negative gap counts as none).
inline constexpr int kTimeGapBuckets = 32;
std::vector<int> timeGapBuckets(std::span<const std::int64_t> times);

// Whether Event::order holds times: every event's order is at least 1990-01-01 in Unix seconds.
// Readers put the row position there when a file has no times, and no file read here has
// hundreds of millions of rows, so positions stay below.
bool ordersAreTimes(const Interactions& interactions);

// watchedSequence() of every user, indexed by dense user index (empty for users with none).
std::vector<std::vector<int>> buildTrainingSequences(const Interactions& interactions,
                                                     bool planToWatch = false);
// timeGapBuckets() of every user's watchedOrders(), aligned with buildTrainingSequences().
std::vector<std::vector<int>> buildTrainingGaps(const Interactions& interactions,
                                                bool planToWatch = false);

}  // namespace animerec

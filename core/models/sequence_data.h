#pragma once

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

// watchedSequence() of every user, indexed by dense user index (empty for users with none).
std::vector<std::vector<int>> buildTrainingSequences(const Interactions& interactions,
                                                     bool planToWatch = false);

}  // namespace animerec

#pragma once

#include <span>
#include <vector>

#include "data/interactions.h"

namespace animerec {

// Models that keep a subset of the catalogue (EASE's most frequent titles and those built on it)
// number that subset compactly: `positionOf` maps a catalogue index to its compact position, or
// to -1 for a title outside the subset.

// The distinct compact positions of the history's modelled titles, ascending, in `positions`
// (cleared first; a caller's buffer, so a request allocates nothing once it has grown). Titles
// outside `positionOf` (added to the catalogue after training) and outside the subset are left
// out; a title seen twice counts once.
void modelledPositions(std::span<const Event> history, std::span<const int> positionOf,
                       std::vector<int>& positions);

}  // namespace animerec

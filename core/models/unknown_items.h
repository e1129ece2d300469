#pragma once

#include <concepts>
#include <cstddef>
#include <limits>
#include <span>

namespace animerec {

// The rule every model follows for items it knows nothing about (added to the catalogue after
// training, never rated, outside the modelled set): they rank after everything the model scored.
// Each gets the lowest score the model produced in this call minus 1 (0 when it scored none), so
// they are never NaN and never tie with a real score.

// `isKnown(i)` says whether scores[i] is the model's own; the other entries are overwritten.
template <std::predicate<std::size_t> IsKnown>
void scoreUnknownItemsLast(std::span<float> scores, IsKnown isKnown) {
    float lowest = std::numeric_limits<float>::infinity();
    bool any = false;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (!isKnown(i)) continue;
        any = true;
        if (scores[i] < lowest) lowest = scores[i];
    }
    const float unknown = any ? lowest - 1.0f : 0.0f;
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (!isKnown(i)) scores[i] = unknown;
}

// The common case: the model scored items [0, known) (the catalogue it was fitted on); the rest
// were added to the catalogue later.
void scoreUnknownItemsLast(std::span<float> scores, std::size_t known);

}  // namespace animerec

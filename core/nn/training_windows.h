#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace animerec::nn {

// A stretch of one sequence trained as one row of a batch: inputs seq[start, start + length),
// targets seq[start + 1, start + length + 1).
struct TrainingWindow {
    int sequence = 0;
    int start = 0;
    int length = 0;
};

// The windows an epoch trains on, for sequences of the given lengths, in sequence order. Without
// `everyTransition`, each sequence's last maxLength transitions (one window each, the recent
// behaviour the model is asked about); with it, the whole sequence cut from its end into windows
// of at most maxLength transitions, so every transition is a target exactly once. Sequences
// shorter than 2 give none.
std::vector<TrainingWindow> trainingWindows(std::span<const std::size_t> lengths, int maxLength,
                                            bool everyTransition);

}  // namespace animerec::nn

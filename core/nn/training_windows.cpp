#include "nn/training_windows.h"

#include <algorithm>

namespace animerec::nn {

std::vector<TrainingWindow> trainingWindows(std::span<const std::size_t> lengths, int maxLength,
                                            bool everyTransition) {
    std::vector<TrainingWindow> windows;
    windows.reserve(lengths.size());
    for (std::size_t s = 0; s < lengths.size(); ++s) {
        // Transition i predicts item i + 1 from the items up to i; the last is n - 2.
        int end = static_cast<int>(lengths[s]) - 1;
        const std::size_t first = windows.size();
        while (end > 0) {
            const int start = std::max(0, end - maxLength);
            windows.push_back({static_cast<int>(s), start, end - start});
            if (!everyTransition) break;
            end = start;
        }
        // Cut from the end, listed oldest first.
        std::reverse(windows.begin() + static_cast<std::ptrdiff_t>(first), windows.end());
    }
    return windows;
}

}  // namespace animerec::nn

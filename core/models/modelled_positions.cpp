#include "models/modelled_positions.h"

#include <algorithm>

namespace animerec {

void modelledPositions(std::span<const Event> history, std::span<const int> positionOf,
                       std::vector<int>& positions) {
    positions.clear();
    for (const Event& event : history) {
        if (event.item < 0 || static_cast<std::size_t>(event.item) >= positionOf.size()) continue;
        if (const int p = positionOf[static_cast<std::size_t>(event.item)]; p >= 0)
            positions.push_back(p);
    }
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
}

}  // namespace animerec

#include "models/unknown_items.h"

#include <algorithm>

namespace animerec {

void scoreUnknownItemsLast(std::span<float> scores, std::size_t known) {
    if (known >= scores.size()) return;
    const auto end = scores.begin() + static_cast<std::ptrdiff_t>(known);
    const float unknown = known > 0 ? *std::min_element(scores.begin(), end) - 1.0f : 0.0f;
    std::fill(end, scores.end(), unknown);
}

}  // namespace animerec

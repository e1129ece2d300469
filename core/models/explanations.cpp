#include "models/explanations.h"

#include <algorithm>

namespace animerec {

std::vector<Contribution> strongestContributions(std::vector<Contribution> all, int count) {
    std::erase_if(all, [](const Contribution& c) { return c.weight == 0.0f; });
    const auto stronger = [](const Contribution& a, const Contribution& b) {
        return a.weight > b.weight || (a.weight == b.weight && a.item < b.item);
    };
    const auto keep = static_cast<std::size_t>(std::max(0, count));
    if (all.size() > keep) {
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                          stronger);
        all.resize(keep);
    } else {
        std::sort(all.begin(), all.end(), stronger);
    }
    return all;
}

}  // namespace animerec

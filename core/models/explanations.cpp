#include "models/explanations.h"

#include <algorithm>

namespace animerec {

std::vector<std::vector<Contribution>> Explainer::explainItems(const UserQuery& query,
                                                               std::span<const int> items,
                                                               int count) const {
    std::vector<std::vector<Contribution>> result;
    result.reserve(items.size());
    for (const int item : items) result.push_back(explain(query, item, count));
    return result;
}

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

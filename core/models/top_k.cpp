#include <algorithm>
#include <unordered_set>

#include "models/recommender.h"

namespace animerec {

std::vector<ScoredItem> topK(std::span<const float> scores, int k, std::span<const int> exclude) {
    if (k <= 0) return {};
    // A sorted copy of the exclusion list: histories are short, so binary search beats hashing.
    std::vector<int> excluded(exclude.begin(), exclude.end());
    std::sort(excluded.begin(), excluded.end());
    const auto better = [](const ScoredItem& a, const ScoredItem& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    };
    // Min-heap of the best k seen so far (heap top = the worst of them).
    std::vector<ScoredItem> heap;
    heap.reserve(static_cast<std::size_t>(k) + 1);
    for (int item = 0; item < static_cast<int>(scores.size()); ++item) {
        const ScoredItem candidate{item, scores[static_cast<std::size_t>(item)]};
        if (static_cast<int>(heap.size()) == k && !better(candidate, heap.front())) continue;
        if (std::binary_search(excluded.begin(), excluded.end(), item)) continue;
        heap.push_back(candidate);
        std::push_heap(heap.begin(), heap.end(), better);
        if (static_cast<int>(heap.size()) > k) {
            std::pop_heap(heap.begin(), heap.end(), better);
            heap.pop_back();
        }
    }
    std::sort_heap(heap.begin(), heap.end(), better);
    return heap;
}

}  // namespace animerec

#include <algorithm>
#include <cstddef>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "models/recommender.h"

namespace animerec {

namespace {

constexpr std::size_t kBlock = 32;  // scores tested against the heap's worst at once

// Whether any of scores[0, kBlock) exceeds `threshold` (NaN never does), branch-free, so the
// blocks with no candidate (nearly all, once the heap is full) cost a few instructions.
bool anyAbove(const float* scores, float threshold) {
#if defined(__SSE2__)
    const __m128 bound = _mm_set1_ps(threshold);
    __m128 above = _mm_setzero_ps();
    for (std::size_t i = 0; i < kBlock; i += 4)
        above = _mm_or_ps(above, _mm_cmpgt_ps(_mm_loadu_ps(scores + i), bound));
    return _mm_movemask_ps(above) != 0;
#else
    int any = 0;
    for (std::size_t i = 0; i < kBlock; ++i) any |= scores[i] > threshold ? 1 : 0;
    return any != 0;
#endif
}

}  // namespace

std::vector<ScoredItem> topK(std::span<const float> scores, int k, std::span<const int> exclude) {
    if (k <= 0) return {};
    // A sorted copy of the exclusion list: histories are short, so binary search beats hashing.
    thread_local std::vector<int> excluded;
    excluded.assign(exclude.begin(), exclude.end());
    std::sort(excluded.begin(), excluded.end());
    const auto better = [](const ScoredItem& a, const ScoredItem& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    };
    // Min-heap of the best k seen so far (heap top = the worst of them).
    std::vector<ScoredItem> heap;
    heap.reserve(static_cast<std::size_t>(k) + 1);
    const auto consider = [&](int item) {
        const ScoredItem candidate{item, scores[static_cast<std::size_t>(item)]};
        if (static_cast<int>(heap.size()) == k && !better(candidate, heap.front())) return;
        if (std::binary_search(excluded.begin(), excluded.end(), item)) return;
        heap.push_back(candidate);
        std::push_heap(heap.begin(), heap.end(), better);
        if (static_cast<int>(heap.size()) > k) {
            std::pop_heap(heap.begin(), heap.end(), better);
            heap.pop_back();
        }
    };
    const auto size = static_cast<int>(scores.size());
    int item = 0;
    while (item < size && static_cast<int>(heap.size()) < k) consider(item++);
    // Once the heap is full, items come in increasing index order, so a candidate beats the
    // heap's worst only with a strictly larger score (a tie loses on the index): whole blocks at
    // or below that score are skipped without changing the result.
    for (; item < size; ++item) {
        if (item % static_cast<int>(kBlock) == 0 && item + static_cast<int>(kBlock) <= size &&
            !anyAbove(scores.data() + item, heap.front().score)) {
            item += static_cast<int>(kBlock) - 1;
            continue;
        }
        consider(item);
    }
    std::sort_heap(heap.begin(), heap.end(), better);
    return heap;
}

}  // namespace animerec

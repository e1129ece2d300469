#include "models/sequence_data.h"

#include <algorithm>

namespace animerec {

std::vector<int> watchedSequence(std::span<const Event> history, int itemCount, int maxLength,
                                 bool planToWatch) {
    std::vector<const Event*> events;
    events.reserve(history.size());
    for (const auto& event : history)
        if ((planToWatch || event.status != WatchStatus::PlanToWatch) && event.item >= 0 &&
            event.item < itemCount)
            events.push_back(&event);
    // Interactions rows are already sorted; a query history from a caller may not be.
    const auto byOrder = [](const Event* a, const Event* b) { return a->order < b->order; };
    if (!std::is_sorted(events.begin(), events.end(), byOrder))
        std::stable_sort(events.begin(), events.end(), byOrder);
    std::size_t first = 0;
    if (maxLength > 0 && events.size() > static_cast<std::size_t>(maxLength))
        first = events.size() - static_cast<std::size_t>(maxLength);
    std::vector<int> items;
    items.reserve(events.size() - first);
    for (std::size_t i = first; i < events.size(); ++i) items.push_back(events[i]->item);
    return items;
}

std::vector<std::vector<int>> buildTrainingSequences(const Interactions& interactions,
                                                     bool planToWatch) {
    std::vector<std::vector<int>> sequences(static_cast<std::size_t>(interactions.userCount()));
    for (int user = 0; user < interactions.userCount(); ++user)
        sequences[static_cast<std::size_t>(user)] =
            watchedSequence(interactions.historyOf(user), interactions.itemCount(), 0, planToWatch);
    return sequences;
}

}  // namespace animerec

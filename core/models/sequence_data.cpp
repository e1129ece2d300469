#include "models/sequence_data.h"

#include <algorithm>
#include <cmath>

namespace animerec {

namespace {

// The events a session model reads, in order, the last maxLength of them.
std::vector<const Event*> watchedEvents(std::span<const Event> history, int itemCount,
                                        int maxLength, bool planToWatch) {
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
    if (maxLength > 0 && events.size() > static_cast<std::size_t>(maxLength))
        events.erase(events.begin(), events.end() - static_cast<std::ptrdiff_t>(maxLength));
    return events;
}

}  // namespace

std::vector<int> watchedSequence(std::span<const Event> history, int itemCount, int maxLength,
                                 bool planToWatch) {
    const auto events = watchedEvents(history, itemCount, maxLength, planToWatch);
    std::vector<int> items;
    items.reserve(events.size());
    for (const Event* event : events) items.push_back(event->item);
    return items;
}

std::vector<std::int64_t> watchedOrders(std::span<const Event> history, int itemCount,
                                        int maxLength, bool planToWatch) {
    const auto events = watchedEvents(history, itemCount, maxLength, planToWatch);
    std::vector<std::int64_t> orders;
    orders.reserve(events.size());
    for (const Event* event : events) orders.push_back(event->order);
    return orders;
}

std::vector<int> timeGapBuckets(std::span<const std::int64_t> times) {
    std::vector<int> buckets(times.size(), 0);
    for (std::size_t t = 1; t < times.size(); ++t) {
        const double seconds =
            static_cast<double>(std::max<std::int64_t>(0, times[t] - times[t - 1]));
        const int bucket = 1 + static_cast<int>(std::floor(std::log2(1.0 + seconds)));
        buckets[t] = std::min(bucket, kTimeGapBuckets - 1);
    }
    return buckets;
}

bool ordersAreTimes(const Interactions& interactions) {
    constexpr std::int64_t k1990 = 631152000;
    if (interactions.size() == 0) return false;
    for (int user = 0; user < interactions.userCount(); ++user)
        for (const Event& event : interactions.historyOf(user))
            if (event.order < k1990) return false;
    return true;
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

namespace animerec {

std::vector<std::vector<int>> buildTrainingGaps(const Interactions& interactions,
                                                bool planToWatch) {
    std::vector<std::vector<int>> gaps(static_cast<std::size_t>(interactions.userCount()));
    for (int user = 0; user < interactions.userCount(); ++user)
        gaps[static_cast<std::size_t>(user)] = timeGapBuckets(
            watchedOrders(interactions.historyOf(user), interactions.itemCount(), 0, planToWatch));
    return gaps;
}

}  // namespace animerec

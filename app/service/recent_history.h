#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "data/interactions.h"

namespace animerec::service {

// Events users added after the served Dataset snapshot was loaded (POST /feedback: watch,
// complete, rate). The Dataset stays immutable and shared; RecommendService merges these into a
// user's history per request, so the session model and collaborative fold-in see them at once,
// without retraining. Thread-safe; reads copy a user's few events under a mutex.
class RecentHistory {
public:
    static constexpr std::size_t kMaxEventsPerUser = 1000;

    // Adds or updates the user's event for event.item (the latest moves to the end). A rating of 0
    // and an Unknown status keep what an earlier event for the item said.
    void append(std::int64_t userId, const Event& event);

    // Bumped on every append for the user; 0 when the user has none (keys of cached answers).
    std::uint64_t revisionOf(std::int64_t userId) const;
    bool hasEvents(std::int64_t userId) const { return revisionOf(userId) > 0; }

    // `base` (the snapshot's history, oldest first) with the user's recent events applied: an item
    // already in `base` takes the newer rating/status in place; new items are appended in arrival
    // order with `order` after the last base event.
    std::vector<Event> merged(std::int64_t userId, std::span<const Event> base) const;

    std::size_t userCount() const;

private:
    struct UserEvents {
        std::vector<Event> events;
        std::uint64_t revision = 0;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::int64_t, UserEvents> users_;
};

}  // namespace animerec::service

#include "service/recent_history.h"

#include <algorithm>

namespace animerec::service {

namespace {

// The newer event wins where it says something; it never erases an older rating or status.
void absorb(Event& target, const Event& newer) {
    if (newer.rating > 0.0f) target.rating = newer.rating;
    if (newer.status != WatchStatus::Unknown) target.status = newer.status;
    if (newer.watchedEpisodes >= 0) target.watchedEpisodes = newer.watchedEpisodes;
}

}  // namespace

void RecentHistory::append(std::int64_t userId, const Event& event) {
    std::lock_guard lock(mutex_);
    UserEvents& user = users_[userId];
    ++user.revision;
    auto& events = user.events;
    const auto existing = std::find_if(events.begin(), events.end(),
                                       [&](const Event& e) { return e.item == event.item; });
    Event updated = event;
    if (existing != events.end()) {
        Event old = *existing;
        absorb(old, event);
        updated = old;
        events.erase(existing);
    }
    events.push_back(updated);
    if (events.size() > kMaxEventsPerUser) events.erase(events.begin());
}

std::uint64_t RecentHistory::revisionOf(std::int64_t userId) const {
    std::lock_guard lock(mutex_);
    const auto it = users_.find(userId);
    return it == users_.end() ? 0 : it->second.revision;
}

std::vector<Event> RecentHistory::merged(std::int64_t userId, std::span<const Event> base) const {
    std::vector<Event> recent;
    {
        std::lock_guard lock(mutex_);
        const auto it = users_.find(userId);
        if (it != users_.end()) recent = it->second.events;
    }
    std::vector<Event> history(base.begin(), base.end());
    std::int64_t order = history.empty() ? 0 : history.back().order;
    for (const Event& event : recent) {
        const auto existing = std::find_if(history.begin(), history.end(),
                                           [&](const Event& e) { return e.item == event.item; });
        if (existing != history.end()) {
            absorb(*existing, event);
            continue;
        }
        Event appended = event;
        appended.order = ++order;
        history.push_back(appended);
    }
    return history;
}

std::size_t RecentHistory::userCount() const {
    std::lock_guard lock(mutex_);
    return users_.size();
}

}  // namespace animerec::service

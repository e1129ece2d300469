#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "data/interaction_record.h"

namespace animerec {

// One event of a user's history, addressed by catalogue item index.
struct Event {
    int item = 0;         // Catalog index
    float rating = 0.0f;  // 1..10, 0 = not rated
    WatchStatus status = WatchStatus::Unknown;
    std::int32_t watchedEpisodes = -1;  // -1 = unknown
    std::int64_t order = 0;  // timestamp when known, else the file position (interaction_id)
};

// User-item interactions as compressed sparse rows: one row per user (dense index), each row's
// events sorted by `order` (oldest first). Immutable once built; cheap to share across threads.
class Interactions {
public:
    class Builder;

    int userCount() const { return static_cast<int>(userOffsets_.size()) - 1; }
    int itemCount() const { return itemCount_; }
    std::int64_t size() const { return static_cast<std::int64_t>(events_.size()); }

    // The events of user `user` (dense index), oldest first.
    std::span<const Event> historyOf(int user) const {
        const auto begin = static_cast<std::size_t>(userOffsets_[static_cast<std::size_t>(user)]);
        const auto end = static_cast<std::size_t>(userOffsets_[static_cast<std::size_t>(user) + 1]);
        return std::span<const Event>(events_).subspan(begin, end - begin);
    }
    // External user id of a dense user index.
    std::int64_t userIdAt(int user) const { return userIds_[static_cast<std::size_t>(user)]; }
    const std::vector<std::int64_t>& userIds() const { return userIds_; }
    // Dense index of an external user id, or -1 when unknown. O(log n).
    int userIndexOf(std::int64_t userId) const;

    // Number of events per item (any status), indexed by item.
    std::vector<int> itemCounts() const;

private:
    std::vector<std::int64_t> userOffsets_{0};
    std::vector<Event> events_;
    std::vector<std::int64_t> userIds_;  // sorted ascending; position = dense index
    int itemCount_ = 0;
};

// Collects events in any order, then builds the CSR (users sorted by id, events by order).
class Interactions::Builder {
public:
    explicit Builder(int itemCount) : itemCount_(itemCount) {}
    // Throws std::invalid_argument when event.item is outside [0, itemCount).
    void add(std::int64_t userId, const Event& event);
    // Adds a user with no events (so it has a dense index).
    void addUser(std::int64_t userId);
    Interactions build() &&;

private:
    // Packed (25 bytes, not the 32 of {user id, Event}) and stored in fixed-size chunks that
    // build() frees as it copies them out: with 100M+ events, the rows and the built CSR coexist
    // at the peak of loading, and vector doubling would add up to another full copy.
#pragma pack(push, 1)
    struct Row {
        std::int64_t order;
        std::uint32_t slot;  // index into userIdOfSlot_, in order of first appearance
        std::int32_t item;
        float rating;
        std::int32_t watchedEpisodes;
        WatchStatus status;
    };
#pragma pack(pop)
    std::uint32_t slotOf(std::int64_t userId);

    int itemCount_;
    std::vector<std::vector<Row>> chunks_;
    std::int64_t rowCount_ = 0;
    std::unordered_map<std::int64_t, std::uint32_t> slots_;
    std::vector<std::int64_t> userIdOfSlot_;
    std::int64_t lastUserId_ = 0;  // rows usually come grouped by user: skips the hash lookup
    std::uint32_t lastSlot_ = 0;
    bool hasLast_ = false;
};

}  // namespace animerec

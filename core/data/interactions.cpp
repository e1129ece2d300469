#include "data/interactions.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace animerec {

int Interactions::userIndexOf(std::int64_t userId) const {
    const auto it = std::lower_bound(userIds_.begin(), userIds_.end(), userId);
    if (it == userIds_.end() || *it != userId) return -1;
    return static_cast<int>(it - userIds_.begin());
}

std::vector<int> Interactions::itemCounts() const {
    std::vector<int> counts(static_cast<std::size_t>(itemCount_), 0);
    for (const auto& event : events_) ++counts[static_cast<std::size_t>(event.item)];
    return counts;
}

namespace {

// 2^21 rows of 25 bytes = 52 MB, above the 32 MiB that glibc's malloc ever raises its mmap
// threshold to: every full chunk is its own mapping, so releasing it returns the memory to the
// system. Smaller chunks land in the heap once a large block was freed earlier in the process,
// and the heap cannot give them back (they are interleaved with small live allocations), which
// kept both copies resident (about twice the memory after loading 109M events; bench/README.md).
constexpr std::size_t kRowsPerChunk = std::size_t{1} << 21;
// First chunks grow with the data, so small builders do not reserve 52 MB.
constexpr std::size_t kFirstChunkRows = std::size_t{1} << 12;

// Frees a container's memory now (`= {}` on a vector keeps its capacity).
template <typename Container>
void release(Container& container) {
    Container().swap(container);
}

}  // namespace

std::uint32_t Interactions::Builder::slotOf(std::int64_t userId) {
    if (hasLast_ && userId == lastUserId_) return lastSlot_;
    auto it = slots_.find(userId);
    if (it == slots_.end()) {
        if (userIdOfSlot_.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw std::invalid_argument("more than " +
                                        std::to_string(std::numeric_limits<int>::max()) + " users");
        it = slots_.emplace(userId, static_cast<std::uint32_t>(userIdOfSlot_.size())).first;
        userIdOfSlot_.push_back(userId);
    }
    hasLast_ = true;
    lastUserId_ = userId;
    lastSlot_ = it->second;
    return lastSlot_;
}

void Interactions::Builder::add(std::int64_t userId, const Event& event) {
    if (event.item < 0 || event.item >= itemCount_)
        throw std::invalid_argument("item index " + std::to_string(event.item) +
                                    " outside the catalogue of " + std::to_string(itemCount_));
    const auto slot = slotOf(userId);
    if (chunks_.empty() || chunks_.back().size() == chunks_.back().capacity()) {
        chunks_.emplace_back();
        chunks_.back().reserve(
            std::clamp(static_cast<std::size_t>(rowCount_), kFirstChunkRows, kRowsPerChunk));
    }
    chunks_.back().push_back(
        {event.order, slot, event.item, event.rating, event.watchedEpisodes, event.status});
    ++rowCount_;
}

void Interactions::Builder::addUser(std::int64_t userId) { slotOf(userId); }

Interactions Interactions::Builder::build() && {
    Interactions result;
    result.itemCount_ = itemCount_;
    const auto users = userIdOfSlot_.size();
    std::vector<std::uint32_t> bySlot(users);
    std::iota(bySlot.begin(), bySlot.end(), 0u);
    std::sort(bySlot.begin(), bySlot.end(), [&](std::uint32_t a, std::uint32_t b) {
        return userIdOfSlot_[a] < userIdOfSlot_[b];
    });
    std::vector<std::uint32_t> denseOfSlot(users);
    result.userIds_.resize(users);
    for (std::size_t dense = 0; dense < users; ++dense) {
        denseOfSlot[bySlot[dense]] = static_cast<std::uint32_t>(dense);
        result.userIds_[dense] = userIdOfSlot_[bySlot[dense]];
    }
    release(slots_);
    release(userIdOfSlot_);
    release(bySlot);

    // Counting sort by user; copying chunks in insertion order keeps each user's events in file
    // order, so the per-user stable sort by `order` below matches one global stable sort.
    result.userOffsets_.assign(users + 1, 0);
    bool grouped = true;  // rows already come user by user, in id order (a sorted file)
    std::uint32_t previous = 0;
    for (const auto& chunk : chunks_)
        for (const auto& row : chunk) {
            const auto dense = denseOfSlot[row.slot];
            grouped = grouped && dense >= previous;
            previous = dense;
            ++result.userOffsets_[dense + 1];
        }
    for (std::size_t user = 0; user < users; ++user)
        result.userOffsets_[user + 1] += result.userOffsets_[user];
    const auto eventOf = [](const Row& row) {
        Event event;
        event.item = row.item;
        event.rating = row.rating;
        event.status = row.status;
        event.watchedEpisodes = row.watchedEpisodes;
        event.order = row.order;
        return event;
    };
    if (grouped) {
        // Appending touches the result's pages only as the chunks are released: the peak stays
        // near one copy of the data instead of two.
        result.events_.reserve(static_cast<std::size_t>(rowCount_));
        for (auto& chunk : chunks_) {
            for (const auto& row : chunk) result.events_.push_back(eventOf(row));
            release(chunk);
        }
    } else {
        std::vector<std::int64_t> cursor(result.userOffsets_.begin(),
                                         result.userOffsets_.end() - 1);
        result.events_.resize(static_cast<std::size_t>(rowCount_));
        for (auto& chunk : chunks_) {
            for (const auto& row : chunk)
                result.events_[static_cast<std::size_t>(cursor[denseOfSlot[row.slot]]++)] =
                    eventOf(row);
            release(chunk);  // frees this chunk's memory now, not at the end
        }
    }
    release(chunks_);
    rowCount_ = 0;
    hasLast_ = false;

    const auto byOrder = [](const Event& a, const Event& b) { return a.order < b.order; };
    for (std::size_t user = 0; user < users; ++user) {
        const auto begin = result.events_.begin() + result.userOffsets_[user];
        const auto end = result.events_.begin() + result.userOffsets_[user + 1];
        if (!std::is_sorted(begin, end, byOrder)) std::stable_sort(begin, end, byOrder);
    }
    return result;
}

}  // namespace animerec

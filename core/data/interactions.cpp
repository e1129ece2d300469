#include "data/interactions.h"

#include <algorithm>
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

void Interactions::Builder::add(std::int64_t userId, const Event& event) {
    if (event.item < 0 || event.item >= itemCount_)
        throw std::invalid_argument("item index " + std::to_string(event.item) +
                                    " outside the catalogue of " + std::to_string(itemCount_));
    rows_.push_back({userId, event});
}

void Interactions::Builder::addUser(std::int64_t userId) { extraUsers_.push_back(userId); }

Interactions Interactions::Builder::build() && {
    // Stable sort keeps file order among events with equal `order` (e.g. equal timestamps).
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
        if (a.userId != b.userId) return a.userId < b.userId;
        return a.event.order < b.event.order;
    });
    Interactions result;
    result.itemCount_ = itemCount_;
    std::vector<std::int64_t> users = std::move(extraUsers_);
    for (const auto& row : rows_) users.push_back(row.userId);
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    result.userIds_ = std::move(users);
    result.userOffsets_.assign(result.userIds_.size() + 1, 0);
    result.events_.reserve(rows_.size());
    std::size_t row = 0;
    for (std::size_t user = 0; user < result.userIds_.size(); ++user) {
        while (row < rows_.size() && rows_[row].userId == result.userIds_[user]) {
            result.events_.push_back(rows_[row].event);
            ++row;
        }
        result.userOffsets_[user + 1] = static_cast<std::int64_t>(result.events_.size());
    }
    rows_.clear();
    rows_.shrink_to_fit();
    return result;
}

}  // namespace animerec

#include "eval/split.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "eval/seeded_random.h"

namespace animerec {

int Split::testUserCount() const {
    return static_cast<int>(
        std::count_if(test.begin(), test.end(), [](const HeldOut& h) { return !h.items.empty(); }));
}

std::int64_t Split::testItemCount() const {
    std::int64_t total = 0;
    for (const auto& heldOut : test) total += static_cast<std::int64_t>(heldOut.items.size());
    return total;
}

namespace {

struct PendingTest {
    std::int64_t userId;
    std::vector<Event> events;
};

// Turns a user's held-out events into distinct items missing from the user's train history:
// the evaluator never recommends train items, so such test items could never be hit.
HeldOut makeHeldOut(std::vector<Event> events, std::span<const Event> trainHistory) {
    std::vector<int> trainItems;
    trainItems.reserve(trainHistory.size());
    for (const auto& event : trainHistory) trainItems.push_back(event.item);
    std::sort(trainItems.begin(), trainItems.end());
    // Stable sort by item keeps history order, so for repeats the latest event wins below.
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.item < b.item; });
    HeldOut heldOut;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i + 1 < events.size() && events[i + 1].item == events[i].item) continue;
        if (std::binary_search(trainItems.begin(), trainItems.end(), events[i].item)) continue;
        heldOut.items.push_back(events[i].item);
        heldOut.ratings.push_back(events[i].rating);
    }
    return heldOut;
}

Split finish(Interactions::Builder&& builder, std::vector<PendingTest>&& pending) {
    Split split;
    split.train = std::move(builder).build();
    split.test.assign(static_cast<std::size_t>(split.train.userCount()), HeldOut{});
    for (auto& entry : pending) {
        const int user = split.train.userIndexOf(entry.userId);
        split.test[static_cast<std::size_t>(user)] =
            makeHeldOut(std::move(entry.events), split.train.historyOf(user));
    }
    return split;
}

// Shared skeleton of the per-user splits: `choose(user, history, isTest)` marks held-out events
// and returns false when the user is too sparse to evaluate.
template <typename Choose>
Split perUserSplit(const Interactions& all, bool keepSparseUsersInTrain, Choose&& choose) {
    Interactions::Builder builder(all.itemCount());
    std::vector<PendingTest> pending;
    std::vector<char> isTest;
    for (int user = 0; user < all.userCount(); ++user) {
        const auto history = all.historyOf(user);
        const std::int64_t userId = all.userIdAt(user);
        isTest.assign(history.size(), 0);
        if (!choose(user, history, isTest)) {
            if (!keepSparseUsersInTrain) continue;
            std::fill(isTest.begin(), isTest.end(), 0);
        }
        builder.addUser(userId);
        PendingTest test{userId, {}};
        for (std::size_t i = 0; i < history.size(); ++i) {
            if (isTest[i])
                test.events.push_back(history[i]);
            else
                builder.add(userId, history[i]);
        }
        if (!test.events.empty()) pending.push_back(std::move(test));
    }
    return finish(std::move(builder), std::move(pending));
}

std::string number(double value) {
    std::string text = std::to_string(value);
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

}  // namespace

Split holdoutSplit(const Interactions& all, const HoldoutOptions& options) {
    if (!(options.testShare > 0.0 && options.testShare < 1.0))
        throw std::invalid_argument("holdout share must lie in (0, 1), got " +
                                    number(options.testShare));
    if (options.minInteractions < 2)
        throw std::invalid_argument("holdout needs min interactions >= 2, got " +
                                    std::to_string(options.minInteractions));
    std::vector<std::size_t> positions;
    auto split = perUserSplit(
        all, options.keepSparseUsersInTrain,
        [&](int user, std::span<const Event> history, std::vector<char>& isTest) {
            const auto n = history.size();
            if (n < static_cast<std::size_t>(options.minInteractions)) return false;
            auto count =
                static_cast<std::size_t>(std::llround(options.testShare * static_cast<double>(n)));
            count = std::clamp<std::size_t>(count, 1, n - 1);
            // Seeded by the external user id, not the dense index, so a user's draw is stable.
            std::mt19937_64 engine(
                mixSeed(options.seed, static_cast<std::uint64_t>(all.userIdAt(user))));
            positions.resize(n);
            for (std::size_t i = 0; i < n; ++i) positions[i] = i;
            // Partial Fisher-Yates: the first `count` slots end up a uniform sample.
            for (std::size_t i = 0; i < count; ++i) {
                const auto j = i + static_cast<std::size_t>(uniformBelow(engine, n - i));
                std::swap(positions[i], positions[j]);
                isTest[positions[i]] = 1;
            }
            return true;
        });
    split.protocol = {{"protocol", "holdout"},
                      {"test_share", number(options.testShare)},
                      {"min_interactions", std::to_string(options.minInteractions)},
                      {"seed", std::to_string(options.seed)}};
    return split;
}

Split leaveLastOutSplit(const Interactions& all, const LeaveLastOptions& options) {
    if (options.count < 1)
        throw std::invalid_argument("leave-last-N needs N >= 1, got " +
                                    std::to_string(options.count));
    const auto count = static_cast<std::size_t>(options.count);
    auto split =
        perUserSplit(all, options.keepSparseUsersInTrain,
                     [&](int, std::span<const Event> history, std::vector<char>& isTest) {
                         const auto n = history.size();
                         if (n < static_cast<std::size_t>(options.minInteractions) || n <= count)
                             return false;
                         // History rows are sorted by order (stable), so the tail holds the latest
                         // events.
                         for (std::size_t i = n - count; i < n; ++i) isTest[i] = 1;
                         return true;
                     });
    split.protocol = {{"protocol", "leave_last"},
                      {"last_n", std::to_string(options.count)},
                      {"min_interactions", std::to_string(options.minInteractions)}};
    return split;
}

Split timeSplit(const Interactions& all, const TimeSplitOptions& options) {
    if (!(options.trainQuantile > 0.0 && options.trainQuantile < 1.0))
        throw std::invalid_argument("time split quantile must lie in (0, 1), got " +
                                    number(options.trainQuantile));
    std::vector<std::int64_t> orders;
    orders.reserve(static_cast<std::size_t>(all.size()));
    for (int user = 0; user < all.userCount(); ++user)
        for (const auto& event : all.historyOf(user)) orders.push_back(event.order);
    std::int64_t cutoff = 0;
    if (!orders.empty()) {
        const auto rank = static_cast<std::size_t>(
            std::floor(options.trainQuantile * static_cast<double>(orders.size() - 1)));
        std::nth_element(orders.begin(), orders.begin() + static_cast<std::ptrdiff_t>(rank),
                         orders.end());
        cutoff = orders[rank];
    }
    auto split =
        perUserSplit(all, options.keepSparseUsersInTrain,
                     [&](int, std::span<const Event> history, std::vector<char>& isTest) {
                         if (history.size() < static_cast<std::size_t>(options.minInteractions))
                             return false;
                         for (std::size_t i = 0; i < history.size(); ++i)
                             isTest[i] = history[i].order > cutoff;
                         return true;
                     });
    split.protocol = {{"protocol", "time"},
                      {"train_quantile", number(options.trainQuantile)},
                      {"cutoff_order", std::to_string(cutoff)},
                      {"min_interactions", std::to_string(options.minInteractions)}};
    return split;
}

Split splitFromParts(const Interactions& train, const Interactions& test) {
    if (train.itemCount() != test.itemCount())
        throw std::invalid_argument("train and test cover different catalogues (" +
                                    std::to_string(train.itemCount()) + " vs " +
                                    std::to_string(test.itemCount()) + " items)");
    Interactions::Builder builder(train.itemCount());
    for (int user = 0; user < train.userCount(); ++user) {
        builder.addUser(train.userIdAt(user));
        for (const auto& event : train.historyOf(user)) builder.add(train.userIdAt(user), event);
    }
    std::vector<PendingTest> pending;
    for (int user = 0; user < test.userCount(); ++user) {
        const auto history = test.historyOf(user);
        if (history.empty()) continue;
        builder.addUser(test.userIdAt(user));
        pending.push_back(
            {test.userIdAt(user), std::vector<Event>(history.begin(), history.end())});
    }
    auto split = finish(std::move(builder), std::move(pending));
    split.protocol = {{"protocol", "files"}};
    return split;
}

}  // namespace animerec

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/interactions.h"

namespace animerec {

// What one user holds out for testing: distinct items the user has no train event for.
struct HeldOut {
    std::vector<int> items;      // ascending, unique
    std::vector<float> ratings;  // parallel to items: the held-out rating, 0 = not rated
};

// A train/test split. `test` is indexed by the dense user index of `train`, so a model fitted on
// `train` is queried with UserQuery{user, train.historyOf(user)}; users with empty test lists
// are not evaluated.
struct Split {
    Interactions train;
    std::vector<HeldOut> test;
    // How the split was made, as key/value pairs in a stable order ("protocol" -> "holdout",
    // "seed" -> "42", ...); reports print and serialise it.
    std::vector<std::pair<std::string, std::string>> protocol;

    int testUserCount() const;
    std::int64_t testItemCount() const;
};

struct HoldoutOptions {
    double testShare = 0.2;               // share of each user's events held out, in (0, 1)
    int minInteractions = 5;              // users with fewer events are dropped
    bool keepSparseUsersInTrain = false;  // keep dropped users' events in train (not evaluated)
    std::uint64_t seed = 42;
};

// Per-user random holdout: round(testShare * n) of each user's n events, at least 1 and at most
// n - 1, chosen uniformly. Each user's draw depends only on (seed, user id), so adding or
// removing other users does not change it. Throws std::invalid_argument for a share outside
// (0, 1) or minInteractions < 2.
Split holdoutSplit(const Interactions& all, const HoldoutOptions& options);

struct LeaveLastOptions {
    int count = 1;            // events held out per user (the last by Event.order)
    int minInteractions = 5;  // users with fewer events (or not more than `count`) are dropped
    bool keepSparseUsersInTrain = false;
};

// Leave-last-N-out: each user's `count` latest events (history order) form the test set.
// Throws std::invalid_argument for count < 1.
Split leaveLastOutSplit(const Interactions& all, const LeaveLastOptions& options);

struct TimeSplitOptions {
    double trainQuantile = 0.8;  // events with order <= the q-quantile of all orders train
    int minInteractions = 5;     // users with fewer events overall are dropped
    bool keepSparseUsersInTrain = false;
};

// Global temporal split: one cut-off at a quantile of Event.order over all events; later events
// are test. Meaningful only when `order` holds timestamps. Users whose events all lie after the
// cut-off stay as train users with an empty history (cold-start users). Throws
// std::invalid_argument for a quantile outside (0, 1).
Split timeSplit(const Interactions& all, const TimeSplitOptions& options);

// A split from user-supplied train and test interactions over one catalogue. Test users unknown
// to `train` are added to it with an empty history; test events for items the user also has in
// train are ignored. Throws std::invalid_argument when the item counts differ.
Split splitFromParts(const Interactions& train, const Interactions& test);

}  // namespace animerec

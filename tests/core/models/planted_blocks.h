#pragma once

// Synthetic data with planted structure for the collaborative-filtering tests: two user groups,
// two item blocks; a user interacts with items of its own block far more often and rates them
// high, and rates the other block low. A model that finds the blocks beats popularity, which
// only sees near-uniform counts.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <vector>

#include "data/dataset.h"
#include "models/recommender.h"

namespace animerec::testing {

struct PlantedSplit {
    Dataset train;
    std::vector<std::vector<Event>> heldOut;  // per dense train user
};

inline int blockOf(int item, int items) { return item < items / 2 ? 0 : 1; }
inline int groupOf(int user) { return user % 2; }

inline PlantedSplit plantedBlocks(std::uint64_t seed = 7, int users = 240, int items = 80) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    PlantedSplit split;
    for (int i = 0; i < items; ++i) {
        AnimeRecord record;
        record.animeId = 1000 + i;
        record.episodes = 12;
        split.train.catalog.add(record);
    }
    Interactions::Builder builder(items);
    for (int u = 0; u < users; ++u) {
        builder.addUser(u);  // user id == dense index
        std::vector<Event> events;
        for (int i = 0; i < items; ++i) {
            const bool own = blockOf(i, items) == groupOf(u);
            // Within a block, lower indices are a little more popular, so popularity is not random.
            const double p = (own ? 0.30 : 0.06) * (1.2 - 0.4 * (i % (items / 2)) / (items / 2.0));
            if (uniform(rng) >= p) continue;
            Event event;
            event.item = i;
            event.order = static_cast<std::int64_t>(events.size());
            const double base = own ? 8.5 : 3.0;
            const double noisy = base + (i % 5 - 2) * 0.3 + (uniform(rng) - 0.5) * 2.0;
            event.rating = uniform(rng) < 0.15
                               ? 0.0f
                               : static_cast<float>(std::clamp(std::round(noisy), 1.0, 10.0));
            events.push_back(event);
        }
        std::shuffle(events.begin(), events.end(), rng);
        const auto test = events.size() / 5;
        split.heldOut.emplace_back(events.begin(),
                                   events.begin() + static_cast<std::ptrdiff_t>(test));
        for (auto it = events.begin() + static_cast<std::ptrdiff_t>(test); it != events.end(); ++it)
            builder.add(u, *it);
    }
    split.train.interactions = std::move(builder).build();
    return split;
}

// The model's scores for `query` over a catalogue of `items` titles.
inline std::vector<float> scoresOf(const Recommender& model, const UserQuery& query, int items) {
    std::vector<float> scores(static_cast<std::size_t>(items));
    model.score(query, scores);
    return scores;
}

// Mean share of each user's top-10 (train items excluded) that is held out: precision@10. With
// about 3 held-out items among ~70 candidates, a model that knows the blocks reaches ~2x the
// baselines, so tests compare ratios.
inline double precisionAt10(const Recommender& model, const PlantedSplit& split) {
    const auto& train = split.train.interactions;
    std::vector<float> scores(static_cast<std::size_t>(split.train.catalog.size()));
    double total = 0.0;
    int evaluated = 0;
    for (int u = 0; u < train.userCount(); ++u) {
        const auto& test = split.heldOut[static_cast<std::size_t>(u)];
        if (test.empty()) continue;
        const auto history = train.historyOf(u);
        model.score({u, history}, scores);
        std::vector<int> seen;
        for (const auto& event : history) seen.push_back(event.item);
        int hits = 0;
        for (const auto& top : topK(scores, 10, seen))
            hits += std::any_of(test.begin(), test.end(),
                                [&](const Event& e) { return e.item == top.item; });
        total += hits / 10.0;
        ++evaluated;
    }
    return evaluated ? total / evaluated : 0.0;
}

// Baselines on the same protocol: interaction counts, and seeded random scores.
inline double popularityPrecision(const PlantedSplit& split) {
    class Counts : public Recommender {
    public:
        explicit Counts(std::vector<float> counts) : counts_(std::move(counts)) {}
        std::string name() const override { return "counts"; }
        void fit(const Dataset&, const ProgressCallback&) override {}
        void score(const UserQuery&, std::span<float> s) const override {
            std::copy(counts_.begin(), counts_.end(), s.begin());
        }
        void save(std::ostream&) const override {}
        void load(std::istream&) override {}
        std::vector<float> counts_;
    };
    const auto counts = split.train.interactions.itemCounts();
    return precisionAt10(Counts(std::vector<float>(counts.begin(), counts.end())), split);
}

inline double randomPrecision(const PlantedSplit& split, std::uint64_t seed = 3) {
    class Random : public Recommender {
    public:
        explicit Random(std::uint64_t seed) : seed_(seed) {}
        std::string name() const override { return "random"; }
        void fit(const Dataset&, const ProgressCallback&) override {}
        void score(const UserQuery& q, std::span<float> s) const override {
            std::mt19937_64 rng(seed_ + static_cast<std::uint64_t>(q.user + 1));
            std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
            for (auto& v : s) v = uniform(rng);
        }
        void save(std::ostream&) const override {}
        void load(std::istream&) override {}
        std::uint64_t seed_;
    };
    return precisionAt10(Random(seed), split);
}

// |top-10 of a| n |top-10 of b| / 10, nothing excluded.
inline double topTenOverlap(std::span<const float> a, std::span<const float> b) {
    const auto topA = topK(a, 10), topB = topK(b, 10);
    int shared = 0;
    for (const auto& x : topA)
        shared += std::any_of(topB.begin(), topB.end(),
                              [&](const ScoredItem& y) { return y.item == x.item; });
    return shared / 10.0;
}

}  // namespace animerec::testing

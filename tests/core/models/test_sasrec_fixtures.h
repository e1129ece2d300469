#pragma once

// Tiny deterministic datasets shared by the session-model tests.

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "models/recommender.h"

namespace animerec::testing {

inline Catalog makeCatalog(int items) {
    Catalog catalog;
    for (int i = 0; i < items; ++i) {
        AnimeRecord record;
        record.animeId = 1000 + i;
        record.title = "anime " + std::to_string(i);
        catalog.add(record);
    }
    return catalog;
}

// Every user walks the cycle 0 -> 1 -> ... -> items-1 -> 0 from a different start, so the next
// item is a deterministic function of the current one. Lengths vary from 3 to maxLength.
inline Dataset cycleDataset(int items, int users, int maxLength) {
    Dataset data{makeCatalog(items), {}};
    Interactions::Builder builder(items);
    for (int u = 0; u < users; ++u) {
        const int length = 3 + u % (maxLength - 2);
        for (int t = 0; t < length; ++t) {
            Event event;
            event.item = (u * 7 + t) % items;
            event.order = t;
            builder.add(u + 1, event);
        }
    }
    data.interactions = std::move(builder).build();
    return data;
}

// cycleDataset() over a catalogue with genres and types (item i: genre i % 3 and, for even i,
// genre 3; type "TV" or "Movie" by i % 2) and Event::order a time: a June 2022 start plus,
// between events, a gap that depends on the step (a minute to a day).
inline Dataset timedCycleDataset(int items, int users, int maxLength) {
    Dataset data = cycleDataset(items, users, maxLength);
    Catalog catalog;
    for (int i = 0; i < items; ++i) {
        AnimeRecord record;
        record.animeId = 1000 + i;
        record.title = "anime " + std::to_string(i);
        record.genres = {"g" + std::to_string(i % 3)};
        if (i % 2 == 0) record.genres.push_back("g3");
        record.type = i % 2 == 0 ? "TV" : "Movie";
        catalog.add(record);
    }
    Interactions::Builder builder(items);
    for (int u = 0; u < data.interactions.userCount(); ++u) {
        std::int64_t time = 1654041600;
        for (Event event : data.interactions.historyOf(u)) {
            time += event.order % 2 == 0 ? 60 : 86400;
            event.order = time;
            builder.add(data.interactions.userIdAt(u), event);
        }
    }
    return Dataset{std::move(catalog), std::move(builder).build()};
}

// historyOf() with Event::order a time `gapSeconds` apart.
inline std::vector<Event> timedHistoryOf(const std::vector<int>& items, std::int64_t gapSeconds) {
    std::vector<Event> events;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Event event;
        event.item = items[i];
        event.order = 1654041600 + static_cast<std::int64_t>(i) * gapSeconds;
        events.push_back(event);
    }
    return events;
}

inline std::vector<Event> historyOf(const std::vector<int>& items) {
    std::vector<Event> events;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Event event;
        event.item = items[i];
        event.order = static_cast<std::int64_t>(i);
        events.push_back(event);
    }
    return events;
}

inline std::vector<float> scoresFor(const Recommender& model, const std::vector<Event>& history,
                                    int items) {
    std::vector<float> scores(static_cast<std::size_t>(items));
    model.score(UserQuery{-1, history}, scores);
    return scores;
}

// Fraction of cycle starts whose true next item is the top-scored one, for histories of
// 1..maxLength items.
inline double cycleHitRateAt1(const Recommender& model, int items, int maxLength) {
    int hits = 0;
    for (int start = 0; start < items; ++start) {
        const int length = 1 + start % maxLength;
        std::vector<int> sequence;
        for (int t = 0; t < length; ++t) sequence.push_back((start + t) % items);
        const auto scores = scoresFor(model, historyOf(sequence), items);
        const int expected = (start + length) % items;
        int best = 0;
        for (int i = 1; i < items; ++i)
            if (scores[static_cast<std::size_t>(i)] > scores[static_cast<std::size_t>(best)])
                best = i;
        hits += best == expected;
    }
    return static_cast<double>(hits) / items;
}

}  // namespace animerec::testing

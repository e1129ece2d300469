#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace animerec {

// What the online quality view counts per (route, role, model, version) and minute. Every figure
// it reports is a ratio of these sums, so the counts of several replicas and minutes add up.
enum class QualityCount : std::size_t {
    Lists,                   // lists served (status 200)
    CacheLookups,            // lists looked up in the answer cache
    CacheHits,               // ... and found there
    ColdPopular,             // cold-start answers by strategy (core/models/cold_start.h)
    ColdPopularInGenres,     //
    ColdContentFromHistory,  //
    ItemsServed,             // titles in the lists (novelty's denominator)
    Sampled,                 // sampled lists (logged as exposures, variant "default")
    Clicked,                 // sampled lists with feedback on positions 1..K
    Watched,                 // sampled lists with a watch or complete
    Completed,               // sampled lists with a complete
    Feedback,                // feedback events
    Ratings,                 // rate events (mean rating's denominator)
    UserRequests,            // requests naming a user id
    NewUsers,                // ... that the training data does not know
    AnimeRequests,           // anime ids named by requests (content, histories, feedback)
    UnknownAnime,            // ... outside the catalogue the models were trained on
};
inline constexpr std::size_t kQualityCountKinds = 17;
// snake_case name of a count: the database column and the Prometheus metric stem.
const char* qualityCountName(QualityCount count);

struct QualityCounts {
    std::array<std::int64_t, kQualityCountKinds> counts{};
    double noveltySum = 0.0;  // sum over served titles of -log2(share of users who had the title)
    double ratingSum = 0.0;   // sum of the ratings given

    std::int64_t& operator[](QualityCount count) { return counts[static_cast<std::size_t>(count)]; }
    std::int64_t operator[](QualityCount count) const {
        return counts[static_cast<std::size_t>(count)];
    }
    QualityCounts& operator+=(const QualityCounts& other);
    bool empty() const;
};

// Counts per minute (minutes since the epoch), sparse and ascending: the sliding windows of the
// quality view are sums over the last N minutes. Adding to a minute older than the newest one
// (a click on a list served earlier) finds it by binary search.
class MinuteSeries {
public:
    void add(std::int64_t minute, const QualityCounts& counts);
    // Sum over minutes >= fromMinute.
    QualityCounts sumSince(std::int64_t fromMinute) const;
    // Forgets minutes < minute.
    void dropBefore(std::int64_t minute);
    const std::deque<std::pair<std::int64_t, QualityCounts>>& minutes() const { return minutes_; }

private:
    std::deque<std::pair<std::int64_t, QualityCounts>> minutes_;
};

// When each catalogue title was last served, for catalogue coverage over a window (distinct
// titles served since a minute / catalogue size).
class ItemRecency {
public:
    explicit ItemRecency(std::size_t catalogueSize = 0) : lastMinute_(catalogueSize, -1) {}
    // Ignores items outside [0, catalogueSize).
    void served(int item, std::int64_t minute);
    // Takes the later minute per title from `other` (same catalogue size; extra titles ignored).
    void merge(const ItemRecency& other);
    // Distinct titles served at minute >= fromMinute.
    std::int64_t distinctSince(std::int64_t fromMinute) const;
    std::size_t catalogueSize() const { return lastMinute_.size(); }

private:
    std::vector<std::int64_t> lastMinute_;  // -1 = never
};

}  // namespace animerec

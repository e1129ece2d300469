#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// What "popular" means.
// The product's top-100 ranks by members (the catalogue's count of MyAnimeList users who list the
// title); the Bayesian-weighted rating and the in-data interaction count are the alternatives.
enum class PopularityMode : std::uint8_t {
    InteractionCount = 0,  // events per item in the training interactions (any status)
    Members = 1,           // the catalogue's MAL members count (interactions when it has none)
    WeightedRating = 2,    // Bayesian-weighted mean user rating (see PopularityConfig::priorVotes)
};

struct PopularityConfig {
    PopularityMode mode = PopularityMode::Members;  // what score() and top() rank by
    // m in weighted = v/(v+m) * R + m/(v+m) * C (v = the item's rating count, R = its mean user
    // rating, C = the mean over all ratings): an item needs about m ratings before its own mean
    // counts as much as the global one, so three 10s cannot top the list.
    double priorVotes = 50.0;
};

// Non-personalised baseline: every user gets the same ranking (the evaluator and the cold-start
// policy drop what the user has seen). Keeps all three popularity measures so top() can be asked
// for any of them, plus each item's genres for per-genre lists.
class PopularityModel final : public Recommender {
public:
    explicit PopularityModel(PopularityConfig config = {});

    std::string name() const override { return "popularity"; }
    const PopularityConfig& config() const { return config_; }

    // Counts interactions and ratings, reads members and genres from the catalogue. O(events).
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // The config's mode score of every item, whatever the query. Items never seen score 0.
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    int itemCount() const override { return static_cast<int>(count_.size()); }
    // One item's score under `mode`; throws std::out_of_range for a bad index.
    float scoreOf(int item, PopularityMode mode) const;
    // The n most popular items under the config's mode (or `mode`), best first, ties by index.
    std::vector<ScoredItem> top(int n) const;
    std::vector<ScoredItem> top(int n, PopularityMode mode) const;
    // The n most popular items having at least one of `genres` (names, case-insensitive).
    // Throws std::invalid_argument naming the first genre the catalogue does not know.
    std::vector<ScoredItem> topInGenres(const std::vector<std::string>& genres, int n) const;
    std::vector<ScoredItem> topInGenres(const std::vector<std::string>& genres, int n,
                                        PopularityMode mode) const;
    // Genre vocabulary seen at fit time (catalogue order).
    const std::vector<std::string>& genreNames() const { return genreNames_; }

private:
    const std::vector<float>& scoresFor(PopularityMode mode) const;

    PopularityConfig config_;
    std::vector<float> count_;     // interactions per item
    std::vector<float> members_;   // catalogue members (0 when missing)
    std::vector<float> weighted_;  // Bayesian-weighted mean rating (C when the item has none)
    std::vector<std::string> genreNames_;
    std::vector<std::int32_t>
        genreOffsets_;  // CSR: item i's genres are genreIds_[off[i]..off[i+1])
    std::vector<std::int32_t> genreIds_;
};

}  // namespace animerec

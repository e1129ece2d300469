#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/recommender.h"

namespace animerec {

class PopularityModel;
class ContentBasedModel;

// What a recommendation request returns: the ranked items and how they were chosen, so HTTP
// responses, Studio and the request log can say why a user got this list.
struct RecommendationResult {
    std::vector<ScoredItem> items;
    std::string strategy;  // one of the kStrategy* names below
};

inline constexpr const char* kStrategyPopular = "cold_start:popular";
inline constexpr const char* kStrategyPopularInGenres = "cold_start:popular_in_genres";
inline constexpr const char* kStrategyContentFromHistory = "cold_start:content_from_history";
inline constexpr const char* kStrategyPersonal = "personal";
// Appended to a popular strategy when part of the list was sampled for exploration.
inline constexpr const char* kStrategyExplorationSuffix = "+exploration";

struct ColdStartConfig {
    int fewInteractionsThreshold = 5;  // users with fewer usable events get content from history
    // New users: this share of the list's slots (rounded) is sampled, popularity-weighted, from
    // the rest of the top explorationPool instead of taken from the top, so titles below the
    // first page get shown (and their feedback learnt). 0 = always the top n; 1 = all sampled.
    double explorationShare = 0.0;
    int explorationPool = 100;      // M: how deep into the popular list sampling reaches
    std::uint64_t seed = 20240601;  // mixed with the request's explorationKey
};

struct RecommendationRequest {
    UserQuery query;                  // query.history drives the choice of strategy
    int count = 10;                   // how many items to return
    std::vector<std::string> genres;  // new users: restrict the popular list to these genres
    std::vector<int> exclude;         // items never to return, besides those in the history
    std::uint64_t explorationKey =
        0;  // e.g. a user or session id: the same key gives the same list
};

// Events that say something about taste: everything except Plan to Watch.
int usableEventCount(std::span<const Event> history);

// The strategy a request gets, before any fallback for missing models:
// no usable history -> popular (in genres when some are named); fewer than the threshold ->
// content from history; otherwise personal.
const char* chooseStrategy(std::span<const Event> history, bool genresRequested,
                           const ColdStartConfig& config);

// Decides between the personal model and the cold-start strategies and produces the list; shared
// by the HTTP service and Studio. Holds only pointers, so it is cheap to build per request around
// whichever models are live; the models must outlive it. recommend() is const and thread-safe.
class RecommendationPolicy {
public:
    // `popularity` is required; `content` may be null (short histories then fall back to the
    // personal model, or to popular when that is null too).
    RecommendationPolicy(const PopularityModel& popularity, const ContentBasedModel* content,
                         ColdStartConfig config = {});

    // Ranked items for `request`, never an item of the history or of request.exclude.
    // `personal` may be null (content or popular then serve everyone). Throws
    // std::invalid_argument for count < 0 or an unknown genre.
    RecommendationResult recommend(const RecommendationRequest& request,
                                   const Recommender* personal) const;

    // Catalogue size used for score vectors: the larger of the two models' item counts.
    int catalogSize() const;

private:
    RecommendationResult popular(const RecommendationRequest& request,
                                 const std::vector<int>& excluded) const;
    RecommendationResult fromModel(const Recommender& model, const RecommendationRequest& request,
                                   const std::vector<int>& excluded, const char* strategy) const;
    std::vector<ScoredItem> explore(std::vector<ScoredItem> ranked, int count,
                                    std::uint64_t key) const;
    std::vector<ScoredItem> sample(std::vector<ScoredItem> pool, int count,
                                   std::uint64_t key) const;

    const PopularityModel& popularity_;
    const ContentBasedModel* content_;
    ColdStartConfig config_;
};

}  // namespace animerec

#pragma once

#include <cstdint>

namespace animerec {

// Knobs of the synthetic dataset generator (generator.h). Defaults reproduce the shape of the
// MyAnimeList Kaggle data: a median user with ~50 list entries, a long popularity tail and
// ~20% unrated rows. Same config (seed included) -> byte-identical files.
struct GeneratorConfig {
    std::int64_t users = 3000;  // users written; every one gets at least one row
    std::int64_t anime = 4000;  // catalogue size (>= 10)
    std::uint64_t seed = 42;    // everything random derives from this

    // User activity is lognormal: exp(N(mu, sigma)) with mu chosen so the mean (before the cap)
    // is meanInteractionsPerUser. sigma 1.25 gives median ~= mean / 2.2 (~50), near the real data.
    double meanInteractionsPerUser = 110.0;
    double activitySigma = 1.25;
    // A user's list never covers more than this share of the catalogue.
    double maxCatalogueShare = 0.5;

    // Item popularity by rank r (0-based) is proportional to 1 / (r + popularityOffset)^exponent.
    double popularityExponent = 1.5;
    double popularityOffset = 8.0;
    // Probability that a pick follows one of the user's preferred genres instead of global
    // popularity (averaged over users; each user varies around it).
    double genreFocus = 0.8;
    // Share of catalogue entries that are sequels, movies or side stories of a franchise.
    double franchiseShare = 0.3;
    // Probability that a user who completed a title queues its direct sequel.
    double sequelFollowRate = 0.6;
    // Share of list entries that are "Plan to Watch" (always unrated, 0 episodes).
    double planToWatchShare = 0.14;
    // Probability that a watched (not planned) entry carries no score.
    double unscoredShare = 0.07;

    // Throws std::invalid_argument naming the first field that is out of range.
    void validate() const;
};

}  // namespace animerec

#include "data/generator_config.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace animerec {
namespace {

void require(bool ok, const char* field, const std::string& rule, double value) {
    if (ok) return;
    std::string shown = std::to_string(value);
    if (value == std::floor(value) && std::abs(value) < 1e15)
        shown = std::to_string(static_cast<long long>(value));
    throw std::invalid_argument(std::string("generator: ") + field + " must be " + rule + " (got " +
                                shown + ")");
}

}  // namespace

void GeneratorConfig::validate() const {
    require(users >= 1 && users <= 100'000'000, "users", "in [1, 100000000]",
            static_cast<double>(users));
    require(anime >= 10 && anime <= 1'000'000, "anime", "in [10, 1000000]",
            static_cast<double>(anime));
    require(meanInteractionsPerUser >= 1.0 && meanInteractionsPerUser <= 1e5,
            "meanInteractionsPerUser", "in [1, 100000]", meanInteractionsPerUser);
    require(activitySigma >= 0.0 && activitySigma <= 3.0, "activitySigma", "in [0, 3]",
            activitySigma);
    require(maxCatalogueShare > 0.0 && maxCatalogueShare <= 1.0, "maxCatalogueShare", "in (0, 1]",
            maxCatalogueShare);
    require(popularityExponent >= 0.0 && popularityExponent <= 4.0, "popularityExponent",
            "in [0, 4]", popularityExponent);
    require(popularityOffset >= 1.0 && popularityOffset <= 1e6, "popularityOffset",
            "in [1, 1000000]", popularityOffset);
    require(genreFocus >= 0.0 && genreFocus <= 1.0, "genreFocus", "in [0, 1]", genreFocus);
    require(franchiseShare >= 0.0 && franchiseShare <= 0.6, "franchiseShare", "in [0, 0.6]",
            franchiseShare);
    require(sequelFollowRate >= 0.0 && sequelFollowRate <= 1.0, "sequelFollowRate", "in [0, 1]",
            sequelFollowRate);
    require(planToWatchShare >= 0.0 && planToWatchShare <= 0.9, "planToWatchShare", "in [0, 0.9]",
            planToWatchShare);
    require(unscoredShare >= 0.0 && unscoredShare <= 1.0, "unscoredShare", "in [0, 1]",
            unscoredShare);
}

}  // namespace animerec

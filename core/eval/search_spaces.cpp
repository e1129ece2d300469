#include "eval/search_spaces.h"

#include <algorithm>
#include <stdexcept>

#include "eval/split.h"
#include "models/model_factory.h"

namespace animerec {

std::optional<HyperparameterSearchOptions> defaultSearchSpace(const std::string& family,
                                                              std::uint64_t seed,
                                                              std::string* skipped) {
    const auto known = knownModelNames();
    if (std::find(known.begin(), known.end(), family) == known.end())
        throw std::invalid_argument("no search space for unknown model '" + family + "'");
    const DefaultSearch& search = modelFamily(family).search;
    if (!search.untuned.empty()) {
        if (skipped)
            *skipped = family + " is not tuned automatically: " + search.untuned +
                       "; pass its parameters explicitly instead";
        return std::nullopt;
    }
    HyperparameterSearchOptions options;
    options.model = family;
    options.seed = seed;
    options.fixed = search.fixed;
    for (const auto& [name, values] : search.grid) options.ranges.push_back({name, values});
    if (!search.metric.empty()) options.metric = search.metric;
    options.minimize = search.minimize;
    return options;
}

Split validationSplit(const Interactions& train, std::uint64_t seed) {
    HoldoutOptions options;
    options.testShare = 0.2;
    options.minInteractions = 5;
    options.keepSparseUsersInTrain = true;
    options.seed = seed;
    Split split = holdoutSplit(train, options);
    split.protocol.insert(split.protocol.begin(), {"purpose", "validation"});
    return split;
}

}  // namespace animerec

#include "models/item_side_features.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "util/binary_io.h"

namespace animerec {

nn::FeatureBags buildItemSideFeatures(const Catalog& catalog, int itemCount) {
    const int genres = static_cast<int>(catalog.genreNames().size());
    std::map<std::string, int> typeIds;
    for (const auto& item : catalog.items())
        if (!item.type.empty()) typeIds.emplace(item.type, 0);
    int next = genres;
    for (auto& [type, id] : typeIds) id = next++;

    nn::FeatureBags bags;
    bags.features = next;
    for (int item = 0; item < itemCount; ++item) {
        if (item < catalog.size()) {
            auto ids = catalog.genreIdsOf(item);
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            for (int id : ids) {
                bags.ids.push_back(id);
                bags.weights.push_back(1.0f / static_cast<float>(ids.size()));
            }
            const auto& type = catalog.at(item).type;
            if (!type.empty()) {
                bags.ids.push_back(typeIds.at(type));
                bags.weights.push_back(1.0f);
            }
        }
        bags.offsets.push_back(static_cast<int>(bags.ids.size()));
    }
    return bags;
}

void writeItemSideFeatures(std::ostream& out, const nn::FeatureBags& bags) {
    binary::write<std::int32_t>(out, bags.features);
    binary::writeVector(out, bags.offsets);
    binary::writeVector(out, bags.ids);
    binary::writeVector(out, bags.weights);
}

nn::FeatureBags readItemSideFeatures(std::istream& in, int itemCount, const std::string& model) {
    nn::FeatureBags bags;
    bags.features = binary::read<std::int32_t>(in, "side feature count");
    bags.offsets = binary::readVector<int>(in, "side feature offsets");
    bags.ids = binary::readVector<int>(in, "side feature ids");
    bags.weights = binary::readVector<float>(in, "side feature weights");
    const auto corrupt = [&](const std::string& why) {
        return std::runtime_error(model + ": corrupt model body: side features " + why);
    };
    if (bags.features < 0 || bags.features > (1 << 24)) throw corrupt("count");
    if (bags.rows() != itemCount || bags.offsets.front() != 0 ||
        bags.offsets.back() != static_cast<int>(bags.ids.size()) ||
        bags.ids.size() != bags.weights.size() ||
        !std::is_sorted(bags.offsets.begin(), bags.offsets.end()))
        throw corrupt("offsets");
    for (std::size_t k = 0; k < bags.ids.size(); ++k)
        if (bags.ids[k] < 0 || bags.ids[k] >= bags.features || !std::isfinite(bags.weights[k]))
            throw corrupt("entries");
    return bags;
}

}  // namespace animerec

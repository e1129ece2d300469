#include "data/item_features.h"

#include <Eigen/Core>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>

namespace animerec {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    if (values.size() % 2 == 1) return *middle;
    const double upper = *middle;
    const double lower = *std::max_element(values.begin(), middle);
    return (lower + upper) / 2.0;
}

// Standardises `values` in place to mean 0, standard deviation 1 (all-equal values become 0).
void zScore(std::vector<double>& values) {
    if (values.empty()) return;
    double mean = 0.0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double variance = 0.0;
    for (double v : values) variance += (v - mean) * (v - mean);
    const double sd = std::sqrt(variance / static_cast<double>(values.size()));
    for (double& v : values) v = sd > 0.0 ? (v - mean) / sd : 0.0;
}

void checkWeight(float weight, const char* name) {
    if (!(weight >= 0.0f) || !std::isfinite(weight))
        throw std::invalid_argument(std::string("item features: ") + name + " must be >= 0, got " +
                                    std::to_string(weight));
}

std::string binLabel(int bin, int bins) {
    const long long low = bin == 0 ? 1 : (1LL << bin);
    if (bin == bins - 1) return "episodes:>=" + std::to_string(low);
    return "episodes:" + std::to_string(low) + "-" + std::to_string((1LL << (bin + 1)) - 1);
}

}  // namespace

FilledAttributes fillMissingAttributes(const Catalog& catalog) {
    const auto n = static_cast<std::size_t>(catalog.size());
    FilledAttributes filled;
    filled.rating.assign(n, 0.0);
    filled.episodes.assign(n, 0.0);
    filled.members.assign(n, 0.0);
    filled.ratingWasMissing.assign(n, false);
    filled.episodesWasMissing.assign(n, false);

    double ratingSum = 0.0;
    std::size_t ratingCount = 0;
    std::map<std::string, std::vector<double>> episodesByType;
    std::vector<double> allEpisodes;
    std::vector<double> allMembers;
    for (const auto& item : catalog.items()) {
        if (item.rating) {
            ratingSum += *item.rating;
            ++ratingCount;
        }
        if (item.episodes && *item.episodes > 0) {
            episodesByType[item.type].push_back(*item.episodes);
            allEpisodes.push_back(*item.episodes);
        }
        if (item.members) allMembers.push_back(static_cast<double>(*item.members));
    }
    const double meanRating = ratingCount > 0 ? ratingSum / static_cast<double>(ratingCount) : 0.0;
    // A type's median is more telling than the global one: an unknown-length TV series is far
    // more likely to be long than an unknown-length movie.
    std::map<std::string, double> medianByType;
    for (auto& [type, values] : episodesByType) medianByType[type] = median(values);
    const double overallEpisodes = allEpisodes.empty() ? 1.0 : median(allEpisodes);
    const double medianMembers = median(allMembers);

    for (std::size_t i = 0; i < n; ++i) {
        const auto& item = catalog.items()[i];
        filled.ratingWasMissing[i] = !item.rating.has_value();
        filled.rating[i] = item.rating.value_or(meanRating);
        if (item.episodes && *item.episodes > 0) {
            filled.episodes[i] = *item.episodes;
        } else {
            filled.episodesWasMissing[i] = true;
            const auto it = medianByType.find(item.type);
            filled.episodes[i] = it != medianByType.end() ? it->second : overallEpisodes;
        }
        filled.members[i] = item.members ? static_cast<double>(*item.members) : medianMembers;
    }
    return filled;
}

std::vector<float> genreIdf(const Catalog& catalog) {
    std::vector<int> documentFrequency(catalog.genreNames().size(), 0);
    for (int i = 0; i < catalog.size(); ++i) {
        // Count each genre once per item even if a file lists it twice.
        auto ids = catalog.genreIdsOf(i);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (int id : ids) ++documentFrequency[static_cast<std::size_t>(id)];
    }
    std::vector<float> idf(documentFrequency.size());
    const double items = static_cast<double>(catalog.size());
    for (std::size_t g = 0; g < idf.size(); ++g)
        idf[g] = static_cast<float>(std::log((1.0 + items) / (1.0 + documentFrequency[g])) + 1.0);
    return idf;
}

int episodeBin(double episodes, int bins) {
    if (!(episodes > 1.0)) return 0;
    const int bin = static_cast<int>(std::floor(std::log2(episodes)));
    return std::clamp(bin, 0, bins - 1);
}

std::vector<std::string> titleWords(const std::string& title) {
    std::vector<std::string> words;
    std::string word;
    const auto flush = [&] {
        const bool allDigits =
            std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (word.size() >= 2 && !allDigits) words.push_back(word);
        word.clear();
    };
    for (const char c : title) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || byte >= 0x80) {
            word.push_back(static_cast<char>(std::tolower(byte)));
        } else {
            flush();
        }
    }
    flush();
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

namespace {

// Fills the title-word block of `features` with TF-IDF weights scaled so the block has norm
// `weight` for every item that has a kept word. Words in one title only cannot link two items and
// words in very many titles carry no signal, so both are dropped.
void addTitleWords(const Catalog& catalog, float weight, double maxShare, ItemFeatures& features) {
    std::vector<std::vector<std::string>> itemWords;
    std::map<std::string, int> documentFrequency;
    for (const auto& item : catalog.items()) {
        itemWords.push_back(titleWords(item.title));
        for (const auto& word : itemWords.back()) ++documentFrequency[word];
    }
    const double items = static_cast<double>(catalog.size());
    const auto maxDf = static_cast<int>(std::max(2.0, maxShare * items));
    std::map<std::string, int> wordId;
    for (const auto& [word, df] : documentFrequency) {
        if (df < 2 || df > maxDf) continue;
        wordId.emplace(word, static_cast<int>(features.words.size()));
        features.words.push_back(word);
    }
    features.wordOffsets.push_back(0);
    for (const auto& wordsOfItem : itemWords) {
        const auto start = features.wordValues.size();
        double norm = 0.0;
        for (const auto& word : wordsOfItem) {
            const auto it = wordId.find(word);
            if (it == wordId.end()) continue;
            const double idf = std::log((1.0 + items) / (1.0 + documentFrequency[word])) + 1.0;
            features.wordIds.push_back(it->second);  // `wordsOfItem` is sorted, so ids ascend
            features.wordValues.push_back(static_cast<float>(idf));
            norm += idf * idf;
        }
        for (auto i = start; i < features.wordValues.size(); ++i)
            features.wordValues[i] *= static_cast<float>(weight / std::sqrt(norm));
        features.wordOffsets.push_back(static_cast<std::int32_t>(features.wordIds.size()));
    }
}

}  // namespace

ItemFeatures buildItemFeatures(const Catalog& catalog, const ItemFeatureConfig& config) {
    checkWeight(config.genreWeight, "genreWeight");
    checkWeight(config.typeWeight, "typeWeight");
    checkWeight(config.episodesWeight, "episodesWeight");
    checkWeight(config.ratingWeight, "ratingWeight");
    checkWeight(config.membersWeight, "membersWeight");
    checkWeight(config.titleWeight, "titleWeight");
    if (!(config.titleMaxShare > 0.0 && config.titleMaxShare <= 1.0))
        throw std::invalid_argument("item features: titleMaxShare must be in (0, 1], got " +
                                    std::to_string(config.titleMaxShare));
    if (config.episodeBins < 1 || config.episodeBins > 62)
        throw std::invalid_argument("item features: episodeBins must be in [1, 62], got " +
                                    std::to_string(config.episodeBins));

    ItemFeatures features;
    features.rows = catalog.size();
    auto& names = features.featureNames;

    // Column layout: [genres][types][episode bins][rating][members]; blocks with weight 0 are
    // left out so they cost nothing at query time.
    const int genreStart = 0;
    const int genreCount =
        config.genreWeight > 0 ? static_cast<int>(catalog.genreNames().size()) : 0;
    for (int g = 0; g < genreCount; ++g)
        names.push_back("genre:" + catalog.genreNames()[static_cast<std::size_t>(g)]);

    // Sorted type names make the column order independent of catalogue order.
    std::map<std::string, int> typeColumn;
    if (config.typeWeight > 0)
        for (const auto& item : catalog.items())
            if (!item.type.empty()) typeColumn.emplace(item.type, 0);
    for (auto& [type, column] : typeColumn) {
        column = static_cast<int>(names.size());
        names.push_back("type:" + type);
    }
    const int binStart = static_cast<int>(names.size());
    const int binCount = config.episodesWeight > 0 ? config.episodeBins : 0;
    for (int b = 0; b < binCount; ++b) names.push_back(binLabel(b, config.episodeBins));
    const int ratingColumn = config.ratingWeight > 0 ? static_cast<int>(names.size()) : -1;
    if (ratingColumn >= 0) names.push_back("rating");
    const int membersColumn = config.membersWeight > 0 ? static_cast<int>(names.size()) : -1;
    if (membersColumn >= 0) names.push_back("log_members");
    features.cols = static_cast<int>(names.size());

    const FilledAttributes filled = fillMissingAttributes(catalog);
    std::vector<double> ratingZ = filled.rating;
    zScore(ratingZ);
    std::vector<double> membersZ(filled.members.size());
    for (std::size_t i = 0; i < membersZ.size(); ++i) membersZ[i] = std::log1p(filled.members[i]);
    zScore(membersZ);
    const std::vector<float> idf = genreIdf(catalog);

    if (config.titleWeight > 0)
        addTitleWords(catalog, config.titleWeight, config.titleMaxShare, features);

    features.values.assign(
        static_cast<std::size_t>(features.rows) * static_cast<std::size_t>(features.cols), 0.0f);
    std::vector<float> genreBlock;
    for (int i = 0; i < features.rows; ++i) {
        float* row = features.values.data() +
                     static_cast<std::size_t>(i) * static_cast<std::size_t>(features.cols);
        const auto& item = catalog.at(i);
        // Each block is normalised on its own before weighting, so the weights say how much each
        // block counts in the cosine regardless of how many genres an item happens to list.
        if (genreCount > 0 && !catalog.genreIdsOf(i).empty()) {
            double norm = 0.0;
            genreBlock.assign(static_cast<std::size_t>(genreCount), 0.0f);
            for (int id : catalog.genreIdsOf(i))
                genreBlock[static_cast<std::size_t>(id)] = idf[static_cast<std::size_t>(id)];
            for (float v : genreBlock) norm += static_cast<double>(v) * v;
            const auto scale = static_cast<float>(config.genreWeight / std::sqrt(norm));
            for (int g = 0; g < genreCount; ++g)
                row[genreStart + g] = genreBlock[static_cast<std::size_t>(g)] * scale;
        }
        if (const auto it = typeColumn.find(item.type); it != typeColumn.end())
            row[it->second] = config.typeWeight;
        if (binCount > 0)
            row[binStart + episodeBin(filled.episodes[static_cast<std::size_t>(i)], binCount)] =
                config.episodesWeight;
        if (ratingColumn >= 0)
            row[ratingColumn] =
                static_cast<float>(config.ratingWeight * ratingZ[static_cast<std::size_t>(i)]);
        if (membersColumn >= 0)
            row[membersColumn] =
                static_cast<float>(config.membersWeight * membersZ[static_cast<std::size_t>(i)]);

        double norm = 0.0;
        for (int c = 0; c < features.cols; ++c) norm += static_cast<double>(row[c]) * row[c];
        std::size_t wordBegin = 0;
        std::size_t wordEnd = 0;
        if (features.hasWords()) {
            wordBegin = static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(i)]);
            wordEnd =
                static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(i) + 1]);
        }
        for (auto w = wordBegin; w < wordEnd; ++w)
            norm += static_cast<double>(features.wordValues[w]) * features.wordValues[w];
        if (norm > 0.0) {
            const auto inverse = static_cast<float>(1.0 / std::sqrt(norm));
            for (int c = 0; c < features.cols; ++c) row[c] *= inverse;
            for (auto w = wordBegin; w < wordEnd; ++w) features.wordValues[w] *= inverse;
        }
    }
    indexWords(features);
    return features;
}

void indexWords(ItemFeatures& f) {
    f.postingOffsets.assign(f.words.size() + 1, 0);
    f.postingItems.assign(f.wordIds.size(), 0);
    f.postingValues.assign(f.wordIds.size(), 0.0f);
    if (!f.hasWords()) {
        if (!f.wordIds.empty() || !f.wordValues.empty())
            throw std::invalid_argument("item features: title words without offsets");
        return;
    }
    if (f.wordOffsets.size() != static_cast<std::size_t>(f.rows) + 1 ||
        f.wordOffsets.front() != 0 ||
        static_cast<std::size_t>(f.wordOffsets.back()) != f.wordIds.size() ||
        f.wordValues.size() != f.wordIds.size() ||
        !std::is_sorted(f.wordOffsets.begin(), f.wordOffsets.end()))
        throw std::invalid_argument("item features: title-word block has inconsistent sizes");
    for (const auto id : f.wordIds) {
        if (id < 0 || static_cast<std::size_t>(id) >= f.words.size())
            throw std::invalid_argument("item features: title word id " + std::to_string(id) +
                                        " out of range");
        ++f.postingOffsets[static_cast<std::size_t>(id) + 1];
    }
    for (std::size_t w = 1; w < f.postingOffsets.size(); ++w)
        f.postingOffsets[w] += f.postingOffsets[w - 1];
    std::vector<std::int32_t> next(f.postingOffsets.begin(), f.postingOffsets.end() - 1);
    for (int item = 0; item < f.rows; ++item)
        for (auto k = static_cast<std::size_t>(f.wordOffsets[static_cast<std::size_t>(item)]);
             k < static_cast<std::size_t>(f.wordOffsets[static_cast<std::size_t>(item) + 1]); ++k) {
            const auto slot =
                static_cast<std::size_t>(next[static_cast<std::size_t>(f.wordIds[k])]++);
            f.postingItems[slot] = item;
            f.postingValues[slot] = f.wordValues[k];
        }
}

FeatureVector itemVector(const ItemFeatures& features, int item) {
    FeatureVector vector;
    vector.dense.assign(features.row(item), features.row(item) + features.cols);
    if (features.hasWords())
        for (auto k =
                 static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(item)]);
             k < static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(item) + 1]);
             ++k)
            vector.words.emplace_back(features.wordIds[k], features.wordValues[k]);
    return vector;
}

FeatureVector weightedSum(const ItemFeatures& features, std::span<const int> items,
                          std::span<const float> weights, float divisor) {
    FeatureVector sum;
    sum.dense.assign(static_cast<std::size_t>(features.cols), 0.0f);
    Eigen::Map<Eigen::VectorXf> dense(sum.dense.data(), features.cols);
    const Eigen::Map<const RowMatrix> matrix(features.values.data(), features.rows, features.cols);
    std::map<std::int32_t, float> words;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const int item = items[i];
        if (features.cols > 0) dense += weights[i] * matrix.row(item).transpose();
        if (features.hasWords())
            for (auto k =
                     static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(item)]);
                 k <
                 static_cast<std::size_t>(features.wordOffsets[static_cast<std::size_t>(item) + 1]);
                 ++k)
                words[features.wordIds[k]] += weights[i] * features.wordValues[k];
    }
    dense /= divisor;
    for (const auto& [word, value] : words) sum.words.emplace_back(word, value / divisor);
    return sum;
}

void dotAll(const ItemFeatures& features, const FeatureVector& query, std::span<float> scores) {
    const auto shared =
        std::min<std::ptrdiff_t>(features.rows, static_cast<std::ptrdiff_t>(scores.size()));
    Eigen::Map<Eigen::VectorXf> out(scores.data(), shared);
    if (shared > 0 && features.cols > 0) {
        const Eigen::Map<const RowMatrix> matrix(features.values.data(), features.rows,
                                                 features.cols);
        const Eigen::Map<const Eigen::VectorXf> q(query.dense.data(), features.cols);
        out.noalias() = matrix.topRows(shared) * q;
    } else {
        out.setZero();
    }
    // Title words are sparse: walking each query word's postings touches only items sharing it.
    for (const auto& [word, value] : query.words) {
        const auto w = static_cast<std::size_t>(word);
        for (auto k = static_cast<std::size_t>(features.postingOffsets[w]);
             k < static_cast<std::size_t>(features.postingOffsets[w + 1]); ++k) {
            const auto item = features.postingItems[k];
            if (item < shared) out[item] += value * features.postingValues[k];
        }
    }
    const float lowest = shared > 0 ? out.minCoeff() : 0.0f;
    std::fill(scores.begin() + shared, scores.end(), lowest);
}

}  // namespace animerec

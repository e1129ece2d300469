#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "data/catalog.h"

namespace animerec {

// Catalogue attributes with every gap filled, one value per catalogue index.
// Missing rating -> mean of the known ratings; missing episodes -> median episodes of the items of
// the same type (overall median when the type has no known count); missing members -> median
// members.
struct FilledAttributes {
    std::vector<double> rating;
    std::vector<double> episodes;
    std::vector<double> members;
    std::vector<bool> ratingWasMissing;
    std::vector<bool> episodesWasMissing;
};

// Fills the gaps of `catalog` as described above. An empty catalogue gives empty vectors.
FilledAttributes fillMissingAttributes(const Catalog& catalog);

// How the content vector of an item is built. A block weight of 0 leaves the block out.
struct ItemFeatureConfig {
    float genreWeight = 1.0f;     // TF-IDF over genres (the block that carries most of the signal)
    float typeWeight = 0.5f;      // one-hot type (TV, Movie, OVA, ...; unknown type -> no bit)
    float episodesWeight = 0.5f;  // one-hot bin of log2(episodes)
    int episodeBins = 8;          // bins 0..bins-1: 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64-127, 128+
    float ratingWeight = 0.0f;    // z-scored community rating (filled where missing)
    float membersWeight = 0.0f;   // z-scored log(1 + members): a popularity direction
    // Sparse TF-IDF block over title words: ties a franchise together (a TV series, its movie
    // and sequels share words such as "bebop" that no genre captures).
    float titleWeight = 0.0f;
    double titleMaxShare =
        0.01;  // words in more than this share of titles ("no", "movie") are dropped
};

// Item vectors: a dense item x feature matrix (row-major, row i = catalogue item i) plus an
// optional sparse block of title words (CSR by item). Each item's whole vector (dense and sparse
// parts together) is L2-normalised, so a dot product is the cosine similarity; an item with no
// features at all keeps a zero vector.
struct ItemFeatures {
    int rows = 0;
    int cols = 0;
    std::vector<float> values;              // rows * cols, row-major
    std::vector<std::string> featureNames;  // "genre:Action", "type:TV", "episodes:2-3", ...
    // Title-word block; wordOffsets is empty when the block is off, else rows + 1 long.
    std::vector<std::int32_t> wordOffsets;
    std::vector<std::int32_t> wordIds;  // into `words`, ascending within an item
    std::vector<float> wordValues;
    std::vector<std::string> words;

    // Inverted index of the title words (word -> items, values), derived: see indexWords().
    std::vector<std::int32_t> postingOffsets;
    std::vector<std::int32_t> postingItems;
    std::vector<float> postingValues;

    const float* row(int item) const {
        return values.data() + static_cast<std::size_t>(item) * cols;
    }
    bool hasWords() const { return !wordOffsets.empty(); }
};

// A point in item-feature space (a user profile, or one item's vector): dense part plus sparse
// title words.
struct FeatureVector {
    std::vector<float> dense;                           // features.cols values
    std::vector<std::pair<std::int32_t, float>> words;  // (word id, value), ascending ids
};

// (Re)builds the inverted word index of `features`; buildItemFeatures() already calls it.
// Throws std::invalid_argument when the word block is inconsistent (ids out of range, offsets).
void indexWords(ItemFeatures& features);

// Item `item`'s vector as a FeatureVector. Precondition: 0 <= item < features.rows.
FeatureVector itemVector(const ItemFeatures& features, int item);

// Weighted sum of item vectors: sum of weights[i] * vector(items[i]) divided by `divisor`
// (equal sizes; divisor > 0).
FeatureVector weightedSum(const ItemFeatures& features, std::span<const int> items,
                          std::span<const float> weights, float divisor);

// query . item for every item into `scores` (size may differ from features.rows: items beyond
// the features get the lowest score computed, missing ones are not scored). O(rows x cols) for
// the dense part plus the postings of the query's words.
void dotAll(const ItemFeatures& features, const FeatureVector& query, std::span<float> scores);

// Lower-cased title words: runs of letters, digits and non-ASCII bytes, at least two bytes long,
// not all digits ("Cowboy Bebop: Tengoku no Tobira" -> cowboy, bebop, tengoku, no, tobira).
std::vector<std::string> titleWords(const std::string& title);

// Inverse document frequency of each genre id of `catalog`: log((1 + N) / (1 + df)) + 1
// (the smoothed form, so a genre every item has still weighs 1, never 0).
std::vector<float> genreIdf(const Catalog& catalog);

// Log2 bin of an episode count (count <= 1 -> bin 0), capped at bins - 1.
int episodeBin(double episodes, int bins);

// Builds the item vectors of `catalog`. Throws std::invalid_argument for a negative weight or
// episodeBins < 1.
ItemFeatures buildItemFeatures(const Catalog& catalog, const ItemFeatureConfig& config = {});

}  // namespace animerec

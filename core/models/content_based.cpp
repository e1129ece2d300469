#include "models/content_based.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <stdexcept>

#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;

void checkConfig(const ContentConfig& config) {
    if (!(config.ratingScale > 0.0f))
        throw std::invalid_argument("content: ratingScale must be > 0, got " +
                                    std::to_string(config.ratingScale));
    if (!std::isfinite(config.ratingCentre) || !std::isfinite(config.unratedWeight) ||
        !std::isfinite(config.droppedWeight))
        throw std::invalid_argument("content: profile weights must be finite");
}

void writeFeatureConfig(std::ostream& out, const ItemFeatureConfig& f) {
    binary::write<float>(out, f.genreWeight);
    binary::write<float>(out, f.typeWeight);
    binary::write<float>(out, f.episodesWeight);
    binary::write<std::int32_t>(out, f.episodeBins);
    binary::write<float>(out, f.ratingWeight);
    binary::write<float>(out, f.membersWeight);
    binary::write<float>(out, f.titleWeight);
    binary::write<double>(out, f.titleMaxShare);
}

ItemFeatureConfig readFeatureConfig(std::istream& in) {
    ItemFeatureConfig f;
    f.genreWeight = binary::read<float>(in, "content genre weight");
    f.typeWeight = binary::read<float>(in, "content type weight");
    f.episodesWeight = binary::read<float>(in, "content episodes weight");
    f.episodeBins = binary::read<std::int32_t>(in, "content episode bins");
    f.ratingWeight = binary::read<float>(in, "content rating weight");
    f.membersWeight = binary::read<float>(in, "content members weight");
    f.titleWeight = binary::read<float>(in, "content title weight");
    f.titleMaxShare = binary::read<double>(in, "content title max share");
    return f;
}

void writeFeatures(std::ostream& out, const ItemFeatures& f) {
    binary::write<std::int32_t>(out, f.rows);
    binary::write<std::int32_t>(out, f.cols);
    binary::writeVector(out, f.values);
    for (const auto& name : f.featureNames) binary::writeString(out, name);
    binary::writeVector(out, f.wordOffsets);
    binary::writeVector(out, f.wordIds);
    binary::writeVector(out, f.wordValues);
    binary::write<std::uint32_t>(out, static_cast<std::uint32_t>(f.words.size()));
    for (const auto& word : f.words) binary::writeString(out, word);
}

// Reads and checks one feature space, so scoring can index it without further checks.
ItemFeatures readFeatures(std::istream& in) {
    ItemFeatures f;
    f.rows = binary::read<std::int32_t>(in, "content rows");
    f.cols = binary::read<std::int32_t>(in, "content columns");
    if (f.rows < 0 || f.cols < 0 || f.cols > 100000)
        throw std::runtime_error("content matrix has impossible dimensions");
    f.values = binary::readVector<float>(in, "content item vectors");
    if (f.values.size() != static_cast<std::size_t>(f.rows) * static_cast<std::size_t>(f.cols))
        throw std::runtime_error("content matrix size does not match its dimensions");
    for (const float v : f.values)
        if (!std::isfinite(v)) throw std::runtime_error("content matrix holds a non-finite value");
    for (int c = 0; c < f.cols; ++c)
        f.featureNames.push_back(binary::readString(in, "content feature name"));
    f.wordOffsets = binary::readVector<std::int32_t>(in, "content title offsets");
    f.wordIds = binary::readVector<std::int32_t>(in, "content title word ids");
    f.wordValues = binary::readVector<float>(in, "content title word values");
    const auto wordCount = binary::read<std::uint32_t>(in, "content title vocabulary size");
    if (wordCount > (1u << 24))
        throw std::runtime_error("content title vocabulary size is impossible");
    for (std::uint32_t w = 0; w < wordCount; ++w)
        f.words.push_back(binary::readString(in, "content title word"));
    try {
        indexWords(f);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(error.what());
    }
    return f;
}

}  // namespace

ContentConfig contentWithPopularityPrior() {
    // Genre and members weights chosen on the validation split carved from P1's train part
    // (`bench_collaborative tuned:content_pop`, bench/README.md).
    ContentConfig config;
    config.profile.genreWeight = 1.0f;
    config.profile.ratingWeight = 0.5f;
    config.profile.membersWeight = 3.0f;
    return config;
}

ContentBasedModel::ContentBasedModel(ContentConfig config, std::string family)
    : config_(config), family_(std::move(family)) {
    checkConfig(config_);
}

void ContentBasedModel::fit(const Dataset& data, const ProgressCallback& progress) {
    reportProgress(progress, {"content: item vectors", 0, 2, {}});
    ItemFeatures similarity = buildItemFeatures(data.catalog, config_.similarity);
    reportProgress(progress, {"content: item vectors", 1, 2, {}});
    ItemFeatures profile = buildItemFeatures(data.catalog, config_.profile);
    reportProgress(progress, {"content: item vectors", 2, 2, {}});
    std::vector<ScoredItem> neighbours = precomputeNeighbours(similarity, progress);
    similaritySpace_ = std::move(similarity);
    profileSpace_ = std::move(profile);
    neighbours_ = std::move(neighbours);
    neighbourWidth_ = std::min(kPrecomputedNeighbours, std::max(0, similaritySpace_.rows - 1));
}

std::vector<ScoredItem> ContentBasedModel::precomputeNeighbours(const ItemFeatures& similarity,
                                                                const ProgressCallback& progress) {
    const int items = similarity.rows;
    const int width = std::min(kPrecomputedNeighbours, std::max(0, items - 1));
    std::vector<ScoredItem> table(static_cast<std::size_t>(items) *
                                  static_cast<std::size_t>(width));
    // Blocks of ~1% so progress is reported (and cancel honoured) from this thread only.
    const int block = std::max(64, items / 100);
    for (int from = 0; from < items; from += block) {
        reportProgress(progress, {"content: neighbours", from, items, {}});
        parallelFor(
            from, std::min(items, from + block), defaultThreadCount(),
            [&](int item) {
                std::vector<float> scores(static_cast<std::size_t>(items));
                dotAll(similarity, itemVector(similarity, item), scores);
                const int self[] = {item};
                const std::vector<ScoredItem> best = topK(scores, width, self);
                std::copy(best.begin(), best.end(),
                          table.begin() + static_cast<std::ptrdiff_t>(item) * width);
            },
            8);
    }
    reportProgress(progress, {"content: neighbours", items, items, {}});
    return table;
}

float ContentBasedModel::eventWeight(const Event& event, float userMean) const {
    switch (event.status) {
        case WatchStatus::PlanToWatch:
            return 0.0f;  // an intention, not evidence of taste
        case WatchStatus::Dropped:
            return config_.droppedWeight;
        default:
            break;
    }
    if (event.rating <= 0.0f) return config_.unratedWeight;
    const float centre = config_.centreOnUserMean ? userMean : config_.ratingCentre;
    return (event.rating - centre) / config_.ratingScale;
}

FeatureVector ContentBasedModel::userProfile(std::span<const Event> history) const {
    double ratingSum = 0.0;
    int rated = 0;
    for (const Event& event : history)
        if (event.rating > 0.0f && event.status != WatchStatus::PlanToWatch) {
            ratingSum += event.rating;
            ++rated;
        }
    const auto userMean = static_cast<float>(rated > 0 ? ratingSum / rated : config_.ratingCentre);

    std::vector<int> items;
    std::vector<float> weights;
    float totalWeight = 0.0f;
    for (const Event& event : history) {
        if (event.item < 0 || event.item >= profileSpace_.rows) continue;
        const float weight = eventWeight(event, userMean);
        if (weight == 0.0f) continue;
        items.push_back(event.item);
        weights.push_back(weight);
        totalWeight += std::abs(weight);
    }
    // A user whose every rating equals the centre (e.g. all 8s with centreOnUserMean) would get
    // an empty profile; their history still says what they watch, so fall back to the plain mean.
    if (items.empty()) {
        for (const Event& event : history) {
            if (event.item < 0 || event.item >= profileSpace_.rows) continue;
            if (event.status == WatchStatus::PlanToWatch || event.status == WatchStatus::Dropped)
                continue;
            items.push_back(event.item);
            weights.push_back(1.0f);
            totalWeight += 1.0f;
        }
    }
    return weightedSum(profileSpace_, items, weights, totalWeight > 0.0f ? totalWeight : 1.0f);
}

void ContentBasedModel::score(const UserQuery& query, std::span<float> scores) const {
    dotAll(profileSpace_, userProfile(query.history), scores);
}

void ContentBasedModel::checkItem(int item) const {
    if (item < 0 || item >= similaritySpace_.rows)
        throw std::out_of_range("content: item index " + std::to_string(item) +
                                " outside the catalogue of " +
                                std::to_string(similaritySpace_.rows));
}

std::vector<ScoredItem> ContentBasedModel::similarItems(int item, int n) const {
    checkItem(item);
    // The table holds every other item when the catalogue is small, so any n is a prefix then.
    const bool complete = neighbourWidth_ == similaritySpace_.rows - 1;
    if (neighbourWidth_ > 0 && (n <= neighbourWidth_ || complete)) {
        const auto first =
            neighbours_.begin() + static_cast<std::ptrdiff_t>(item) * neighbourWidth_;
        return {first, first + std::clamp(n, 0, neighbourWidth_)};
    }
    return computeSimilarItems(item, n);
}

std::vector<ScoredItem> ContentBasedModel::computeSimilarItems(int item, int n) const {
    checkItem(item);
    std::vector<float> scores(static_cast<std::size_t>(similaritySpace_.rows));
    dotAll(similaritySpace_, itemVector(similaritySpace_, item), scores);
    const int self[] = {item};
    return topK(scores, n, self);
}

void ContentBasedModel::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    writeFeatureConfig(out, config_.similarity);
    writeFeatureConfig(out, config_.profile);
    binary::write<float>(out, config_.ratingCentre);
    binary::write<std::uint8_t>(out, config_.centreOnUserMean ? 1 : 0);
    binary::write<float>(out, config_.ratingScale);
    binary::write<float>(out, config_.unratedWeight);
    binary::write<float>(out, config_.droppedWeight);
    writeFeatures(out, similaritySpace_);
    writeFeatures(out, profileSpace_);
}

void ContentBasedModel::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "content body version");
    if (version != kBodyVersion)
        throw std::runtime_error("content body version " + std::to_string(version) +
                                 " is not supported (expected " + std::to_string(kBodyVersion) +
                                 ")");
    ContentConfig config;
    config.similarity = readFeatureConfig(in);
    config.profile = readFeatureConfig(in);
    config.ratingCentre = binary::read<float>(in, "content rating centre");
    config.centreOnUserMean = binary::read<std::uint8_t>(in, "content centre flag") != 0;
    config.ratingScale = binary::read<float>(in, "content rating scale");
    config.unratedWeight = binary::read<float>(in, "content unrated weight");
    config.droppedWeight = binary::read<float>(in, "content dropped weight");
    try {
        checkConfig(config);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(error.what());
    }
    ItemFeatures similarity = readFeatures(in);
    ItemFeatures profile = readFeatures(in);
    if (similarity.rows != profile.rows)
        throw std::runtime_error("content feature spaces disagree on the item count");
    std::vector<ScoredItem> neighbours = precomputeNeighbours(similarity, {});
    config_ = config;
    similaritySpace_ = std::move(similarity);
    profileSpace_ = std::move(profile);
    neighbours_ = std::move(neighbours);
    neighbourWidth_ = std::min(kPrecomputedNeighbours, std::max(0, similaritySpace_.rows - 1));
}

}  // namespace animerec

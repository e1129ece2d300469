#include "models/popularity.h"

#include <algorithm>
#include <cctype>
#include <istream>
#include <ostream>
#include <stdexcept>

#include "models/unknown_items.h"
#include "util/binary_io.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;

std::string lowered(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Fills `scores` from `known`; items beyond it were added to the catalogue after training.
void fillScores(const std::vector<float>& known, std::span<float> scores) {
    const std::size_t shared = std::min(known.size(), scores.size());
    std::copy_n(known.begin(), shared, scores.begin());
    scoreUnknownItemsLast(scores, shared);
}

}  // namespace

PopularityModel::PopularityModel(PopularityConfig config) : config_(config) {
    if (!(config_.priorVotes >= 0.0))
        throw std::invalid_argument("popularity: priorVotes must be >= 0, got " +
                                    std::to_string(config_.priorVotes));
    if (static_cast<int>(config_.mode) > 2)
        throw std::invalid_argument("popularity: unknown mode " +
                                    std::to_string(static_cast<int>(config_.mode)));
}

void PopularityModel::fit(const Dataset& data, const ProgressCallback& progress) {
    const int items = data.catalog.size();
    const int users = data.interactions.userCount();
    std::vector<double> count(static_cast<std::size_t>(items), 0.0);
    std::vector<double> ratingSum(static_cast<std::size_t>(items), 0.0);
    std::vector<double> ratingCount(static_cast<std::size_t>(items), 0.0);
    double globalSum = 0.0;
    double globalCount = 0.0;
    const int step = std::max(1, users / 100);
    for (int user = 0; user < users; ++user) {
        if (user % step == 0) reportProgress(progress, {"popularity: counting", user, users, {}});
        for (const Event& event : data.interactions.historyOf(user)) {
            if (event.item < 0 || event.item >= items) continue;
            const auto i = static_cast<std::size_t>(event.item);
            count[i] += 1.0;
            if (event.rating > 0.0f) {
                ratingSum[i] += event.rating;
                ratingCount[i] += 1.0;
                globalSum += event.rating;
                globalCount += 1.0;
            }
        }
    }
    const double globalMean = globalCount > 0.0 ? globalSum / globalCount : 0.0;
    const double m = config_.priorVotes;

    std::vector<float> countScores(static_cast<std::size_t>(items));
    std::vector<float> memberScores(static_cast<std::size_t>(items));
    std::vector<float> weightedScores(static_cast<std::size_t>(items));
    std::vector<std::int32_t> offsets{0};
    std::vector<std::int32_t> genreIds;
    for (int item = 0; item < items; ++item) {
        const auto i = static_cast<std::size_t>(item);
        countScores[i] = static_cast<float>(count[i]);
        memberScores[i] = static_cast<float>(data.catalog.at(item).members.value_or(0));
        const double v = ratingCount[i];
        // With m = 0 and no ratings the formula is 0/0: such an item falls back to the prior C.
        const double weighted = v + m > 0.0 ? (v / (v + m)) * (v > 0.0 ? ratingSum[i] / v : 0.0) +
                                                  (m / (v + m)) * globalMean
                                            : globalMean;
        weightedScores[i] = static_cast<float>(weighted);
        for (int id : data.catalog.genreIdsOf(item)) genreIds.push_back(id);
        offsets.push_back(static_cast<std::int32_t>(genreIds.size()));
    }
    reportProgress(progress, {"popularity: counting", users, users, {}});
    // A catalogue without members figures (none at all) ranks by the interactions instead of
    // tying every title at 0.
    if (std::all_of(memberScores.begin(), memberScores.end(), [](float v) { return v == 0.0f; }))
        memberScores = countScores;

    count_ = std::move(countScores);
    members_ = std::move(memberScores);
    weighted_ = std::move(weightedScores);
    genreNames_ = data.catalog.genreNames();
    genreOffsets_ = std::move(offsets);
    genreIds_ = std::move(genreIds);
}

const std::vector<float>& PopularityModel::scoresFor(PopularityMode mode) const {
    switch (mode) {
        case PopularityMode::InteractionCount:
            return count_;
        case PopularityMode::Members:
            return members_;
        case PopularityMode::WeightedRating:
            return weighted_;
    }
    throw std::invalid_argument("popularity: unknown mode");
}

void PopularityModel::score(const UserQuery& /*query*/, std::span<float> scores) const {
    fillScores(scoresFor(config_.mode), scores);
}

float PopularityModel::scoreOf(int item, PopularityMode mode) const {
    return scoresFor(mode).at(static_cast<std::size_t>(item));
}

std::vector<ScoredItem> PopularityModel::top(int n) const { return top(n, config_.mode); }

std::vector<ScoredItem> PopularityModel::top(int n, PopularityMode mode) const {
    return topK(scoresFor(mode), n);
}

std::vector<ScoredItem> PopularityModel::topInGenres(const std::vector<std::string>& genres,
                                                     int n) const {
    return topInGenres(genres, n, config_.mode);
}

std::vector<ScoredItem> PopularityModel::topInGenres(const std::vector<std::string>& genres, int n,
                                                     PopularityMode mode) const {
    std::vector<bool> wanted(genreNames_.size(), false);
    for (const auto& genre : genres) {
        const std::string key = lowered(genre);
        const auto it = std::find_if(genreNames_.begin(), genreNames_.end(),
                                     [&](const std::string& name) { return lowered(name) == key; });
        if (it == genreNames_.end()) throw std::invalid_argument("unknown genre '" + genre + "'");
        wanted[static_cast<std::size_t>(it - genreNames_.begin())] = true;
    }
    // Items outside the genres are left out rather than pushed down, so a short genre never
    // pads its list with unrelated titles.
    const std::vector<float>& scores = scoresFor(mode);
    std::vector<ScoredItem> matching;
    for (int item = 0; item < itemCount(); ++item) {
        for (auto g = genreOffsets_[static_cast<std::size_t>(item)];
             g < genreOffsets_[static_cast<std::size_t>(item) + 1]; ++g) {
            if (!wanted[static_cast<std::size_t>(genreIds_[static_cast<std::size_t>(g)])]) continue;
            matching.push_back({item, scores[static_cast<std::size_t>(item)]});
            break;
        }
    }
    const auto better = [](const ScoredItem& a, const ScoredItem& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    };
    const auto keep = std::min(matching.size(), static_cast<std::size_t>(std::max(n, 0)));
    std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(keep),
                      matching.end(), better);
    matching.resize(keep);
    return matching;
}

void PopularityModel::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<std::uint8_t>(out, static_cast<std::uint8_t>(config_.mode));
    binary::write<double>(out, config_.priorVotes);
    binary::writeVector(out, count_);
    binary::writeVector(out, members_);
    binary::writeVector(out, weighted_);
    binary::write<std::uint32_t>(out, static_cast<std::uint32_t>(genreNames_.size()));
    for (const auto& genre : genreNames_) binary::writeString(out, genre);
    binary::writeVector(out, genreOffsets_);
    binary::writeVector(out, genreIds_);
}

void PopularityModel::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "popularity body version");
    if (version != kBodyVersion)
        throw std::runtime_error("popularity body version " + std::to_string(version) +
                                 " is not supported (expected " + std::to_string(kBodyVersion) +
                                 ")");
    PopularityConfig config;
    const auto mode = binary::read<std::uint8_t>(in, "popularity mode");
    if (mode > 2)
        throw std::runtime_error("popularity mode " + std::to_string(mode) + " is unknown");
    config.mode = static_cast<PopularityMode>(mode);
    config.priorVotes = binary::read<double>(in, "popularity prior votes");
    auto count = binary::readVector<float>(in, "popularity counts");
    auto members = binary::readVector<float>(in, "popularity members");
    auto weighted = binary::readVector<float>(in, "popularity weighted ratings");
    const auto genreCount = binary::read<std::uint32_t>(in, "popularity genre count");
    if (genreCount > 100000) throw std::runtime_error("popularity genre count is impossible");
    std::vector<std::string> genreNames;
    for (std::uint32_t g = 0; g < genreCount; ++g)
        genreNames.push_back(binary::readString(in, "popularity genre name"));
    auto offsets = binary::readVector<std::int32_t>(in, "popularity genre offsets");
    auto ids = binary::readVector<std::int32_t>(in, "popularity genre ids");

    // Validate everything before touching the model, so a bad body leaves it unchanged.
    const std::size_t items = count.size();
    if (members.size() != items || weighted.size() != items || offsets.size() != items + 1 ||
        offsets.front() != 0 || static_cast<std::size_t>(offsets.back()) != ids.size())
        throw std::runtime_error("popularity body has inconsistent sizes");
    if (!std::is_sorted(offsets.begin(), offsets.end()))
        throw std::runtime_error("popularity genre offsets are not ascending");
    for (auto id : ids)
        if (id < 0 || static_cast<std::uint32_t>(id) >= genreCount)
            throw std::runtime_error("popularity genre id " + std::to_string(id) + " out of range");

    config_ = config;
    count_ = std::move(count);
    members_ = std::move(members);
    weighted_ = std::move(weighted);
    genreNames_ = std::move(genreNames);
    genreOffsets_ = std::move(offsets);
    genreIds_ = std::move(ids);
}

}  // namespace animerec

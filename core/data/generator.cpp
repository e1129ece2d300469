#include "data/generator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "data/generator_catalog.h"
#include "data/generator_output.h"
#include "data/generator_random.h"
#include "data/interaction_record.h"

namespace animerec {
namespace {

using generator::AliasTable;
using generator::BufferedCsvOutput;
using generator::SyntheticCatalog;

// Score model: score = round(kScoreBase + enjoyment), enjoyment = item quality + user bias +
// genre affinity + style match + noise. The constants put the rated mean near 7.8 and the
// spread near the CooperUnion file's (user-mean sd 0.8, within-user sd 1.25).
constexpr double kScoreBase = 7.2;
constexpr double kUserBiasSd = 0.8;
constexpr double kAffinityWeight = 1.6;
constexpr double kStyleWeight = 0.18;
constexpr double kNoiseSd = 0.9;
// Rejected random picks before falling back to the most popular eligible item (heavy users who
// have seen most of what popularity would offer).
constexpr int kMaxRejections = 6;
constexpr int kMaxPreferredGenres = 4;

// Per-item tallies that become anime.csv's members and rating.
struct ItemTally {
    std::vector<std::int64_t> members, scoreCount, scoreSum;
    explicit ItemTally(std::size_t n) : members(n, 0), scoreCount(n, 0), scoreSum(n, 0) {}
};

// Simulates one user at a time. Scratch state (seen stamps, statuses, queue) is reused across
// users, so the cost per user is proportional to that user's list, not to the catalogue.
class UserSimulator {
public:
    UserSimulator(const GeneratorConfig& config, const SyntheticCatalog& catalog)
        : config_(config),
          catalog_(catalog),
          global_(catalog.popularity),
          tally_(catalog.size()),
          seenStamp_(catalog.size(), 0),
          status_(catalog.size(), WatchStatus::Unknown) {
        const std::size_t genreCount = generator::genreVocabulary().size();
        genreItems_.resize(genreCount);
        for (std::uint32_t item = 0; item < catalog.size(); ++item)
            for (std::uint32_t k = catalog.genreOffsets[item]; k < catalog.genreOffsets[item + 1];
                 ++k)
                genreItems_[catalog.genreIds[k]].push_back(item);
        // Popularity order (stable by index) for the fallback cursors.
        auto morePopular = [&](std::uint32_t a, std::uint32_t b) {
            return catalog.popularity[a] > catalog.popularity[b] ||
                   (catalog.popularity[a] == catalog.popularity[b] && a < b);
        };
        for (auto& items : genreItems_) std::sort(items.begin(), items.end(), morePopular);
        byPopularity_.resize(catalog.size());
        for (std::uint32_t item = 0; item < catalog.size(); ++item) byPopularity_[item] = item;
        std::sort(byPopularity_.begin(), byPopularity_.end(), morePopular);
        genreCursor_.assign(genreCount, 0);
        genreTables_.resize(genreCount);
        genreAvailable_.resize(genreCount);
        for (std::size_t g = 0; g < genreCount; ++g) {
            if (genreItems_[g].empty()) continue;
            std::vector<double> weights;
            weights.reserve(genreItems_[g].size());
            for (const std::uint32_t item : genreItems_[g])
                weights.push_back(catalog.popularity[item]);
            genreTables_[g] = AliasTable(weights);
            genreAvailable_[g] = 1;
            ++availableGenres_;
        }
        genreAffinity_.assign(genreCount, 0.0f);
        avoided_.assign(genreCount, 0);
        for (const char* name :
             {"Hentai", "Kids", "Yaoi", "Yuri", "Shounen Ai", "Shoujo Ai", "Dementia", "Music"})
            for (std::size_t g = 0; g < genreCount; ++g)
                if (std::string_view(generator::genreVocabulary()[g].name) == name)
                    niche_.push_back(static_cast<std::uint8_t>(g));
        // Genres people build a taste around: common ones more often, but less than linearly so
        // niche genres (Mecha, Sports) still get their fans.
        for (const auto& genre : generator::genreVocabulary())
            tasteWeights_.push_back(std::pow(static_cast<double>(genre.count), 0.5));
        const double sigma = config.activitySigma;
        activityMu_ = std::log(config.meanInteractionsPerUser) - 0.5 * sigma * sigma;
        maxPerUser_ = std::max<std::int64_t>(
            1, static_cast<std::int64_t>(config.maxCatalogueShare *
                                         static_cast<double>(catalog.size())));
    }

    void simulate(std::int64_t userIndex, BufferedCsvOutput& out, GeneratorStats& stats);
    const ItemTally& tally() const { return tally_; }

private:
    void drawTaste();
    std::int64_t pickItem();
    std::int64_t resolve(std::uint32_t item) const;
    std::int64_t nextByPopularity(const std::vector<std::uint32_t>& items, std::size_t& cursor);
    bool seen(std::uint32_t item) const { return seenStamp_[item] == stamp_; }
    float affinity(std::uint32_t item) const {
        float sum = 0.0f;
        for (std::uint32_t k = catalog_.genreOffsets[item]; k < catalog_.genreOffsets[item + 1];
             ++k)
            sum += genreAffinity_[catalog_.genreIds[k]];
        return sum;
    }
    double acceptance(std::uint32_t item) const {
        for (std::uint32_t k = catalog_.genreOffsets[item]; k < catalog_.genreOffsets[item + 1];
             ++k)
            if (avoided_[catalog_.genreIds[k]]) return 0.05;
        return 0.4 + 0.6 * std::min(1.0f, 3.0f * affinity(item));
    }

    const GeneratorConfig& config_;
    const SyntheticCatalog& catalog_;
    AliasTable global_;
    std::vector<std::vector<std::uint32_t>> genreItems_;  // per genre, most popular first
    std::vector<std::uint32_t> byPopularity_;
    std::vector<AliasTable> genreTables_;
    std::vector<std::uint8_t> genreAvailable_;  // 1 = some catalogue entry has the genre
    int availableGenres_ = 0;
    std::vector<double> tasteWeights_;
    std::vector<std::uint8_t> niche_;  // genres most users never watch
    ItemTally tally_;
    double activityMu_ = 0.0;
    std::int64_t maxPerUser_ = 1;

    // Per-user state.
    std::mt19937_64 engine_;
    generator::NormalSampler normal_;
    std::uint32_t stamp_ = 0;
    std::vector<std::uint32_t> seenStamp_;
    std::vector<WatchStatus> status_;
    std::vector<float> genreAffinity_;
    std::vector<std::uint8_t> avoided_;  // per genre: 1 = this user skips it
    int preferredCount_ = 0;
    std::uint8_t preferred_[kMaxPreferredGenres]{};
    double preferredWeight_[kMaxPreferredGenres]{};
    double focus_ = 0.0, bias_ = 0.0, planShare_ = 0.0, unscored_ = 0.0;
    std::array<float, generator::kStyleDimensions> style_{};
    std::vector<std::uint32_t> pending_;    // sequels queued after completing their prequel
    std::vector<std::size_t> genreCursor_;  // fallback position in genreItems_ (preferred genres)
    std::size_t globalCursor_ = 0;          // fallback position in byPopularity_
    std::size_t pendingHead_ = 0;
};

void UserSimulator::drawTaste() {
    for (int k = 0; k < preferredCount_; ++k) {
        genreAffinity_[preferred_[k]] = 0.0f;
        genreCursor_[preferred_[k]] = 0;
    }
    globalCursor_ = 0;
    static constexpr double kCountWeights[] = {0.15, 0.35, 0.35, 0.15};
    preferredCount_ =
        std::min(availableGenres_,
                 1 + static_cast<int>(generator::sampleDiscrete(engine_, kCountWeights, 4)));
    std::vector<double>& weights = tasteWeights_;
    double total = 0.0;
    for (int k = 0; k < preferredCount_; ++k) {
        std::size_t genre = 0;
        do {
            genre = generator::sampleDiscrete(engine_, weights.data(), weights.size());
        } while (!genreAvailable_[genre] ||
                 std::find(preferred_, preferred_ + k, static_cast<std::uint8_t>(genre)) !=
                     preferred_ + k);
        preferred_[k] = static_cast<std::uint8_t>(genre);
        preferredWeight_[k] = 0.5 + generator::uniform01(engine_);
        total += preferredWeight_[k];
    }
    for (int k = 0; k < preferredCount_; ++k) {
        preferredWeight_[k] /= total;
        genreAffinity_[preferred_[k]] = static_cast<float>(preferredWeight_[k]);
    }
    // Most users skip each niche genre (children's, adult, music clips) unless it is a favourite.
    for (const std::uint8_t genre : niche_)
        avoided_[genre] = genreAffinity_[genre] == 0.0f && generator::bernoulli(engine_, 0.75);
    focus_ = std::clamp(config_.genreFocus + 0.15 * normal_(engine_), 0.05, 0.97);
    bias_ = kUserBiasSd * normal_(engine_);
    // Lognormal multipliers with mean 1 keep the configured shares on average.
    planShare_ = std::min(0.8, config_.planToWatchShare * std::exp(0.7 * normal_(engine_) - 0.245));
    unscored_ = std::min(1.0, config_.unscoredShare * std::exp(0.8 * normal_(engine_) - 0.32));
    for (float& value : style_) value = static_cast<float>(normal_(engine_));
}

// The item a pick lands on after the franchise rule: picking a sequel whose prequel the user
// has not seen means starting the franchise from its first unseen entry; a sequel of something
// seen but not completed is off limits (-1), as is anything already on the list.
std::int64_t UserSimulator::resolve(std::uint32_t item) const {
    for (;;) {
        const std::int32_t prequel = catalog_.prequel[item];
        if (prequel < 0) break;
        const auto before = static_cast<std::uint32_t>(prequel);
        if (seen(before)) {
            if (status_[before] != WatchStatus::Completed) return -1;
            break;
        }
        item = before;
    }
    return seen(item) ? -1 : static_cast<std::int64_t>(item);
}

std::int64_t UserSimulator::pickItem() {
    if (pendingHead_ < pending_.size() && generator::bernoulli(engine_, 0.45)) {
        const std::uint32_t sequel = pending_[pendingHead_++];
        if (!seen(sequel)) return sequel;
    }
    for (int attempt = 0; attempt < kMaxRejections; ++attempt) {
        std::uint32_t candidate = 0;
        if (generator::uniform01(engine_) < focus_) {
            double target = generator::uniform01(engine_);
            int k = 0;
            while (k + 1 < preferredCount_ && target >= preferredWeight_[k])
                target -= preferredWeight_[k++];
            const auto& items = genreItems_[preferred_[k]];
            candidate = items[genreTables_[preferred_[k]](engine_)];
        } else {
            // Off-taste picks still lean towards the user's genres and mostly skip the genres
            // the user avoids (the rejection keeps the pick cheap: one uniform per candidate).
            candidate = global_(engine_);
            if (generator::uniform01(engine_) >= acceptance(candidate)) continue;
        }
        const std::int64_t item = resolve(candidate);
        if (item >= 0) return item;
    }
    // Random picks keep hitting the list: take the most popular eligible item of a preferred
    // genre (or overall). Cursors only move forward, so this costs O(catalogue) per user in total.
    if (generator::uniform01(engine_) < focus_) {
        const std::uint8_t genre = preferred_[generator::uniformIndex(
            engine_, static_cast<std::uint32_t>(preferredCount_))];
        const std::int64_t item = nextByPopularity(genreItems_[genre], genreCursor_[genre]);
        if (item >= 0) return item;
    }
    return nextByPopularity(byPopularity_, globalCursor_);
}

// The first eligible item at or after `cursor` in `items`. Skipped entries are seen or blocked
// by an unfinished prequel, both permanent for this user, so the cursor never has to go back.
// An entry whose franchise start is unseen resolves to that start and stays under the cursor.
std::int64_t UserSimulator::nextByPopularity(const std::vector<std::uint32_t>& items,
                                             std::size_t& cursor) {
    for (; cursor < items.size(); ++cursor) {
        const std::int64_t item = resolve(items[cursor]);
        if (item >= 0) return item;
    }
    return -1;
}

void UserSimulator::simulate(std::int64_t userIndex, BufferedCsvOutput& out,
                             GeneratorStats& stats) {
    engine_.seed(generator::mixSeed(config_.seed, static_cast<std::uint64_t>(userIndex) + 1));
    normal_ = generator::NormalSampler();
    ++stamp_;
    pending_.clear();
    pendingHead_ = 0;
    drawTaste();
    const double activity = std::exp(activityMu_ + config_.activitySigma * normal_(engine_));
    const std::int64_t target =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(activity)), 1, maxPerUser_);
    const std::int64_t userId = userIndex + 1;

    for (std::int64_t row = 0; row < target; ++row) {
        const std::int64_t picked = pickItem();
        if (picked < 0) break;  // nothing eligible left (only near a full catalogue)
        const auto item = static_cast<std::uint32_t>(picked);
        seenStamp_[item] = stamp_;

        const float itemAffinity = affinity(item);
        float styleMatch = 0.0f;
        for (int d = 0; d < generator::kStyleDimensions; ++d)
            styleMatch += style_[d] * catalog_.style[item][d];
        const double enjoyment = catalog_.quality[item] + bias_ +
                                 kAffinityWeight * (itemAffinity - 0.25) +
                                 kStyleWeight * styleMatch + kNoiseSd * normal_(engine_);

        const int episodes = catalog_.episodes[item];
        WatchStatus status = WatchStatus::Completed;
        int watched = episodes;
        if (generator::bernoulli(engine_, planShare_)) {
            status = WatchStatus::PlanToWatch;
            watched = 0;
        } else {
            // Unfinished states are rare for one-episode titles; drops follow low enjoyment.
            const double scale = episodes == 1 ? 0.15 : 1.0;
            const double dropChance = 0.02 + 0.12 / (1.0 + std::exp(1.5 * (enjoyment + 0.5)));
            const double u = generator::uniform01(engine_) / scale;
            if (u < 0.12)
                status = WatchStatus::Watching;
            else if (u < 0.17)
                status = WatchStatus::OnHold;
            else if (u < 0.17 + dropChance)
                status = WatchStatus::Dropped;
            if (status == WatchStatus::Dropped) {
                const double early = generator::uniform01(engine_);
                watched = static_cast<int>(early * early * episodes);
            } else if (status != WatchStatus::Completed) {
                watched = static_cast<int>(
                    generator::uniformIndex(engine_, static_cast<std::uint32_t>(episodes)));
            }
        }
        status_[item] = status;

        int score = 0;
        if (status != WatchStatus::PlanToWatch && !generator::bernoulli(engine_, unscored_)) {
            double value = kScoreBase + enjoyment;
            if (status == WatchStatus::Dropped)
                value -= 1.8;
            else if (status == WatchStatus::OnHold)
                value -= 0.5;
            score = std::clamp(static_cast<int>(std::lround(value)), 1, 10);
        }
        if (status == WatchStatus::Completed) {
            const double follow = config_.sequelFollowRate * (enjoyment > -0.5 ? 1.0 : 0.4);
            for (std::uint32_t k = catalog_.sequelOffsets[item];
                 k < catalog_.sequelOffsets[item + 1]; ++k)
                if (generator::bernoulli(engine_, follow)) pending_.push_back(catalog_.sequels[k]);
        }

        ++tally_.members[item];
        out.putInt(userId);
        out.put(',');
        out.putInt(catalog_.animeIds[item]);
        out.put(',');
        if (score > 0) {
            out.putInt(score);
            tally_.scoreSum[item] += score;
            ++tally_.scoreCount[item];
            ++stats.rated;
        }
        out.put(',');
        out.put(watchStatusName(status));
        out.put(',');
        out.putInt(watched);
        out.endRow();
        ++stats.interactions;
    }
    ++stats.users;
}

void writeAnime(const SyntheticCatalog& catalog, const ItemTally& tally, std::ostream& stream) {
    BufferedCsvOutput out(stream, "anime.csv");
    out.put("anime_id,title,genre,type,episodes,rating,members\n");
    const auto& genres = generator::genreVocabulary();
    std::string genreText;
    for (std::size_t item = 0; item < catalog.size(); ++item) {
        out.putInt(catalog.animeIds[item]);
        out.put(',');
        out.putField(catalog.titles[item]);
        out.put(',');
        genreText.clear();
        for (std::uint32_t k = catalog.genreOffsets[item]; k < catalog.genreOffsets[item + 1];
             ++k) {
            if (!genreText.empty()) genreText += ", ";
            genreText += genres[catalog.genreIds[k]].name;
        }
        out.putField(genreText);
        out.put(',');
        out.put(generator::animeTypeName(catalog.types[item]));
        out.put(',');
        out.putInt(catalog.episodes[item]);
        out.put(',');
        if (tally.scoreCount[item] > 0) {
            // Integer hundredths: exact, locale-free and the same on every platform.
            const std::int64_t hundredths = (tally.scoreSum[item] * 200 + tally.scoreCount[item]) /
                                            (2 * tally.scoreCount[item]);
            out.putInt(hundredths / 100);
            out.put('.');
            out.put(static_cast<char>('0' + hundredths / 10 % 10));
            out.put(static_cast<char>('0' + hundredths % 10));
        }
        out.put(',');
        out.putInt(tally.members[item]);
        out.endRow();
    }
    out.flush();
    stream.flush();
    if (!stream) throw std::runtime_error("cannot write anime.csv");
}

}  // namespace

GeneratorStats generateDataset(const GeneratorConfig& config, std::ostream& animeCsv,
                               std::ostream& animelistCsv, const ProgressCallback& progress) {
    config.validate();
    const SyntheticCatalog catalog = generator::buildSyntheticCatalog(config);
    UserSimulator simulator(config, catalog);
    GeneratorStats stats;
    stats.anime = static_cast<std::int64_t>(catalog.size());

    BufferedCsvOutput out(animelistCsv, "animelist.csv");
    out.put(kAnimelistCsvHeader);
    out.put('\n');
    const std::int64_t reportEvery = std::max<std::int64_t>(1, config.users / 100);
    reportProgress(progress, {"generate", 0, config.users, ""});
    for (std::int64_t user = 0; user < config.users; ++user) {
        simulator.simulate(user, out, stats);
        if ((user + 1) % reportEvery == 0 || user + 1 == config.users)
            reportProgress(progress, {"generate", user + 1, config.users,
                                      std::to_string(stats.interactions) + " rows"});
    }
    out.flush();
    animelistCsv.flush();
    if (!animelistCsv) throw std::runtime_error("cannot write animelist.csv");
    writeAnime(catalog, simulator.tally(), animeCsv);
    return stats;
}

GeneratorStats generateDatasetFiles(const GeneratorConfig& config, const std::string& directory,
                                    const ProgressCallback& progress) {
    config.validate();
    const std::filesystem::path dir(directory);
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
        throw std::runtime_error("cannot create directory " + directory + ": " + error.message());
    auto open = [](const std::filesystem::path& path) {
        std::ofstream stream(path, std::ios::binary | std::ios::trunc);
        if (!stream) throw std::runtime_error("cannot open " + path.string() + " for writing");
        return stream;
    };
    std::ofstream anime = open(dir / "anime.csv");
    std::ofstream animelist = open(dir / "animelist.csv");
    try {
        return generateDataset(config, anime, animelist, progress);
    } catch (const std::runtime_error& failure) {
        // Name the directory: the streams only know "anime.csv" / "animelist.csv".
        if (dynamic_cast<const OperationCancelled*>(&failure)) throw;
        throw std::runtime_error(std::string(failure.what()) + " in " + directory);
    }
}

}  // namespace animerec

#include "data/generator_catalog.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string_view>

#include "data/generator_random.h"
#include "data/generator_titles.h"

namespace animerec::generator {
namespace {

// Genres that co-occur far above chance in the real catalogue (lift >= ~2 in anime.csv), so a
// synthetic entry's second and later genres cluster the way real ones do ("Mecha, Military,
// Sci-Fi, Space" rather than a random mix).
constexpr std::pair<std::string_view, std::string_view> kPartners[] = {
    {"Action", "Super Power, Mecha, Military, Sci-Fi, Shounen, Martial Arts"},
    {"Adventure", "Fantasy, Shounen, Sci-Fi, Action, Magic"},
    {"Comedy", "Ecchi, School, Slice of Life, Shounen, Romance, Parody"},
    {"Dementia", "Psychological, Horror, Music"},
    {"Demons", "Horror, Supernatural, Magic, Fantasy"},
    {"Drama", "Military, Romance, Historical, Shoujo, Slice of Life"},
    {"Ecchi", "Harem, School, Romance, Seinen, Comedy"},
    {"Fantasy", "Magic, Adventure, Shoujo, Supernatural, Demons"},
    {"Game", "Shounen, Action, Fantasy, Adventure"},
    {"Harem", "Ecchi, Romance, School, Comedy"},
    {"Historical", "Samurai, Drama, Supernatural, Martial Arts"},
    {"Horror", "Vampire, Psychological, Demons, Supernatural, Mystery"},
    {"Josei", "Slice of Life, Romance, Drama"},
    {"Kids", "Fantasy, Adventure, Music, Comedy"},
    {"Magic", "Shoujo, Fantasy, Supernatural, Romance"},
    {"Martial Arts", "Super Power, Samurai, Action, Historical, Shounen"},
    {"Mecha", "Military, Space, Sci-Fi, Action"},
    {"Military", "Space, Mecha, Sci-Fi, Action, Drama"},
    {"Music", "Kids, Slice of Life, Dementia"},
    {"Mystery", "Thriller, Police, Psychological, Horror, Supernatural"},
    {"Parody", "Comedy, Super Power, Ecchi"},
    {"Police", "Mystery, Psychological, Mecha"},
    {"Psychological", "Thriller, Horror, Mystery, Dementia"},
    {"Romance", "Harem, Shoujo, Ecchi, School, Drama, Comedy"},
    {"Samurai", "Martial Arts, Historical, Action"},
    {"School", "Harem, Ecchi, Romance, Slice of Life, Comedy"},
    {"Sci-Fi", "Space, Mecha, Military, Action"},
    {"Seinen", "Ecchi, Slice of Life, Mystery, Supernatural"},
    {"Shoujo", "Magic, Romance, School, Drama"},
    {"Shoujo Ai", "School, Romance, Slice of Life"},
    {"Shounen", "Sports, Super Power, Adventure, Action"},
    {"Shounen Ai", "Shoujo, Romance, Drama"},
    {"Slice of Life", "School, Seinen, Comedy"},
    {"Space", "Military, Mecha, Sci-Fi"},
    {"Sports", "Shounen, School, Drama, Cars"},
    {"Super Power", "Martial Arts, Action, Shounen"},
    {"Supernatural", "Demons, Horror, Mystery, Vampire"},
    {"Thriller", "Psychological, Mystery, Police"},
    {"Vampire", "Horror, Supernatural, Mystery"},
    {"Yaoi", "Romance, Drama"},
    {"Yuri", "Ecchi, School"},
};

// Root-entry type shares, chosen so that roots plus franchise entries land near the real mix
// (TV 31%, OVA 27%, Movie 19%, Special 14%, ONA 5%, Music 4%).
constexpr double kRootTypeWeights[] = {30.0, 19.0, 28.0, 10.0, 7.0, 6.0};
constexpr float kTypeQuality[] = {0.3f, 0.0f, -0.2f, -0.1f, -0.6f, -0.8f};
constexpr double kTypePopularity[] = {0.8, 0.3, -0.2, -0.4, -0.6, -1.2};
// Genre counts per entry, 1..8, as in the real file.
constexpr double kGenreCountWeights[] = {23, 22, 21, 16, 10, 5, 2, 1};

struct Vocabulary {
    std::vector<double> weights;  // real counts
    std::vector<std::vector<std::uint8_t>> partners;
    std::uint8_t music = 0, kids = 0, hentai = 0;
};

std::uint8_t genreIndex(std::string_view name) {
    const auto& genres = genreVocabulary();
    for (std::size_t i = 0; i < genres.size(); ++i)
        if (name == genres[i].name) return static_cast<std::uint8_t>(i);
    throw std::logic_error("unknown genre in partner table: " + std::string(name));
}

const Vocabulary& vocabulary() {
    static const Vocabulary table = [] {
        Vocabulary v;
        for (const auto& genre : genreVocabulary()) v.weights.push_back(genre.count);
        v.partners.resize(v.weights.size());
        for (const auto& [name, list] : kPartners) {
            auto& partners = v.partners[genreIndex(name)];
            std::size_t start = 0;
            while (start < list.size()) {
                std::size_t end = list.find(',', start);
                if (end == std::string_view::npos) end = list.size();
                partners.push_back(genreIndex(list.substr(start, end - start)));
                start = end + 2;  // skip ", "
            }
        }
        v.music = genreIndex("Music");
        v.kids = genreIndex("Kids");
        v.hentai = genreIndex("Hentai");
        return v;
    }();
    return table;
}

std::vector<std::uint8_t> sampleGenres(std::mt19937_64& engine, AnimeType type) {
    const Vocabulary& v = vocabulary();
    const std::size_t count =
        1 + sampleDiscrete(engine, kGenreCountWeights, std::size(kGenreCountWeights));
    std::vector<std::uint8_t> genres;
    if (type == AnimeType::Music) genres.push_back(v.music);
    for (int attempt = 0; genres.size() < count && attempt < 40; ++attempt) {
        std::uint8_t genre = 0;
        if (!genres.empty() && bernoulli(engine, 0.6)) {
            const auto& partners =
                v.partners[genres[uniformIndex(engine, static_cast<std::uint32_t>(genres.size()))]];
            if (partners.empty()) continue;
            genre = partners[uniformIndex(engine, static_cast<std::uint32_t>(partners.size()))];
        } else {
            genre = static_cast<std::uint8_t>(
                sampleDiscrete(engine, v.weights.data(), v.weights.size()));
        }
        if (std::find(genres.begin(), genres.end(), genre) == genres.end()) genres.push_back(genre);
    }
    std::sort(genres.begin(), genres.end());
    return genres;
}

int sampleEpisodes(std::mt19937_64& engine, AnimeType type) {
    const double u = uniform01(engine);
    switch (type) {
        case AnimeType::TV:
            if (u < 0.24) return 12;
            if (u < 0.40) return 13;
            if (u < 0.45) return static_cast<int>(uniformInt(engine, 10, 11));
            if (u < 0.50) return 24;
            if (u < 0.55) return 25;
            if (u < 0.68) return 26;
            if (u < 0.76) return static_cast<int>(uniformInt(engine, 1, 9));
            if (u < 0.87) return static_cast<int>(uniformInt(engine, 36, 52));
            if (u < 0.98)
                return static_cast<int>(
                    std::exp(std::log(53.0) + uniform01(engine) * std::log(200.0 / 53.0)));
            return static_cast<int>(
                std::exp(std::log(200.0) + uniform01(engine) * std::log(1000.0 / 200.0)));
        case AnimeType::Movie:
            return u < 0.985 ? 1 : static_cast<int>(uniformInt(engine, 2, 6));
        case AnimeType::OVA:
            if (u < 0.47) return 1;
            if (u < 0.72) return 2;
            if (u < 0.83) return 3;
            if (u < 0.89) return 4;
            if (u < 0.93) return 6;
            return static_cast<int>(uniformInt(engine, 5, 13));
        case AnimeType::Special:
            if (u < 0.63) return 1;
            if (u < 0.75) return 2;
            if (u < 0.81) return 3;
            if (u < 0.85) return 4;
            if (u < 0.90) return 6;
            return static_cast<int>(uniformInt(engine, 5, 13));
        case AnimeType::ONA:
            if (u < 0.47) return 1;
            if (u < 0.72) return static_cast<int>(uniformInt(engine, 2, 6));
            if (u < 0.87) return static_cast<int>(uniformInt(engine, 10, 13));
            return static_cast<int>(uniformInt(engine, 14, 52));
        case AnimeType::Music:
            return u < 0.97 ? 1 : static_cast<int>(uniformInt(engine, 2, 4));
    }
    return 1;
}

struct Draft {
    double releaseKey = 0.0;
    std::string title;
    AnimeType type = AnimeType::TV;
    int episodes = 1;
    float quality = 0.0f;
    double popularityScore = 0.0;
    std::int32_t prequel = -1;  // draft index
    std::vector<std::uint8_t> genres;
    std::array<float, kStyleDimensions> style{};
};

}  // namespace

const std::vector<GenreInfo>& genreVocabulary() {
    static const std::vector<GenreInfo> genres{
        {"Action", 2845},       {"Adventure", 2348},     {"Cars", 72},
        {"Comedy", 4645},       {"Dementia", 240},       {"Demons", 294},
        {"Drama", 2016},        {"Ecchi", 637},          {"Fantasy", 2309},
        {"Game", 181},          {"Harem", 317},          {"Hentai", 1141},
        {"Historical", 806},    {"Horror", 369},         {"Josei", 54},
        {"Kids", 1609},         {"Magic", 778},          {"Martial Arts", 265},
        {"Mecha", 944},         {"Military", 426},       {"Music", 860},
        {"Mystery", 495},       {"Parody", 408},         {"Police", 197},
        {"Psychological", 229}, {"Romance", 1464},       {"Samurai", 148},
        {"School", 1220},       {"Sci-Fi", 2070},        {"Seinen", 547},
        {"Shoujo", 603},        {"Shoujo Ai", 55},       {"Shounen", 1712},
        {"Shounen Ai", 65},     {"Slice of Life", 1220}, {"Space", 381},
        {"Sports", 543},        {"Super Power", 465},    {"Supernatural", 1037},
        {"Thriller", 87},       {"Vampire", 102},        {"Yaoi", 39},
        {"Yuri", 42},
    };
    return genres;
}

const char* animeTypeName(AnimeType type) {
    static constexpr const char* kNames[] = {"TV", "Movie", "OVA", "Special", "ONA", "Music"};
    return kNames[static_cast<int>(type)];
}

SyntheticCatalog buildSyntheticCatalog(const GeneratorConfig& config) {
    config.validate();
    const Vocabulary& v = vocabulary();
    const auto target = static_cast<std::size_t>(config.anime);
    std::mt19937_64 engine(mixSeed(config.seed, 0xCA7A106ull));
    NormalSampler normal;
    TitleMaker titles;

    // A franchise adds 1 + Geometric(0.5) entries (mean 2) to a TV original (OVA/ONA originals
    // start one 0.4 times as often). Solve share = q*2 / (1 + q*2) for the per-root rate q.
    constexpr double kMeanExtras = 2.0;
    const double share = config.franchiseShare;
    const double rootTotal =
        std::accumulate(std::begin(kRootTypeWeights), std::end(kRootTypeWeights), 0.0);
    const double starterShare =
        (kRootTypeWeights[0] + 0.4 * (kRootTypeWeights[2] + kRootTypeWeights[4])) / rootTotal;
    const double franchiseChance =
        std::min(1.0, share / (1.0 - share) / kMeanExtras / starterShare);

    std::vector<Draft> drafts;
    drafts.reserve(target);
    auto styleVector = [&] {
        std::array<float, kStyleDimensions> style{};
        for (float& value : style) value = static_cast<float>(normal(engine));
        return style;
    };
    while (drafts.size() < target) {
        Draft root;
        root.type = static_cast<AnimeType>(
            sampleDiscrete(engine, kRootTypeWeights, std::size(kRootTypeWeights)));
        root.releaseKey = uniform01(engine);
        root.title = titles.original(engine);
        root.episodes = sampleEpisodes(engine, root.type);
        root.genres = sampleGenres(engine, root.type);
        const auto has = [&](std::uint8_t genre) {
            return std::find(root.genres.begin(), root.genres.end(), genre) != root.genres.end();
        };
        const float genreQuality = has(v.kids) ? -0.3f : 0.0f;
        const double genrePopularity = (has(v.kids) ? -0.8 : 0.0) + (has(v.hentai) ? -0.5 : 0.0);
        root.quality = kTypeQuality[static_cast<int>(root.type)] + genreQuality +
                       0.75f * static_cast<float>(normal(engine));
        root.popularityScore = 0.9 * root.quality + kTypePopularity[static_cast<int>(root.type)] +
                               genrePopularity + normal(engine);
        root.style = styleVector();
        const auto rootIndex = static_cast<std::int32_t>(drafts.size());
        drafts.push_back(root);

        const double chance = root.type == AnimeType::TV ? franchiseChance
                              : (root.type == AnimeType::ONA || root.type == AnimeType::OVA)
                                  ? 0.4 * franchiseChance
                                  : 0.0;
        if (!bernoulli(engine, chance)) continue;
        std::int32_t mainEntry = rootIndex;  // the latest season: what the next entry follows
        int seasons = 1, movies = 0, ovas = 0, specials = 0;
        double releaseKey = root.releaseKey;
        for (int depth = 1; drafts.size() < target; ++depth) {
            Draft entry;
            const Draft& main = drafts[static_cast<std::size_t>(mainEntry)];
            const double kindWeights[] = {root.type == AnimeType::OVA ? 0.2 : 0.45, 0.2, 0.15, 0.2};
            const std::size_t kind = sampleDiscrete(engine, kindWeights, 4);
            if (kind == 0) {
                entry.type = root.type;
                entry.title = titles.season(root.title, ++seasons);
            } else if (kind == 1) {
                entry.type = AnimeType::Movie;
                entry.title = titles.sideStory(root.title, "Movie", ++movies);
            } else if (kind == 2) {
                entry.type = AnimeType::OVA;
                entry.title = titles.sideStory(root.title, "OVA", ++ovas);
            } else {
                entry.type = AnimeType::Special;
                entry.title = titles.sideStory(root.title, "Specials", ++specials);
            }
            releaseKey += 0.004 + 0.05 * uniform01(engine);
            entry.releaseKey = releaseKey;
            entry.episodes = sampleEpisodes(engine, entry.type);
            entry.genres = main.genres;
            entry.prequel = mainEntry;
            // Fans who reach a sequel liked the original: sequels score a little higher but
            // draw fewer new viewers.
            entry.quality = main.quality + 0.15f + 0.3f * static_cast<float>(normal(engine));
            entry.popularityScore = main.popularityScore - 0.7 + 0.3 * normal(engine);
            entry.style = main.style;
            for (float& value : entry.style) value += 0.3f * static_cast<float>(normal(engine));
            drafts.push_back(std::move(entry));
            if (kind == 0) mainEntry = static_cast<std::int32_t>(drafts.size() - 1);
            if (bernoulli(engine, 0.5)) break;
        }
    }

    // Release order decides ids (MAL ids grow over time) and guarantees prequel < sequel.
    std::vector<std::size_t> order(drafts.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return drafts[a].releaseKey < drafts[b].releaseKey;
    });
    std::vector<std::int32_t> position(drafts.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        position[order[i]] = static_cast<std::int32_t>(i);

    SyntheticCatalog catalog;
    const std::size_t n = drafts.size();
    catalog.animeIds.resize(n);
    catalog.titles.resize(n);
    catalog.types.resize(n);
    catalog.episodes.resize(n);
    catalog.quality.resize(n);
    catalog.prequel.resize(n);
    catalog.style.resize(n);
    catalog.genreOffsets.assign(1, 0);
    std::int64_t id = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Draft& draft = drafts[order[i]];
        id += 1 + static_cast<std::int64_t>(uniformIndex(engine, 4));
        catalog.animeIds[i] = id;
        catalog.titles[i] = std::move(draft.title);
        catalog.types[i] = draft.type;
        catalog.episodes[i] = draft.episodes;
        catalog.quality[i] = draft.quality;
        catalog.prequel[i] =
            draft.prequel < 0 ? -1 : position[static_cast<std::size_t>(draft.prequel)];
        catalog.style[i] = draft.style;
        catalog.genreIds.insert(catalog.genreIds.end(), draft.genres.begin(), draft.genres.end());
        catalog.genreOffsets.push_back(static_cast<std::uint32_t>(catalog.genreIds.size()));
    }

    // Zipf weights over the rank of the (noisy, quality-driven) popularity score.
    std::vector<std::size_t> byScore(order);
    std::stable_sort(byScore.begin(), byScore.end(), [&](std::size_t a, std::size_t b) {
        return drafts[a].popularityScore > drafts[b].popularityScore;
    });
    catalog.popularity.resize(n);
    for (std::size_t rank = 0; rank < n; ++rank) {
        catalog.popularity[static_cast<std::size_t>(position[byScore[rank]])] = std::pow(
            static_cast<double>(rank) + config.popularityOffset, -config.popularityExponent);
    }

    std::vector<std::uint32_t> counts(n + 1, 0);
    for (const std::int32_t prequel : catalog.prequel)
        if (prequel >= 0) ++counts[static_cast<std::size_t>(prequel) + 1];
    std::partial_sum(counts.begin(), counts.end(), counts.begin());
    catalog.sequelOffsets = counts;
    catalog.sequels.resize(counts.back());
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t prequel = catalog.prequel[i];
        if (prequel >= 0)
            catalog.sequels[counts[static_cast<std::size_t>(prequel)]++] =
                static_cast<std::uint32_t>(i);
    }
    return catalog;
}

}  // namespace animerec::generator

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "data/generator_config.h"

namespace animerec::generator {

// The 43 MyAnimeList genres of the CooperUnion anime.csv, alphabetical (the order the real file
// lists an entry's genres in), with how many of its 12,294 titles carry each one.
struct GenreInfo {
    const char* name;
    int count;
};
const std::vector<GenreInfo>& genreVocabulary();

enum class AnimeType : std::uint8_t { TV, Movie, OVA, Special, ONA, Music };
const char* animeTypeName(AnimeType type);

inline constexpr int kStyleDimensions = 4;

// The hidden truth behind a synthetic catalogue: what the CSV shows (id, title, genres, type,
// episodes) plus the latent quantities the user simulation draws on. Items are indexed
// 0..size()-1 in release order, so a prequel always has a smaller index than its sequels.
struct SyntheticCatalog {
    std::vector<std::int64_t> animeIds;  // increasing, with gaps like MAL ids
    std::vector<std::string> titles;
    std::vector<AnimeType> types;
    std::vector<int> episodes;          // >= 1
    std::vector<float> quality;         // rating offset in points, about N(type mean, 0.75)
    std::vector<double> popularity;     // relative pick weight (Zipf over a noisy quality rank)
    std::vector<std::int32_t> prequel;  // the entry a user must complete first; -1 = original
    std::vector<std::array<float, kStyleDimensions>> style;  // taste beyond genres
    // Genres as CSR: entry i has genreIds[genreOffsets[i] .. genreOffsets[i+1]), sorted.
    std::vector<std::uint32_t> genreOffsets;
    std::vector<std::uint8_t> genreIds;
    // Direct sequels as CSR (entries whose prequel is i), in release order.
    std::vector<std::uint32_t> sequelOffsets;
    std::vector<std::uint32_t> sequels;

    std::size_t size() const { return animeIds.size(); }
};

// Builds the catalogue for config.anime entries from config.seed (its own random stream).
// Deterministic; throws std::invalid_argument for an invalid config.
SyntheticCatalog buildSyntheticCatalog(const GeneratorConfig& config);

}  // namespace animerec::generator

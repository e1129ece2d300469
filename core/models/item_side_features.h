#pragma once

#include <iosfwd>

#include "data/catalog.h"
#include "nn/bag_embedding.h"

namespace animerec {

// The side information session models add to an item's embedding: its genres, each weighted
// 1 / (the item's genre count) so the genre part is their mean, and its type (TV, Movie, ...)
// with weight 1, as one bag per item over a single feature table (genre ids first, then the
// types in sorted order). Items beyond the catalogue, or without genres and type, get an empty
// bag.
nn::FeatureBags buildItemSideFeatures(const Catalog& catalog, int itemCount);

// Model-body form of the bags. readItemSideFeatures throws std::runtime_error (naming `model`)
// when the stream is truncated or the bags are inconsistent (`itemCount` rows, ids below the
// feature count, finite weights).
void writeItemSideFeatures(std::ostream& out, const nn::FeatureBags& bags);
nn::FeatureBags readItemSideFeatures(std::istream& in, int itemCount, const std::string& model);

}  // namespace animerec

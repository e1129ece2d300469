#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/catalog.h"

namespace animerec {

// Finding an anime from what a person types: a MAL id, a title in any case, the start of a title,
// a part of one, or a near miss ("Cowboy Bebap"). Candidates come most-listed first (members), so
// the title a person most likely means leads.
struct TitleMatch {
    enum class Kind {
        Id,         // the text is an id of the catalogue
        Exact,      // a title equal to the text, ignoring case
        Prefix,     // titles starting with the text
        Substring,  // titles containing the text
        Near,       // no title contains it; these are a few edits away
        None,
    };
    Kind kind = Kind::None;
    std::vector<int> items;  // catalogue indices, most members first (at most `limit`)
    std::size_t total = 0;   // how many titles matched at this kind, before the limit

    // One anime, and only one, is meant (an id, or a single exact / prefix / substring match).
    bool unique() const { return kind != Kind::Near && kind != Kind::None && total == 1; }
};

TitleMatch findTitles(const Catalog& catalog, const std::string& text, std::size_t limit = 5);

}  // namespace animerec

#include "data/title_search.h"

#include <algorithm>
#include <cctype>

namespace animerec {

namespace {

std::string folded(const std::string& text) {
    std::string result;
    result.reserve(text.size());
    for (const char c : text)
        result.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return result;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`.
std::size_t editDistance(const std::string& a, const std::string& b, std::size_t limit) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        std::size_t rowBest = current[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
            rowBest = std::min(rowBest, current[j]);
        }
        if (rowBest > limit) return limit + 1;
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::int64_t membersOf(const Catalog& catalog, int item) {
    return catalog.at(item).members.value_or(0);
}

TitleMatch finish(const Catalog& catalog, TitleMatch::Kind kind, std::vector<int> items,
                  std::size_t limit) {
    std::stable_sort(items.begin(), items.end(),
                     [&](int a, int b) { return membersOf(catalog, a) > membersOf(catalog, b); });
    TitleMatch match;
    match.kind = kind;
    match.total = items.size();
    if (items.size() > limit) items.resize(limit);
    match.items = std::move(items);
    return match;
}

}  // namespace

TitleMatch findTitles(const Catalog& catalog, const std::string& text, std::size_t limit) {
    const std::string wanted = folded(trimmed(text));
    if (wanted.empty()) return {};
    if (std::all_of(wanted.begin(), wanted.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        wanted.size() < 16)
        if (const auto index = catalog.indexOf(std::stoll(wanted)))
            return finish(catalog, TitleMatch::Kind::Id, {*index}, limit);

    std::vector<int> exact, prefix, substring;
    for (int item = 0; item < catalog.size(); ++item) {
        const std::string title = folded(catalog.at(item).title);
        if (title == wanted)
            exact.push_back(item);
        else if (title.starts_with(wanted))
            prefix.push_back(item);
        else if (title.find(wanted) != std::string::npos)
            substring.push_back(item);
    }
    if (!exact.empty()) return finish(catalog, TitleMatch::Kind::Exact, std::move(exact), limit);
    if (!prefix.empty()) return finish(catalog, TitleMatch::Kind::Prefix, std::move(prefix), limit);
    if (!substring.empty())
        return finish(catalog, TitleMatch::Kind::Substring, std::move(substring), limit);

    // Near misses: a typo or two per word (at most a quarter of the text, at least 2 edits).
    const std::size_t allowed = std::max<std::size_t>(2, wanted.size() / 4);
    std::vector<std::pair<std::size_t, int>> near;
    for (int item = 0; item < catalog.size(); ++item) {
        const std::size_t distance = editDistance(wanted, folded(catalog.at(item).title), allowed);
        if (distance <= allowed) near.emplace_back(distance, item);
    }
    std::stable_sort(near.begin(), near.end(), [&](const auto& a, const auto& b) {
        return a.first < b.first ||
               (a.first == b.first && membersOf(catalog, a.second) > membersOf(catalog, b.second));
    });
    TitleMatch match;
    match.kind = near.empty() ? TitleMatch::Kind::None : TitleMatch::Kind::Near;
    match.total = near.size();
    for (std::size_t i = 0; i < near.size() && i < limit; ++i)
        match.items.push_back(near[i].second);
    return match;
}

}  // namespace animerec

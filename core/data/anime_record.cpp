#include "data/anime_record.h"

namespace animerec {

std::string joinGenres(const std::vector<std::string>& genres) {
    std::string text;
    for (const auto& genre : genres) {
        if (!text.empty()) text += ", ";
        text += genre;
    }
    return text;
}

std::vector<std::string> splitGenres(const std::string& text) {
    std::vector<std::string> genres;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::size_t first = start;
        std::size_t last = end;
        while (first < last && (text[first] == ' ' || text[first] == '\t')) ++first;
        while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
        if (last > first) genres.emplace_back(text.substr(first, last - first));
        start = end + 1;
    }
    return genres;
}

}  // namespace animerec

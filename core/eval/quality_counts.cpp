#include "eval/quality_counts.h"

#include <algorithm>

namespace animerec {

const char* qualityCountName(QualityCount count) {
    static constexpr std::array<const char*, kQualityCountKinds> names{"lists",
                                                                       "cache_lookups",
                                                                       "cache_hits",
                                                                       "cold_popular",
                                                                       "cold_popular_in_genres",
                                                                       "cold_content_from_history",
                                                                       "items_served",
                                                                       "sampled",
                                                                       "clicked",
                                                                       "watched",
                                                                       "completed",
                                                                       "feedback",
                                                                       "ratings",
                                                                       "user_requests",
                                                                       "new_users",
                                                                       "anime_requests",
                                                                       "unknown_anime"};
    return names[static_cast<std::size_t>(count)];
}

QualityCounts& QualityCounts::operator+=(const QualityCounts& other) {
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
    noveltySum += other.noveltySum;
    ratingSum += other.ratingSum;
    return *this;
}

bool QualityCounts::empty() const {
    return std::all_of(counts.begin(), counts.end(), [](std::int64_t c) { return c == 0; }) &&
           noveltySum == 0.0 && ratingSum == 0.0;
}

void MinuteSeries::add(std::int64_t minute, const QualityCounts& counts) {
    if (minutes_.empty() || minutes_.back().first < minute) {
        minutes_.emplace_back(minute, counts);
        return;
    }
    const auto at =
        std::lower_bound(minutes_.begin(), minutes_.end(), minute,
                         [](const auto& entry, std::int64_t m) { return entry.first < m; });
    if (at != minutes_.end() && at->first == minute)
        at->second += counts;
    else
        minutes_.emplace(at, minute, counts);
}

QualityCounts MinuteSeries::sumSince(std::int64_t fromMinute) const {
    QualityCounts sum;
    const auto from =
        std::lower_bound(minutes_.begin(), minutes_.end(), fromMinute,
                         [](const auto& entry, std::int64_t m) { return entry.first < m; });
    for (auto it = from; it != minutes_.end(); ++it) sum += it->second;
    return sum;
}

void MinuteSeries::dropBefore(std::int64_t minute) {
    while (!minutes_.empty() && minutes_.front().first < minute) minutes_.pop_front();
}

void ItemRecency::served(int item, std::int64_t minute) {
    if (item < 0 || static_cast<std::size_t>(item) >= lastMinute_.size()) return;
    auto& last = lastMinute_[static_cast<std::size_t>(item)];
    last = std::max(last, minute);
}

void ItemRecency::merge(const ItemRecency& other) {
    const std::size_t n = std::min(lastMinute_.size(), other.lastMinute_.size());
    for (std::size_t i = 0; i < n; ++i)
        lastMinute_[i] = std::max(lastMinute_[i], other.lastMinute_[i]);
}

std::int64_t ItemRecency::distinctSince(std::int64_t fromMinute) const {
    return std::count_if(lastMinute_.begin(), lastMinute_.end(), [fromMinute](std::int64_t last) {
        return last >= 0 && last >= fromMinute;
    });
}

}  // namespace animerec

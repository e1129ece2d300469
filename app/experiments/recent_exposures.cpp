#include "experiments/recent_exposures.h"

#include <algorithm>

namespace animerec::experiments {

RecentExposures::RecentExposures(std::size_t maxUnits, std::size_t perUnit)
    : generationSize_(std::max<std::size_t>(maxUnits, 2) / 2),
      perUnit_(std::max<std::size_t>(perUnit, 1)) {}

void RecentExposures::add(const QString& unit, Exposure exposure) {
    std::lock_guard lock(mutex_);
    auto found = current_.find(unit);
    if (found == current_.end()) {
        // A new generation starts before the unit joins, so the current one never exceeds its size.
        if (static_cast<std::size_t>(current_.size()) >= generationSize_) {
            previous_ = std::move(current_);
            current_.clear();
        }
        Exposures carried = previous_.take(unit);
        found = current_.insert(unit, std::move(carried));
    }
    Exposures& exposures = found.value();
    if (exposures.size() >= perUnit_)
        exposures.erase(
            exposures.begin(),
            exposures.begin() + static_cast<std::ptrdiff_t>(exposures.size() - perUnit_ + 1));
    exposures.push_back(std::move(exposure));
}

std::optional<RecentExposures::Attribution> RecentExposures::attribute(const QString& unit,
                                                                       qint64 animeId, qint64 nowMs,
                                                                       qint64 windowMs) const {
    std::lock_guard lock(mutex_);
    auto found = current_.constFind(unit);
    if (found == current_.cend()) {
        found = previous_.constFind(unit);
        if (found == previous_.cend()) return std::nullopt;
    }
    const Exposures& exposures = found.value();
    for (auto exposure = exposures.rbegin(); exposure != exposures.rend(); ++exposure) {
        if (nowMs - exposure->servedAtMs > windowMs) break;
        const auto at = std::find(exposure->items.begin(), exposure->items.end(), animeId);
        if (at == exposure->items.end()) continue;
        return Attribution{exposure->exposureId, exposure->experimentId, exposure->variant,
                           static_cast<int>(at - exposure->items.begin()) + 1};
    }
    return std::nullopt;
}

std::size_t RecentExposures::unitCount() const {
    std::lock_guard lock(mutex_);
    // A unit served again moved out of previous_, so the two never share a unit.
    return static_cast<std::size_t>(current_.size() + previous_.size());
}

}  // namespace animerec::experiments

#pragma once

#include <QHash>
#include <QString>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace animerec::experiments {

// The latest lists served to each unit (user or session), so feedback can be attributed to the
// exposure that showed the title. Bounded in both directions: at most `perUnit` exposures per
// unit, and at most `maxUnits` units. Units age in two generations of maxUnits / 2: a unit served
// during the current or the previous generation is kept (served again, it moves to the current
// one); older units are forgotten a generation at a time. So a unit among the last maxUnits / 2
// distinct units served is always attributable, and memory stays flat in a long soak with many
// anonymous sessions. O(1) per call; thread-safe.
class RecentExposures {
public:
    struct Exposure {
        qint64 exposureId = 0;
        qint64 experimentId = 0;
        QString variant;
        std::vector<qint64> items;  // best first
        qint64 servedAtMs = 0;
    };
    struct Attribution {
        qint64 exposureId = 0;
        qint64 experimentId = 0;
        QString variant;
        int position = 0;  // 1-based
    };

    // maxUnits >= 2 and perUnit >= 1 (smaller values are raised to these).
    explicit RecentExposures(std::size_t maxUnits, std::size_t perUnit);

    void add(const QString& unit, Exposure exposure);
    // The unit's latest exposure that showed `animeId` and was served at most `windowMs` before
    // `nowMs`; nullopt when none (or the unit was forgotten).
    std::optional<Attribution> attribute(const QString& unit, qint64 animeId, qint64 nowMs,
                                         qint64 windowMs) const;
    std::size_t unitCount() const;

private:
    using Exposures = std::vector<Exposure>;  // oldest first, at most perUnit_
    std::size_t generationSize_;
    std::size_t perUnit_;
    mutable std::mutex mutex_;
    QHash<QString, Exposures> current_;
    QHash<QString, Exposures> previous_;
};

}  // namespace animerec::experiments

#include "jobs/phase_progress.h"

#include <algorithm>

namespace animerec::jobs {

namespace {
constexpr std::int64_t kPhaseUnits = 1000;
}

ProgressCallback phaseProgress(const ProgressCallback& outer, const std::string& label, int phase,
                               int phases) {
    if (!outer) return {};
    return [outer, label, phase, phases](const Progress& inner) {
        double share = 0.0;
        if (inner.total > 0)
            share = std::clamp(static_cast<double>(inner.done) / static_cast<double>(inner.total),
                               0.0, 1.0);
        Progress mapped;
        mapped.stage = inner.stage.empty() ? label : label + ": " + inner.stage;
        mapped.done = phase * kPhaseUnits + static_cast<std::int64_t>(share * kPhaseUnits);
        mapped.total = static_cast<std::int64_t>(phases) * kPhaseUnits;
        mapped.detail = inner.detail;
        return outer(mapped);
    };
}

}  // namespace animerec::jobs

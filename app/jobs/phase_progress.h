#pragma once

#include <string>

#include "util/progress.h"

namespace animerec::jobs {

// Maps the progress of phase `phase` of `phases` onto one overall range (1000 units a phase),
// prefixing the stage with `label`, so a job of several fits and evaluations fills one bar. The
// returned callback forwards cancellation; an empty `outer` gives an empty callback.
ProgressCallback phaseProgress(const ProgressCallback& outer, const std::string& label, int phase,
                               int phases);

}  // namespace animerec::jobs

#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "util/progress.h"

namespace animerec::cli {

// Rate and time left over a run of progress reports. A job reports its loading, epochs,
// validations and fits as stages of one overall range (jobs/phase_progress.h), so a rate kept per
// stage would restart at every epoch and its ETA would cover only that epoch. A run is therefore
// every consecutive report with the same known total and no less done than the report before,
// whatever its stage; with an unknown total (0) it is one stage. A report that counts less starts
// a new run: the work it counts began again.
class ProgressRun {
public:
    using Clock = std::chrono::steady_clock;

    // Counts `progress`, reported at `now`.
    void add(const Progress& progress, Clock::time_point now);

    std::int64_t done() const { return done_; }  // as last reported
    double elapsedSeconds() const;               // since the run's first report
    // Units per second since the run's first report; 0 until 0.2 s have passed.
    double rate() const;
    // Seconds to the total at that rate; none while the total or the rate is unknown, or done.
    std::optional<double> secondsLeft() const;

private:
    bool started_ = false;
    std::int64_t total_ = 0;
    std::string stage_;  // the stage that started a run of unknown total
    std::int64_t startDone_ = 0;
    std::int64_t done_ = 0;
    Clock::time_point start_;
    Clock::time_point now_;
};

}  // namespace animerec::cli

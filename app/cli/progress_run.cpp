#include "cli/progress_run.h"

namespace animerec::cli {

void ProgressRun::add(const Progress& progress, Clock::time_point now) {
    const bool sameRun = started_ && progress.total == total_ &&
                         (total_ > 0 || progress.stage == stage_) && progress.done >= done_;
    if (!sameRun) {
        started_ = true;
        total_ = progress.total;
        stage_ = progress.stage;
        startDone_ = progress.done;
        start_ = now;
    }
    done_ = progress.done;
    now_ = now;
}

double ProgressRun::elapsedSeconds() const {
    return started_ ? std::chrono::duration<double>(now_ - start_).count() : 0.0;
}

double ProgressRun::rate() const {
    // Too early for a meaningful rate: the first report can come microseconds into a run.
    const double elapsed = elapsedSeconds();
    return elapsed > 0.2 ? static_cast<double>(done_ - startDone_) / elapsed : 0.0;
}

std::optional<double> ProgressRun::secondsLeft() const {
    const double perSecond = rate();
    if (total_ <= 0 || perSecond <= 0.0 || done_ >= total_) return std::nullopt;
    return static_cast<double>(total_ - done_) / perSecond;
}

}  // namespace animerec::cli

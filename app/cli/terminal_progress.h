#pragma once

#include <chrono>
#include <string>

#include "cli/progress_run.h"
#include "util/progress.h"

namespace animerec::cli {

// A progress bar on stderr: "stage [#####.....] 48%  1.2M/2.5M rows  350k rows/s  ETA 0:04".
// On a terminal it redraws in place at most 10 times a second; otherwise (logs, CI) it prints a
// plain line every few seconds. The rate and ETA span the stages of one job that count into one
// total (ProgressRun), and the time shown is the run's. Also tracks Ctrl-C: once SIGINT arrives the
// callback returns false, so the operation cancels cleanly and its transaction rolls back.
class TerminalProgress {
public:
    explicit TerminalProgress(std::string unit = "rows");
    ~TerminalProgress();
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    // The callback to hand to long operations.
    ProgressCallback callback();
    // Ends the current line (prints the final state once).
    void finish();

private:
    bool update(const Progress& progress);
    void draw(const Progress& progress, bool final);

    std::string unit_;
    bool interactive_ = false;
    std::string stage_;
    ProgressRun run_;
    std::chrono::steady_clock::time_point lastDraw_;
    Progress last_;
    bool drawnSinceFinish_ = false;
};

}  // namespace animerec::cli

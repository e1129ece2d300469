#include "cli/terminal_progress.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace animerec::cli {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void onInterrupt(int) { interrupted.store(true); }

std::string humanCount(double value) {
    char text[32];
    if (value >= 1e9)
        std::snprintf(text, sizeof text, "%.2fG", value / 1e9);
    else if (value >= 1e6)
        std::snprintf(text, sizeof text, "%.2fM", value / 1e6);
    else if (value >= 1e4)
        std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
    else
        std::snprintf(text, sizeof text, "%.0f", value);
    return text;
}

std::string clock(double seconds) {
    const long total = static_cast<long>(seconds + 0.5);
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                      total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

}  // namespace

TerminalProgress::TerminalProgress(std::string unit)
    : unit_(std::move(unit)), interactive_(isatty(STDERR_FILENO) == 1) {
    interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
}

TerminalProgress::~TerminalProgress() {
    finish();
    std::signal(SIGINT, SIG_DFL);
}

ProgressCallback TerminalProgress::callback() {
    return [this](const Progress& progress) { return update(progress); };
}

bool TerminalProgress::update(const Progress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (progress.stage != stage_) {
        finish();
        stage_ = progress.stage;
        lastDraw_ = {};
    }
    run_.add(progress, now);
    last_ = progress;
    const auto interval =
        interactive_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (now - lastDraw_ >= interval || (progress.total > 0 && progress.done >= progress.total)) {
        draw(progress, false);
        lastDraw_ = now;
    }
    return !interrupted.load();
}

void TerminalProgress::draw(const Progress& progress, bool final) {
    const double elapsed = run_.elapsedSeconds();
    const double rate = run_.rate();
    const std::int64_t done = run_.done();
    std::string line = progress.stage;
    if (progress.total > 0) {
        const double share =
            std::min(1.0, static_cast<double>(done) / static_cast<double>(progress.total));
        constexpr int width = 24;
        const int filled = static_cast<int>(share * width);
        line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
                std::string(static_cast<std::size_t>(width - filled), '.') + "] ";
        char percent[16];
        std::snprintf(percent, sizeof percent, "%3.0f%%", share * 100.0);
        line += percent;
        line += "  " + humanCount(static_cast<double>(done)) + "/" +
                humanCount(static_cast<double>(progress.total)) + " " + unit_;
        line += "  " + humanCount(rate) + " " + unit_ + "/s";
        if (const auto left = run_.secondsLeft())
            line += "  ETA " + clock(*left);
        else
            line += "  " + clock(elapsed);
    } else {
        line += "  " + humanCount(static_cast<double>(done)) + " " + unit_ + "  " +
                humanCount(rate) + " " + unit_ + "/s  " + clock(elapsed);
    }
    if (!progress.detail.empty()) line += "  " + progress.detail;
    if (interactive_) {
        std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
        drawnSinceFinish_ = !final;
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
        drawnSinceFinish_ = !final;
    }
    std::fflush(stderr);
}

void TerminalProgress::finish() {
    // The last report was already drawn when it completed the stage: just end the line.
    const bool complete = last_.total > 0 && last_.done >= last_.total;
    if (drawnSinceFinish_ && complete && interactive_)
        std::fputc('\n', stderr);
    else if (drawnSinceFinish_ && !complete)
        draw(last_, true);
    drawnSinceFinish_ = false;
}

}  // namespace animerec::cli

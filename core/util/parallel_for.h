#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace animerec {

// Number of worker threads to use when a config says 0 ("automatic"): the hardware count,
// at least 1.
inline int defaultThreadCount() {
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Calls body(i) for every i in [begin, end) on up to `threads` std::threads (the caller's thread
// is one of them). Indices are handed out in chunks of `grain` from a shared counter, so rows of
// very different cost (heavy vs light users) still balance. The first exception thrown by a body
// is rethrown here after all workers stopped; remaining chunks are skipped.
template <typename Body>
void parallelFor(int begin, int end, int threads, Body&& body, int grain = 64) {
    if (end <= begin) return;
    grain = std::max(1, grain);
    const int chunks = (end - begin + grain - 1) / grain;
    threads = std::clamp(threads, 1, chunks);
    std::atomic<int> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    std::atomic<bool> failed{false};
    const auto work = [&] {
        for (;;) {
            const int chunk = next.fetch_add(1);
            if (chunk >= chunks || failed.load(std::memory_order_relaxed)) return;
            const int from = begin + chunk * grain;
            const int to = std::min(end, from + grain);
            try {
                for (int i = from; i < to; ++i) body(i);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure) failure = std::current_exception();
                failed = true;
                return;
            }
        }
    };
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads - 1));
    for (int t = 1; t < threads; ++t) workers.emplace_back(work);
    work();
    for (auto& worker : workers) worker.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace animerec

#pragma once

#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace animerec::nn {

// Runs slice(t, stop) for every t in [0, count): slice 0 on the calling thread (so it may call a
// ProgressCallback, whose contract is the working thread), the others on their own threads, each
// with scratch space of its own. An exception in any slice sets `stop` so the others can return
// early; once every thread has joined, the exception of the lowest failing slice is rethrown on
// the calling thread. Without this an exception would unwind past joinable std::threads and
// terminate the process.
template <typename Slice>
void runSlices(int count, Slice&& slice) {
    if (count <= 0) return;
    std::atomic<bool> stop{false};
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(count));
    const auto guarded = [&](int t) {
        try {
            slice(t, static_cast<const std::atomic<bool>&>(stop));
        } catch (...) {
            failures[static_cast<std::size_t>(t)] = std::current_exception();
            stop.store(true, std::memory_order_relaxed);
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(count - 1));
    try {
        for (int t = 1; t < count; ++t) pool.emplace_back(guarded, t);
    } catch (...) {
        // Could not start a thread: let the started ones finish, then report.
        stop.store(true, std::memory_order_relaxed);
        for (auto& thread : pool) thread.join();
        throw;
    }
    guarded(0);
    for (auto& thread : pool) thread.join();
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
}

}  // namespace animerec::nn

#pragma once

#include <QtGlobal>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "http/api_endpoints.h"

namespace animerec::http {

// Computes the default answers (top_n 10) ahead of requests and keeps them in the response cache:
// the collaborative and session lists of the most active users, then the content lists of the
// most watched anime, until half the cache budget is used. This is what a recommender that
// precomputes its lists serves, without a second store: a request for a warmed key is a cache
// hit, and one for anything else is scored as before.
// A reload empties the cache (new model generation); the warmer then starts again. The first pass
// uses every core and GET /ready waits for it; later passes use one thread so serving keeps the
// other cores.
class CacheWarmer {
public:
    struct Options {
        int maxUsers = 100'000;    // most active users warmed (0 = no users)
        int firstPassThreads = 0;  // 0 = one per core
    };
    struct Progress {
        qint64 done = 0;   // answers looked at in the current pass
        qint64 total = 0;  // answers the pass will compute at most
        bool firstPassFinished = false;
        qint64 passes = 0;  // passes finished (one per model generation warmed)
    };

    CacheWarmer(const ApiEndpoints& endpoints, const service::RecommendService& service,
                Options options);
    ~CacheWarmer();  // stops the passes and waits for them
    CacheWarmer(const CacheWarmer&) = delete;
    CacheWarmer& operator=(const CacheWarmer&) = delete;

    void start();
    Progress progress() const;

private:
    struct Job {
        ApiEndpoints::WarmRoute route;
        std::int64_t id;
    };
    void run();
    // One pass over jobs_ for `generation`; false when interrupted (stop, or the models changed).
    bool pass(quint64 generation, int threads);
    bool stopping() const { return stop_.load(std::memory_order_acquire); }

    const ApiEndpoints& endpoints_;
    const service::RecommendService& service_;
    Options options_;
    std::vector<Job> jobs_;
    std::atomic<qint64> done_{0};
    std::atomic<bool> firstPassFinished_{false};
    std::atomic<qint64> passes_{0};
    std::atomic<bool> stop_{false};
    std::mutex wakeMutex_;
    std::condition_variable wake_;
    std::thread thread_;
};

}  // namespace animerec::http

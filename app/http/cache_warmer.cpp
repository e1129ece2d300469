#include "http/cache_warmer.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "data/dataset.h"

namespace animerec::http {

namespace {

// How often a finished warmer looks for a model reload.
constexpr auto kGenerationPoll = std::chrono::milliseconds(500);

}  // namespace

CacheWarmer::CacheWarmer(const ApiEndpoints& endpoints, const service::RecommendService& service,
                         Options options)
    : endpoints_(endpoints), service_(service), options_(options) {
    // Most active users first: they are the likeliest to come back, and when the budget ends the
    // pass the users left out are the ones with the shortest histories.
    const Interactions& interactions = service_.dataset().interactions;
    std::vector<int> users(static_cast<std::size_t>(interactions.userCount()));
    std::iota(users.begin(), users.end(), 0);
    std::stable_sort(users.begin(), users.end(), [&](int a, int b) {
        return interactions.historyOf(a).size() > interactions.historyOf(b).size();
    });
    users.resize(std::min(users.size(), static_cast<std::size_t>(std::max(0, options_.maxUsers))));
    const Catalog& catalog = service_.dataset().catalog;
    std::vector<const AnimeRecord*> anime;
    for (const AnimeRecord& record : catalog.items()) anime.push_back(&record);
    std::stable_sort(anime.begin(), anime.end(), [](const AnimeRecord* a, const AnimeRecord* b) {
        return a->members.value_or(0) > b->members.value_or(0);
    });
    jobs_.reserve(2 * users.size() + anime.size());
    for (const int user : users) {
        const std::int64_t userId = interactions.userIdAt(user);
        jobs_.push_back({ApiEndpoints::WarmRoute::Collaborative, userId});
        jobs_.push_back({ApiEndpoints::WarmRoute::Session, userId});
    }
    for (const AnimeRecord* record : anime)
        jobs_.push_back({ApiEndpoints::WarmRoute::Content, record->animeId});
}

CacheWarmer::~CacheWarmer() {
    stop_.store(true, std::memory_order_release);
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void CacheWarmer::start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

CacheWarmer::Progress CacheWarmer::progress() const {
    return {done_.load(std::memory_order_relaxed), static_cast<qint64>(jobs_.size()),
            firstPassFinished_.load(std::memory_order_acquire),
            passes_.load(std::memory_order_acquire)};
}

void CacheWarmer::run() {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int firstThreads = options_.firstPassThreads > 0 ? options_.firstPassThreads : cores;
    std::optional<quint64> warmed;
    while (!stopping()) {
        const quint64 generation = service_.models().generation();
        if (generation != warmed) {
            const bool first = !firstPassFinished_.load(std::memory_order_acquire);
            if (pass(generation, first ? firstThreads : 1)) {
                warmed = generation;
                firstPassFinished_.store(true, std::memory_order_release);
                passes_.fetch_add(1, std::memory_order_acq_rel);
            }
            continue;  // interrupted by a reload: warm the new models at once
        }
        std::unique_lock lock(wakeMutex_);
        wake_.wait_for(lock, kGenerationPoll, [this] { return stopping(); });
    }
}

bool CacheWarmer::pass(quint64 generation, int threads) {
    done_.store(0, std::memory_order_relaxed);
    const qint64 fillLimit = endpoints_.cacheCapacityBytes() / 2;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> full{false};
    const auto work = [&] {
        while (!stopping() && !full.load(std::memory_order_relaxed) &&
               service_.models().generation() == generation) {
            const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
            if (index >= jobs_.size()) return;
            if (!endpoints_.warm(jobs_[index].route, jobs_[index].id, fillLimit))
                full.store(true, std::memory_order_relaxed);
            done_.fetch_add(1, std::memory_order_relaxed);
        }
    };
    std::vector<std::thread> helpers;
    for (int i = 1; i < threads; ++i) helpers.emplace_back(work);
    work();
    for (std::thread& helper : helpers) helper.join();
    return !stopping() && service_.models().generation() == generation;
}

}  // namespace animerec::http

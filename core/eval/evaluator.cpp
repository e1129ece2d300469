#include "eval/evaluator.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <climits>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "data/catalog.h"
#include "eval/metrics.h"
#include "eval/split.h"
#include "models/rating_predictor.h"
#include "models/recommender.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

// Per-user columns, repeated for every K in options.ks.
const char* const kPerUserMetrics[] = {"precision", "recall",  "ndcg",      "map",       "mrr",
                                       "hitrate",   "novelty", "diversity", "popularity"};
constexpr int kMetricsPerK = 9;
constexpr int kRecallColumn = 1;
constexpr int kNdcgColumn = 2;
constexpr int kHitColumn = 5;
constexpr int kUsersPerChunk = 128;

bool better(const ScoredItem& a, const ScoredItem& b) {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
}

}  // namespace

struct Evaluator::Scratch {
    std::vector<float> scores;
    std::vector<std::uint8_t> excluded;
    std::vector<ScoredItem> heap;
    std::vector<int> minRank;  // best (0-based) rank each item reached in any list: coverage
    std::vector<double> hitPrefix, dcgPrefix, apPrefix, noveltyPrefix, popularityPrefix, pairPrefix;
};

struct Evaluator::ChunkTotals {
    std::vector<double> recallCurve;
    std::vector<double> ndcgCurve;
    double squaredError = 0.0;
    double absoluteError = 0.0;
    std::int64_t ratedCount = 0;
};

Evaluator::Evaluator(const Split& split, const Catalog& catalog, EvaluatorOptions options)
    : Evaluator(split.train, split.test, catalog, std::move(options)) {}

Evaluator::Evaluator(const Interactions& train, const std::vector<HeldOut>& test,
                     const Catalog& catalog, EvaluatorOptions options)
    : train_(train), test_(test), options_(std::move(options)), itemCount_(train.itemCount()) {
    if (catalog.size() != itemCount_)
        throw std::invalid_argument("evaluator: catalogue has " + std::to_string(catalog.size()) +
                                    " items but the split " + std::to_string(itemCount_));
    if (static_cast<int>(test.size()) != train.userCount())
        throw std::invalid_argument("evaluator: split has " + std::to_string(test.size()) +
                                    " test lists for " + std::to_string(train.userCount()) +
                                    " train users");
    if (options_.ks.empty()) throw std::invalid_argument("evaluator: no cut-off K given");
    for (const int k : options_.ks)
        if (k < 1)
            throw std::invalid_argument("evaluator: cut-off K must be >= 1, got " +
                                        std::to_string(k));
    options_.curveMaxK = std::max(0, options_.curveMaxK);
    maxCutOff_ = *std::max_element(options_.ks.begin(), options_.ks.end());
    rankDepth_ = std::max(maxCutOff_, options_.curveMaxK);

    for (int user = 0; user < train.userCount(); ++user)
        if (!test[static_cast<std::size_t>(user)].items.empty()) users_.push_back(user);

    trainCounts_ = train.itemCounts();
    for (int item = 0; item < itemCount_; ++item)
        if (trainCounts_[static_cast<std::size_t>(item)] > 0) trainItems_.push_back(item);

    baseExcluded_.assign(static_cast<std::size_t>(itemCount_), 0);
    if (options_.catalogMode == CatalogMode::Interacted) {
        // From train alone: building it from the test items too would tell the ranking which
        // never-seen titles are the answers.
        for (std::size_t item = 0; item < trainCounts_.size(); ++item)
            baseExcluded_[item] = trainCounts_[item] == 0;
    }

    // Genre sets as bitsets: the O(K^2) pairwise Jaccard loop then costs a few popcounts a pair.
    genreWords_ = std::max<int>(1, (static_cast<int>(catalog.genreNames().size()) + 63) / 64);
    genreBits_.assign(static_cast<std::size_t>(itemCount_) * static_cast<std::size_t>(genreWords_),
                      0);
    for (int item = 0; item < itemCount_; ++item)
        for (const int genre : catalog.genreIdsOf(item))
            genreBits_[static_cast<std::size_t>(item) * static_cast<std::size_t>(genreWords_) +
                       static_cast<std::size_t>(genre / 64)] |= std::uint64_t{1} << (genre % 64);
    genreSizes_.assign(static_cast<std::size_t>(itemCount_), 0);
    for (int item = 0; item < itemCount_; ++item)
        for (int w = 0; w < genreWords_; ++w)
            genreSizes_[static_cast<std::size_t>(item)] += std::popcount(
                genreBits_[static_cast<std::size_t>(item) * static_cast<std::size_t>(genreWords_) +
                           static_cast<std::size_t>(w)]);

    idealDcg_.assign(static_cast<std::size_t>(rankDepth_) + 1, 0.0);
    for (int m = 1; m <= rankDepth_; ++m)
        idealDcg_[static_cast<std::size_t>(m)] =
            idealDcg_[static_cast<std::size_t>(m) - 1] + rankDiscount(m);
}

void Evaluator::evaluateUser(const Recommender& model, int user, Scratch& s, float* row,
                             ChunkTotals& totals) const {
    const auto history = train_.historyOf(user);
    const auto& heldOut = test_[static_cast<std::size_t>(user)];
    std::fill(s.scores.begin(), s.scores.end(), -std::numeric_limits<float>::infinity());
    model.score(UserQuery{user, history}, s.scores);
    for (const auto& event : history) s.excluded[static_cast<std::size_t>(event.item)] = 1;

    // Partial selection: a min-heap of the best rankDepth_ items; most items fail the first test.
    const auto depth = static_cast<std::size_t>(rankDepth_);
    s.heap.clear();
    for (int item = 0; item < itemCount_; ++item) {
        if (s.excluded[static_cast<std::size_t>(item)]) continue;
        float score = s.scores[static_cast<std::size_t>(item)];
        if (std::isnan(score)) score = -std::numeric_limits<float>::infinity();
        const ScoredItem candidate{item, score};
        if (s.heap.size() == depth) {
            if (!better(candidate, s.heap.front())) continue;
            std::pop_heap(s.heap.begin(), s.heap.end(), better);
            s.heap.back() = candidate;
        } else {
            s.heap.push_back(candidate);
        }
        std::push_heap(s.heap.begin(), s.heap.end(), better);
    }
    std::sort_heap(s.heap.begin(), s.heap.end(), better);
    for (const auto& event : history)
        s.excluded[static_cast<std::size_t>(event.item)] =
            baseExcluded_[static_cast<std::size_t>(event.item)];

    // Prefix sums over the ranking: every metric at every K is then O(1).
    const std::size_t length = s.heap.size();
    const int relevant = static_cast<int>(heldOut.items.size());
    const double userCount = std::max(1, train_.userCount());
    const auto words = static_cast<std::size_t>(genreWords_);
    const auto diversityDepth = static_cast<std::size_t>(maxCutOff_);
    double hits = 0.0, dcg = 0.0, ap = 0.0, nov = 0.0, pop = 0.0, pairs = 0.0;
    int firstHit = 0;
    for (std::size_t i = 0; i < length; ++i) {
        const int item = s.heap[i].item;
        auto& best = s.minRank[static_cast<std::size_t>(item)];
        best = std::min(best, static_cast<int>(i));
        if (std::binary_search(heldOut.items.begin(), heldOut.items.end(), item)) {
            hits += 1.0;
            dcg += rankDiscount(static_cast<int>(i) + 1);
            ap += hits / static_cast<double>(i + 1);
            if (firstHit == 0) firstHit = static_cast<int>(i) + 1;
        }
        const int count = std::max(1, trainCounts_[static_cast<std::size_t>(item)]);
        nov += -std::log2(count / userCount);
        pop += trainCounts_[static_cast<std::size_t>(item)];
        const std::uint64_t* mine = &genreBits_[static_cast<std::size_t>(item) * words];
        const int mineSize = genreSizes_[static_cast<std::size_t>(item)];
        // Diversity is only reported at the cut-offs, not along the curves.
        for (std::size_t j = 0; j < std::min(i, diversityDepth); ++j) {
            const std::uint64_t* other =
                &genreBits_[static_cast<std::size_t>(s.heap[j].item) * words];
            int common = 0;
            for (std::size_t w = 0; w < words; ++w) common += std::popcount(mine[w] & other[w]);
            const int unite =
                mineSize + genreSizes_[static_cast<std::size_t>(s.heap[j].item)] - common;
            if (unite > 0) pairs += 1.0 - static_cast<double>(common) / unite;
        }
        s.hitPrefix[i + 1] = hits;
        s.dcgPrefix[i + 1] = dcg;
        s.apPrefix[i + 1] = ap;
        s.noveltyPrefix[i + 1] = nov;
        s.popularityPrefix[i + 1] = pop;
        s.pairPrefix[i + 1] = pairs;
    }

    for (std::size_t index = 0; index < options_.ks.size(); ++index) {
        const int k = options_.ks[index];
        const auto n = std::min<std::size_t>(length, static_cast<std::size_t>(k));
        const int ideal = std::min(k, relevant);
        float* out = row + index * kMetricsPerK;
        out[0] = static_cast<float>(s.hitPrefix[n] / k);
        out[1] = static_cast<float>(s.hitPrefix[n] / ideal);
        out[2] = static_cast<float>(s.dcgPrefix[n] / idealDcg_[static_cast<std::size_t>(ideal)]);
        out[3] = static_cast<float>(s.apPrefix[n] / ideal);
        out[4] = firstHit > 0 && firstHit <= k ? 1.0f / static_cast<float>(firstHit) : 0.0f;
        out[5] = s.hitPrefix[n] > 0.0 ? 1.0f : 0.0f;
        out[6] = n > 0 ? static_cast<float>(s.noveltyPrefix[n] / static_cast<double>(n)) : 0.0f;
        out[7] =
            n > 1 ? static_cast<float>(s.pairPrefix[n] / (static_cast<double>(n) * (n - 1) / 2.0))
                  : 0.0f;
        out[8] = n > 0 ? static_cast<float>(s.popularityPrefix[n] / static_cast<double>(n)) : 0.0f;
    }
    for (int k = 1; k <= options_.curveMaxK; ++k) {
        const auto n = std::min<std::size_t>(length, static_cast<std::size_t>(k));
        const int ideal = std::min(k, relevant);
        totals.recallCurve[static_cast<std::size_t>(k) - 1] += s.hitPrefix[n] / ideal;
        totals.ndcgCurve[static_cast<std::size_t>(k) - 1] +=
            s.dcgPrefix[n] / idealDcg_[static_cast<std::size_t>(ideal)];
    }

    if (const auto* predictor = dynamic_cast<const RatingPredictor*>(&model)) {
        for (std::size_t i = 0; i < heldOut.items.size(); ++i) {
            if (heldOut.ratings[i] <= 0.0f) continue;
            const double error =
                predictor->predictRating(user, heldOut.items[i]) - heldOut.ratings[i];
            totals.squaredError += error * error;
            totals.absoluteError += std::abs(error);
            ++totals.ratedCount;
        }
    }
}

ModelReport Evaluator::evaluate(const Recommender& model, const ProgressCallback& progress) const {
    const auto started = std::chrono::steady_clock::now();
    const int userCount = static_cast<int>(users_.size());
    const int kCount = static_cast<int>(options_.ks.size());
    const auto width = static_cast<std::size_t>(kCount * kMetricsPerK);
    const auto curveSize = static_cast<std::size_t>(options_.curveMaxK);
    const int chunks = (userCount + kUsersPerChunk - 1) / kUsersPerChunk;
    const int threads = std::clamp(options_.threads > 0 ? options_.threads : defaultThreadCount(),
                                   1, std::max(1, chunks));

    std::vector<float> perUser(static_cast<std::size_t>(userCount) * width, 0.0f);
    std::vector<ChunkTotals> chunkTotals(static_cast<std::size_t>(chunks));
    std::vector<std::vector<int>> threadMinRank(static_cast<std::size_t>(threads));
    std::atomic<int> nextChunk{0};
    std::atomic<std::int64_t> usersDone{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    const std::string stage = "evaluate " + model.name();

    const auto work = [&](int thread) {
        try {
            Scratch s;
            s.scores.resize(static_cast<std::size_t>(itemCount_));
            s.excluded = baseExcluded_;
            s.heap.reserve(static_cast<std::size_t>(rankDepth_) + 1);
            s.minRank.assign(static_cast<std::size_t>(itemCount_), INT_MAX);
            for (auto* prefix : {&s.hitPrefix, &s.dcgPrefix, &s.apPrefix, &s.noveltyPrefix,
                                 &s.popularityPrefix, &s.pairPrefix})
                prefix->assign(static_cast<std::size_t>(rankDepth_) + 1, 0.0);
            std::int64_t nextReport = 0;
            for (;;) {
                const int chunk = nextChunk.fetch_add(1);
                if (chunk >= chunks || stop.load(std::memory_order_relaxed)) break;
                auto& totals = chunkTotals[static_cast<std::size_t>(chunk)];
                totals.recallCurve.assign(curveSize, 0.0);
                totals.ndcgCurve.assign(curveSize, 0.0);
                const int from = chunk * kUsersPerChunk;
                const int to = std::min(userCount, from + kUsersPerChunk);
                for (int i = from; i < to; ++i)
                    evaluateUser(model, users_[static_cast<std::size_t>(i)], s,
                                 perUser.data() + static_cast<std::size_t>(i) * width, totals);
                const auto done = usersDone.fetch_add(to - from) + (to - from);
                // Only the calling thread talks to the callback (it may not be thread-safe).
                if (thread == 0 && done >= nextReport) {
                    reportProgress(progress, {stage, done, userCount, ""});
                    nextReport = done + std::max<std::int64_t>(1, userCount / 100);
                }
            }
            threadMinRank[static_cast<std::size_t>(thread)] = std::move(s.minRank);
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure) failure = std::current_exception();
            stop = true;
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
    work(0);
    for (auto& worker : workers) worker.join();
    if (failure) std::rethrow_exception(failure);
    reportProgress(progress, {stage, userCount, userCount, ""});

    ModelReport report;
    report.model = model.name();
    report.evaluatedUsers = userCount;
    for (const int k : options_.ks)
        for (const char* metric : kPerUserMetrics)
            report.perUserColumns.push_back(metricKey(metric, k));

    // Means in user order (sums of floats in double): independent of the thread count.
    std::vector<double> sums(width, 0.0);
    for (int i = 0; i < userCount; ++i)
        for (std::size_t c = 0; c < width; ++c)
            sums[c] += perUser[static_cast<std::size_t>(i) * width + c];
    for (std::size_t c = 0; c < width; ++c)
        report.metrics[report.perUserColumns[c]] = userCount > 0 ? sums[c] / userCount : 0.0;

    report.recallCurve.assign(curveSize, 0.0);
    report.ndcgCurve.assign(curveSize, 0.0);
    double squaredError = 0.0, absoluteError = 0.0;
    std::int64_t rated = 0;
    for (const auto& totals : chunkTotals) {
        for (std::size_t k = 0; k < curveSize; ++k) {
            report.recallCurve[k] += totals.recallCurve[k];
            report.ndcgCurve[k] += totals.ndcgCurve[k];
        }
        squaredError += totals.squaredError;
        absoluteError += totals.absoluteError;
        rated += totals.ratedCount;
    }
    for (std::size_t k = 0; k < curveSize && userCount > 0; ++k) {
        report.recallCurve[k] /= userCount;
        report.ndcgCurve[k] /= userCount;
    }
    if (rated > 0) {
        report.metrics["rmse"] = std::sqrt(squaredError / static_cast<double>(rated));
        report.metrics["mae"] = absoluteError / static_cast<double>(rated);
    }

    // Coverage: the best rank each item reached over all threads (min is order-independent).
    std::vector<int> minRank(static_cast<std::size_t>(itemCount_), INT_MAX);
    for (const auto& ranks : threadMinRank)
        for (std::size_t item = 0; item < ranks.size(); ++item)
            minRank[item] = std::min(minRank[item], ranks[item]);
    for (const int k : options_.ks) {
        const auto covered = std::count_if(trainItems_.begin(), trainItems_.end(), [&](int item) {
            return minRank[static_cast<std::size_t>(item)] < k;
        });
        report.metrics[metricKey("coverage", k)] =
            trainItems_.empty()
                ? 0.0
                : static_cast<double>(covered) / static_cast<double>(trainItems_.size());
    }

    if (options_.confidenceIntervals && userCount > 0) {
        const int headline[] = {kRecallColumn, kNdcgColumn, kHitColumn};
        const auto columns = static_cast<std::size_t>(kCount) * 3;
        std::vector<float> selected(static_cast<std::size_t>(userCount) * columns);
        std::vector<std::string> names;
        for (int k = 0; k < kCount; ++k)
            for (const int metric : headline)
                names.push_back(
                    report.perUserColumns[static_cast<std::size_t>(k * kMetricsPerK + metric)]);
        for (int i = 0; i < userCount; ++i) {
            std::size_t c = 0;
            for (int k = 0; k < kCount; ++k)
                for (const int metric : headline)
                    selected[static_cast<std::size_t>(i) * columns + c++] =
                        perUser[static_cast<std::size_t>(i) * width +
                                static_cast<std::size_t>(k * kMetricsPerK + metric)];
        }
        auto bootstrapOptions = options_.bootstrap;
        bootstrapOptions.threads = threads;
        reportProgress(progress, {stage + " (bootstrap)", 0, 0, ""});
        const auto intervals =
            bootstrapMeans(selected, static_cast<int>(columns), bootstrapOptions);
        for (std::size_t c = 0; c < columns; ++c) {
            report.metrics[names[c] + "_ci_low"] = intervals[c].low;
            report.metrics[names[c] + "_ci_high"] = intervals[c].high;
        }
    }
    report.perUserValues = std::move(perUser);
    report.evalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

}  // namespace animerec

// Query latency of the content model on the real CooperUnion catalogue (12,294 anime): item-to-item
// and user-profile top-10, against a straightforward reference measured in the same run
// (double-precision cosine recomputed item by item, then a full sort).
//
// usage: bench_simple_models [queries=1000]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "data/csv_dataset.h"
#include "models/content_based.h"
#include "models/popularity.h"

using namespace animerec;
using Clock = std::chrono::steady_clock;

namespace {

struct Latency {
    double median = 0.0;
    double p99 = 0.0;
};

Latency summarise(std::vector<double> micros) {
    std::sort(micros.begin(), micros.end());
    const auto at = [&](double q) {
        return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * micros.size()))];
    };
    return {at(0.5), at(0.99)};
}

// The reference: one item's full vector (dense + title words) in double precision.
struct NaiveVector {
    std::vector<double> dense;
    std::map<int, double> words;
};

NaiveVector naiveItem(const ItemFeatures& f, int item) {
    NaiveVector v;
    for (int c = 0; c < f.cols; ++c) v.dense.push_back(f.row(item)[c]);
    if (f.hasWords())
        for (auto k = f.wordOffsets[static_cast<std::size_t>(item)];
             k < f.wordOffsets[static_cast<std::size_t>(item) + 1]; ++k)
            v.words[f.wordIds[static_cast<std::size_t>(k)]] =
                f.wordValues[static_cast<std::size_t>(k)];
    return v;
}

double naiveCosine(const NaiveVector& a, const NaiveVector& b) {
    double dot = 0.0, na = 0.0, nb = 0.0;
    for (std::size_t c = 0; c < a.dense.size(); ++c) {
        dot += a.dense[c] * b.dense[c];
        na += a.dense[c] * a.dense[c];
        nb += b.dense[c] * b.dense[c];
    }
    for (const auto& [w, x] : a.words) {
        na += x * x;
        if (const auto it = b.words.find(w); it != b.words.end()) dot += x * it->second;
    }
    for (const auto& [w, x] : b.words) nb += x * x;
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

// Loops over every item, builds its vector, computes the cosine, sorts everything.
std::vector<int> naiveTop10(const ItemFeatures& f, const NaiveVector& query,
                            const std::vector<int>& exclude) {
    std::vector<std::pair<double, int>> all;
    all.reserve(static_cast<std::size_t>(f.rows));
    for (int item = 0; item < f.rows; ++item) {
        if (std::find(exclude.begin(), exclude.end(), item) != exclude.end()) continue;
        all.emplace_back(naiveCosine(query, naiveItem(f, item)), item);
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    std::vector<int> top;
    for (std::size_t i = 0; i < 10 && i < all.size(); ++i) top.push_back(all[i].second);
    return top;
}

NaiveVector naiveProfile(const ContentBasedModel& model, std::span<const Event> history) {
    const ItemFeatures& f = model.profileFeatures();
    NaiveVector profile;
    profile.dense.assign(static_cast<std::size_t>(f.cols), 0.0);
    double mean = 0.0;
    int rated = 0;
    for (const Event& e : history)
        if (e.rating > 0) mean += e.rating, ++rated;
    mean = rated ? mean / rated : 0.0;
    double total = 0.0;
    for (const Event& e : history) {
        const double w = model.eventWeight(e, static_cast<float>(mean));
        if (w == 0.0) continue;
        const NaiveVector v = naiveItem(f, e.item);
        for (std::size_t c = 0; c < v.dense.size(); ++c) profile.dense[c] += w * v.dense[c];
        for (const auto& [word, x] : v.words) profile.words[word] += w * x;
        total += std::abs(w);
    }
    return profile;  // cosine ignores the scale, so no division by `total`
}

int overlap(const std::vector<int>& a, const std::vector<ScoredItem>& b) {
    int shared = 0;
    for (const auto& item : b) shared += std::count(a.begin(), a.end(), item.item) > 0;
    return shared;
}

template <typename F>
double micros(F&& work) {
    const auto start = Clock::now();
    work();
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int queries = argc > 1 ? std::max(10, std::atoi(argv[1])) : 1000;
    const std::string dir = std::string(ANIMEREC_SAMPLE_DATA_DIR) + "/";
    const Dataset data = loadCsvDataset(
        dir + "anime.csv",
        {dir + "rating_random5000users_part1.csv", dir + "rating_random5000users_part2.csv"});
    ContentBasedModel model;
    const double fitMicros = micros([&] { model.fit(data); });
    std::printf(
        "catalogue %d anime, %d users; content fit %.1f ms; similarity space %d dense + %zu words, "
        "profile space %d dense\n",
        data.catalog.size(), data.interactions.userCount(), fitMicros / 1000.0,
        model.similarityFeatures().cols, model.similarityFeatures().words.size(),
        model.profileFeatures().cols);

    std::mt19937_64 random(7);
    std::uniform_int_distribution<int> anyItem(0, data.catalog.size() - 1);
    std::uniform_int_distribution<int> anyUser(0, data.interactions.userCount() - 1);
    std::vector<int> items(static_cast<std::size_t>(queries));
    std::vector<int> users(static_cast<std::size_t>(queries));
    for (auto& i : items) i = anyItem(random);
    for (auto& u : users) u = anyUser(random);

    std::vector<double> fastItem, naiveItemTimes, fastUser, naiveUserTimes;
    long agreeItem = 0, agreeUser = 0;
    std::vector<float> scores(static_cast<std::size_t>(data.catalog.size()));
    std::size_t historyEvents = 0;
    for (int q = 0; q < queries; ++q) {
        const int item = items[static_cast<std::size_t>(q)];
        std::vector<ScoredItem> top;
        fastItem.push_back(micros([&] { top = model.similarItems(item, 10); }));
        std::vector<int> reference;
        naiveItemTimes.push_back(micros([&] {
            reference = naiveTop10(model.similarityFeatures(),
                                   naiveItem(model.similarityFeatures(), item), {item});
        }));
        agreeItem += overlap(reference, top);

        const auto history = data.interactions.historyOf(users[static_cast<std::size_t>(q)]);
        historyEvents += history.size();
        std::vector<int> seen;
        for (const Event& e : history) seen.push_back(e.item);
        fastUser.push_back(micros([&] {
            model.score({-1, history}, scores);
            top = topK(scores, 10, seen);
        }));
        naiveUserTimes.push_back(micros([&] {
            reference = naiveTop10(model.profileFeatures(), naiveProfile(model, history), seen);
        }));
        agreeUser += overlap(reference, top);
    }

    const auto report = [&](const char* what, const std::vector<double>& fast,
                            const std::vector<double>& naive, long agree) {
        const Latency f = summarise(fast);
        const Latency n = summarise(naive);
        std::printf(
            "%-22s fast median %8.1f us  p99 %8.1f us | reference median %9.1f us  p99 %9.1f us | "
            "speed-up x%.1f (median) | top-10 agreement %.1f%%\n",
            what, f.median, f.p99, n.median, n.p99, n.median / f.median,
            100.0 * double(agree) / (10.0 * queries));
    };
    std::printf("%d queries each; mean history %.1f events\n", queries,
                double(historyEvents) / queries);
    report("item-to-item top-10", fastItem, naiveItemTimes, agreeItem);
    report("user-profile top-10", fastUser, naiveUserTimes, agreeUser);

    // The popularity lists the cold-start path serves, for scale.
    PopularityModel popularity;
    popularity.fit(data);
    std::vector<double> popularTimes;
    for (int q = 0; q < queries; ++q)
        popularTimes.push_back(micros([&] { (void)popularity.topInGenres({"Sci-Fi"}, 10); }));
    const Latency p = summarise(popularTimes);
    std::printf("%-22s median %8.1f us  p99 %8.1f us\n", "popular-in-genre top-10", p.median,
                p.p99);
    return 0;
}

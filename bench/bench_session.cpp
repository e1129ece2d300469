// Session models (SASRec, GRU) on protocol P2: CooperUnion head file + the caserec 5,000-user
// parts, sequences in file order, last item = test, second-to-last = validation (held out inside
// fit()), full-ranking HR@10 / NDCG@10 against every item outside the user's history.
//
// Usage: bench_session [sasrec|gru] [name=value ...]   e.g. bench_session sasrec epochs=5
// Reference (PyTorch SASRec, BCE, 2 blocks, d=64, maxlen 50, 200 epochs, one core):
// HR@10 0.368, NDCG@10 0.212, 977 s. Popularity: NDCG@10 0.030.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/model_factory.h"
#include "models/recommender.h"

using namespace animerec;

namespace {

struct Row {
    std::int64_t user;
    std::int64_t anime;
};

// user_id,anime_id,rating rows in file order; users renumbered by `offset`, users <= dropUpTo
// skipped.
void readRatings(const std::string& path, std::int64_t offset, std::int64_t dropUpTo,
                 std::vector<Row>& rows) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    std::getline(in, line);  // header
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty()) continue;
        std::int64_t user = 0, anime = 0;
        if (std::sscanf(line.c_str(), "%ld,%ld", &user, &anime) != 2)
            throw std::runtime_error(path + ":" + std::to_string(lineNumber) + ": bad row '" +
                                     line + "'");
        if (user <= dropUpTo) continue;
        rows.push_back({user + offset, anime});
    }
}

struct Metrics {
    double hr = 0.0, ndcg = 0.0;
    int users = 0;
};

void addRank(Metrics& m, int rank) {
    if (rank < 10) {
        m.hr += 1.0;
        m.ndcg += 1.0 / std::log2(rank + 2.0);
    }
    ++m.users;
}

int rankOf(const std::vector<float>& scores, int target, const std::vector<char>& seen) {
    int rank = 0;
    const float t = scores[static_cast<std::size_t>(target)];
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (static_cast<int>(i) != target && !seen[i] && scores[i] > t) ++rank;
    return rank;
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string family = argc > 1 ? argv[1] : "sasrec";
    ModelParameters parameters;
    for (int a = 2; a < argc; ++a) {
        const std::string arg = argv[a];
        const auto eq = arg.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("expected name=value, got " + arg);
        parameters[arg.substr(0, eq)] = std::stod(arg.substr(eq + 1));
    }
    const std::string dir = std::string(ANIMEREC_REAL_DATA_DIR) + "/cooperunion/";
    std::vector<Row> rows;
    readRatings(dir + "rating_head_users1-1036.csv", 0, 0, rows);
    // caserec users 1-68 are original users already in the head file.
    readRatings(dir + "rating_random5000users_part1.csv", 100000, 68, rows);
    readRatings(dir + "rating_random5000users_part2.csv", 100000, 68, rows);

    // Catalogue = items seen in the data, in first-seen order; sequences in file order.
    std::unordered_map<std::int64_t, int> itemIndex;
    std::vector<std::int64_t> userOrder;
    std::unordered_map<std::int64_t, std::vector<int>> sequences;
    for (const auto& row : rows) {
        const auto [it, added] =
            itemIndex.try_emplace(row.anime, static_cast<int>(itemIndex.size()));
        auto& sequence = sequences[row.user];
        if (sequence.empty()) userOrder.push_back(row.user);
        sequence.push_back(it->second);
    }
    const int itemCount = static_cast<int>(itemIndex.size());
    Dataset train;
    std::vector<std::pair<std::int64_t, int>> anime(itemIndex.begin(), itemIndex.end());
    std::sort(anime.begin(), anime.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [id, index] : anime) {
        AnimeRecord record;
        record.animeId = id;
        train.catalog.add(record);
    }
    // Users with >= 3 items: last item = test, the rest go to fit(), which holds out the next one.
    Interactions::Builder builder(itemCount);
    std::vector<std::pair<std::int64_t, int>> tests;
    std::int64_t order = 0;
    for (const auto user : userOrder) {
        const auto& sequence = sequences[user];
        const bool tested = sequence.size() >= 3;
        const std::size_t trainLength = tested ? sequence.size() - 1 : sequence.size();
        for (std::size_t i = 0; i < trainLength; ++i) {
            Event event;
            event.item = sequence[i];
            event.order = order++;
            builder.add(user, event);
        }
        if (tested) tests.emplace_back(user, sequence.back());
    }
    train.interactions = std::move(builder).build();
    std::printf("P2 data: %zu rows, %d users, %d items, %zu test users\n", rows.size(),
                train.interactions.userCount(), itemCount, tests.size());

    auto model = createRecommender(family, parameters);
    const auto started = std::chrono::steady_clock::now();
    model->fit(train, [&started](const Progress& p) {
        if (!p.detail.empty())
            std::printf("  [%7.1f s] %s: %s\n", seconds(started), p.stage.c_str(),
                        p.detail.c_str());
        std::fflush(stdout);
        return true;
    });
    const double trainSeconds = seconds(started);

    const auto counts = train.interactions.itemCounts();
    std::vector<float> popularity(counts.begin(), counts.end());
    Metrics sessionMetrics, popularityMetrics;
    std::vector<float> scores(static_cast<std::size_t>(itemCount));
    std::vector<char> seen(static_cast<std::size_t>(itemCount), 0);
    const auto evalStarted = std::chrono::steady_clock::now();
    for (const auto& [userId, target] : tests) {
        const auto history = train.interactions.historyOf(train.interactions.userIndexOf(userId));
        for (const auto& e : history) seen[static_cast<std::size_t>(e.item)] = 1;
        seen[static_cast<std::size_t>(target)] = 0;
        model->score(UserQuery{-1, history}, scores);
        addRank(sessionMetrics, rankOf(scores, target, seen));
        addRank(popularityMetrics, rankOf(popularity, target, seen));
        for (const auto& e : history) seen[static_cast<std::size_t>(e.item)] = 0;
    }
    const double evalSeconds = seconds(evalStarted);
    std::printf("%s: HR@10 %.4f  NDCG@10 %.4f  (train %.1f s, eval %.1f s for %d users)\n",
                family.c_str(), sessionMetrics.hr / sessionMetrics.users,
                sessionMetrics.ndcg / sessionMetrics.users, trainSeconds, evalSeconds,
                sessionMetrics.users);
    std::printf("popularity: HR@10 %.4f  NDCG@10 %.4f\n",
                popularityMetrics.hr / popularityMetrics.users,
                popularityMetrics.ndcg / popularityMetrics.users);
    std::printf("vs reference SASRec (NDCG@10 0.212, 977 s): NDCG ratio %.2f, time ratio %.2f\n",
                sessionMetrics.ndcg / sessionMetrics.users / 0.212, trainSeconds / 977.0);

    // Inference latency: top-10 after a 50-item session on a 17,500-item catalogue (weights are
    // untrained; the cost does not depend on their values).
    {
        const int bigCatalogue = 17500;
        Dataset big;
        Interactions::Builder bigBuilder(bigCatalogue);
        for (int t = 0; t < 60; ++t) {
            Event e;
            e.item = (t * 97) % bigCatalogue;
            e.order = t;
            bigBuilder.add(1, e);
        }
        big.interactions = std::move(bigBuilder).build();
        ModelParameters latencyParameters = parameters;
        latencyParameters["epochs"] = 0;
        auto latencyModel = createRecommender(family, latencyParameters);
        latencyModel->fit(big);
        std::vector<Event> session;
        for (int t = 0; t < 50; ++t) {
            Event e;
            e.item = (t * 331 + 7) % bigCatalogue;
            e.order = t;
            session.push_back(e);
        }
        std::vector<float> bigScores(static_cast<std::size_t>(bigCatalogue));
        std::vector<int> exclude;
        for (const auto& e : session) exclude.push_back(e.item);
        const int calls = 300;
        const auto latencyStarted = std::chrono::steady_clock::now();
        std::size_t checksum = 0;
        for (int c = 0; c < calls; ++c) {
            latencyModel->score(UserQuery{-1, session}, bigScores);
            checksum += static_cast<std::size_t>(topK(bigScores, 10, exclude).front().item);
        }
        std::printf(
            "inference: top-10 for a 50-item session over %d items: %.3f ms per call (%zu)\n",
            bigCatalogue, seconds(latencyStarted) * 1000.0 / calls, checksum % 7);
    }
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "bench_session: %s\n", error.what());
    return 1;
}

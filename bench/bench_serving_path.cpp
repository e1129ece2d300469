// Serving miss path, stage by stage: what one uncached /recommend_collaborative or
// /recommend_session_based request costs inside the process, for EASE, ALS and SASRec on the
// real CooperUnion union (12,294 anime, 5,968 users). Models are fitted once and kept as model
// files under --models DIR (retrained when missing), then installed in a RecommendService the way
// `animerec serve` does (popularity + content + the personal model).
//
// Stages per distinct user (single thread, microseconds per request, mean, p50 and p99; the
// union's mean history is ~100 events, so p50 is close to a 100-item history):
//   history   user index lookup + snapshot history
//   score     Recommender::score over the catalogue
//   top-k     topK(10) excluding the history
//   recommend Recommender::recommend(10) excluding the history: score + top-k, or a family's
//             own search (ALS: items in decreasing norm order; the share of rows it multiplied
//             is printed too)
//   explain   Explainer::explainItems for the 10 items; for ALS also the per-item solve the
//             model used before (a copy of Y and one Cholesky per item) as the reference
//   fold-in   ALS only: Als::userFactorsFor, the factors of the history as if it had changed since
//             training (every /feedback does that), and the k x k Cholesky of the same normal
//             equations, as the model solved them before, as the reference
//   json      the answer's body, rendered by the server's own RecommendationJson
//   service   RecommendService::collaborative / sessionBased end to end (everything but JSON)
//
// Usage: bench_serving_path [ease|als|sasrec ...] [--users N] [--models DIR]
#include <Eigen/Cholesky>
#include <QByteArray>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "http/recommendation_json.h"
#include "models/als.h"
#include "models/als_solver.h"
#include "models/content_based.h"
#include "models/ease.h"
#include "models/explanations.h"
#include "models/model_io.h"
#include "models/norm_ordered_items.h"
#include "models/popularity.h"
#include "models/sasrec.h"
#include "real_protocols.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"

using namespace animerec;
using Clock = std::chrono::steady_clock;

namespace {

struct Samples {
    std::vector<double> micros;
    void add(Clock::time_point start) {
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    double mean() const {
        double sum = 0;
        for (double v : micros) sum += v;
        return micros.empty() ? 0.0 : sum / double(micros.size());
    }
    double quantile(double q) const {
        if (micros.empty()) return 0.0;
        auto sorted = micros;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1,
                               static_cast<std::size_t>(q * double(sorted.size())))];
    }
};

void print(const char* stage, const Samples& samples) {
    std::printf("  %-24s mean %8.1f us   p50 %8.1f us   p99 %8.1f us\n", stage, samples.mean(),
                samples.quantile(0.5), samples.quantile(0.99));
}

// The explanation of one item as Als::explain computed it before explainItems: a copy of the
// item factors and a fresh factorisation of the user's system for every item.
// `gram` is YtY, which the model keeps precomputed.
std::vector<Contribution> perItemAlsExplain(const Als& model, const Eigen::MatrixXf& gram,
                                            std::span<const WeightedItem> row, int item) {
    const int k = model.factors();
    const als::RowMatrixXf y =
        Eigen::Map<const als::RowMatrixXf>(model.itemFactors().data(), model.itemCount(), k);
    Eigen::MatrixXf a;
    Eigen::VectorXf b;
    als::normalEquations({y, gram, model.config().regularization, model.config().alpha}, row, a, b);
    const Eigen::VectorXf weightedTarget = a.llt().solve(y.row(item).transpose());
    std::vector<Contribution> all;
    for (const auto& entry : row)
        all.push_back({entry.item, y.row(entry.item).dot(weightedTarget) *
                                       (1.0f + model.config().alpha * entry.strength)});
    return strongestContributions(std::move(all), 3);
}

// A fold-in as Als::userFactorsFor solved every history before its Woodbury form: the user's
// k x k normal equations, factored.
Eigen::VectorXf choleskyAlsFoldIn(const Als& model, const als::RowMatrixXf& y,
                                  const Eigen::MatrixXf& gram, std::span<const WeightedItem> row) {
    Eigen::MatrixXf a;
    Eigen::VectorXf b;
    als::normalEquations({y, gram, model.config().regularization, model.config().alpha}, row, a, b);
    return a.llt().solve(b);
}

// The same fold-in solved in double precision, as the yardstick of both float solves.
Eigen::VectorXd doubleAlsFoldIn(const Als& model, const Eigen::MatrixXd& itemGram,
                                std::span<const WeightedItem> row) {
    const int k = model.factors();
    const Eigen::Map<const als::RowMatrixXf> y(model.itemFactors().data(), model.itemCount(), k);
    Eigen::MatrixXd a = itemGram;
    a.diagonal().array() += model.config().regularization;
    Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
    for (const WeightedItem& entry : row) {
        const Eigen::VectorXd factor = y.row(entry.item).transpose().cast<double>();
        const double extra = double(model.config().alpha) * entry.strength;
        a.noalias() += extra * factor * factor.transpose();
        b += (1.0 + extra) * factor;
    }
    return a.llt().solve(b);
}

std::shared_ptr<const Recommender> fitOrLoad(const std::string& name, const Dataset& data,
                                             const std::filesystem::path& directory) {
    const auto path = directory / (name + ".model");
    if (std::filesystem::exists(path)) return loadModelFile(path.string());
    std::unique_ptr<Recommender> model;
    if (name == "ease") model = std::make_unique<Ease>();
    if (name == "als") model = std::make_unique<Als>();
    if (name == "popularity") model = std::make_unique<PopularityModel>();
    if (name == "content") model = std::make_unique<ContentBasedModel>();
    if (name == "sasrec") {
        SasrecConfig config;
        config.training.epochs = 1;  // latency does not depend on how well it is trained
        model = std::make_unique<SasrecModel>(config);
    }
    std::printf("fitting %s ...\n", name.c_str());
    std::fflush(stdout);
    const auto start = Clock::now();
    model->fit(data);
    std::printf("  %.1f s\n", std::chrono::duration<double>(Clock::now() - start).count());
    std::filesystem::create_directories(directory);
    saveModelFile(path.string(), *model);
    return model;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> families;
    int userCount = 1000;
    std::filesystem::path directory =
        std::filesystem::temp_directory_path() / "animerec-serving-bench";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--users" && i + 1 < argc)
            userCount = std::stoi(argv[++i]);
        else if (arg == "--models" && i + 1 < argc)
            directory = argv[++i];
        else
            families.push_back(arg);
    }
    if (families.empty()) families = {"ease", "als", "sasrec"};

    const auto data = std::make_shared<const Dataset>(real::cooperUnionUnion());
    std::printf("catalogue %d anime, %d users; models in %s\n", data->catalog.size(),
                data->interactions.userCount(), directory.c_str());
    service::ModelRegistry registry;
    registry.install(service::ModelRole::Popularity, fitOrLoad("popularity", *data, directory),
                     "bench");
    registry.install(service::ModelRole::Content, fitOrLoad("content", *data, directory), "bench");

    const http::RecommendationJson renderer(data->catalog);  // the body every route sends

    // Distinct users in a fixed random order.
    std::vector<std::int64_t> users;
    for (int u = 0; u < data->interactions.userCount(); ++u)
        users.push_back(data->interactions.userIdAt(u));
    std::shuffle(users.begin(), users.end(), std::mt19937_64(7));
    users.resize(std::min<std::size_t>(users.size(), static_cast<std::size_t>(userCount)));

    for (const std::string& family : families) {
        const auto model = fitOrLoad(family, *data, directory);
        const bool session = family == "sasrec";
        const auto role = session ? service::ModelRole::Session : service::ModelRole::Collaborative;
        registry.install(role, model, "bench");
        const service::RecommendService recommendations(data, registry);
        const auto* explainer = dynamic_cast<const Explainer*>(model.get());
        const auto* als = dynamic_cast<const Als*>(model.get());

        Samples history, scoring, topk, recommend, explain, perItem, foldIn, choleskyFoldIn, json,
            total;
        // ALS: the item table in norm order as Als::recommend searches it, to count rows read.
        const NormOrderedItems byNorm =
            als ? NormOrderedItems(als->itemFactors(), als->itemCount(), als->factors())
                : NormOrderedItems();
        double rowsShare = 0;
        const std::vector<int> episodes = episodesByItem(data->catalog);
        // Fold-in accuracy: each float solve's largest error against the double-precision solve
        // (relative to the largest factor), and the answers the two float solves give.
        double woodburyError = 0, choleskyError = 0, maxScoreGap = 0;
        int differentTops = 0;
        double historyLength = 0;
        std::vector<float> scores(static_cast<std::size_t>(data->catalog.size()));
        Eigen::MatrixXf gram;
        als::RowMatrixXf itemFactors;
        Eigen::MatrixXd itemGramDouble;
        if (als) {
            itemFactors = Eigen::Map<const als::RowMatrixXf>(als->itemFactors().data(),
                                                             als->itemCount(), als->factors());
            gram = itemFactors.transpose() * itemFactors;
            const Eigen::MatrixXd y = itemFactors.cast<double>();
            itemGramDouble = y.transpose() * y;
        }
        for (const std::int64_t userId : users) {
            auto start = Clock::now();
            const int user = data->interactions.userIndexOf(userId);
            const std::span<const Event> events = data->interactions.historyOf(user);
            history.add(start);
            historyLength += double(events.size());
            const UserQuery query{user, events};

            start = Clock::now();
            model->score(query, scores);
            scoring.add(start);

            start = Clock::now();
            std::vector<int> exclude;
            for (const Event& event : events) exclude.push_back(event.item);
            const auto top = topK(scores, 10, exclude);
            topk.add(start);

            start = Clock::now();
            const auto searched = model->recommend(query, data->catalog.size(), 10, exclude);
            recommend.add(start);
            for (std::size_t r = 0; r < top.size(); ++r)
                if (searched.size() != top.size() || searched[r].item != top[r].item ||
                    searched[r].score != top[r].score) {
                    std::fprintf(stderr, "user %lld: recommend() differs from top-k over score()\n",
                                 static_cast<long long>(userId));
                    return 1;
                }
            if (als) {
                int rows = 0;
                const auto k = static_cast<std::size_t>(als->factors());
                byNorm.topK(
                    std::span(als->userFactors()).subspan(static_cast<std::size_t>(user) * k, k),
                    10, exclude, &rows);
                rowsShare += double(rows) / double(als->itemCount());

                start = Clock::now();
                const auto folded = als->userFactorsFor(events);
                foldIn.add(start);
                start = Clock::now();
                const auto row =
                    weightedHistory(events, als->itemCount(), episodes, als->config().confidence);
                const Eigen::VectorXf reference = choleskyAlsFoldIn(*als, itemFactors, gram, row);
                choleskyFoldIn.add(start);
                const Eigen::Map<const Eigen::VectorXf> x(folded.data(), als->factors());
                const Eigen::VectorXd exact = doubleAlsFoldIn(*als, itemGramDouble, row);
                const double scale = exact.cwiseAbs().maxCoeff();
                woodburyError = std::max(woodburyError,
                                         (x.cast<double>() - exact).cwiseAbs().maxCoeff() / scale);
                choleskyError =
                    std::max(choleskyError,
                             (reference.cast<double>() - exact).cwiseAbs().maxCoeff() / scale);
                // What a folded-in user is answered: the same ten titles either way?
                const auto top = byNorm.topK(folded, 10, exclude);
                const std::vector<float> referenceFactors(reference.data(),
                                                          reference.data() + reference.size());
                const auto referenceTop = byNorm.topK(referenceFactors, 10, exclude);
                bool same = top.size() == referenceTop.size();
                for (std::size_t r = 0; same && r < top.size(); ++r) {
                    same = top[r].item == referenceTop[r].item;
                    maxScoreGap = std::max(
                        maxScoreGap, double(std::abs(top[r].score - referenceTop[r].score) /
                                            std::max(1e-12f, std::abs(referenceTop[r].score))));
                }
                differentTops += same ? 0 : 1;
            }

            std::vector<int> items;
            for (const auto& scored : top) items.push_back(scored.item);
            if (explainer) {
                start = Clock::now();
                const auto reasons = explainer->explainItems(query, items, 3);
                explain.add(start);
                if (als && perItem.micros.size() < 100) {  // ~40 ms each: a sample is enough
                    start = Clock::now();
                    const auto row =
                        weightedHistory(events, als->itemCount(), episodesByItem(data->catalog),
                                        als->config().confidence);
                    for (const int item : items) perItemAlsExplain(*als, gram, row, item);
                    perItem.add(start);
                }
            }

            start = Clock::now();
            const auto outcome = session ? recommendations.sessionBased(userId, 10)
                                         : recommendations.collaborative(userId, 10);
            total.add(start);
            const auto* answer = std::get_if<service::Recommendation>(&outcome);
            if (!answer) {
                std::fprintf(stderr, "user %lld: service error\n", static_cast<long long>(userId));
                return 1;
            }
            start = Clock::now();
            const QByteArray body = renderer.render(*answer);
            json.add(start);
            if (body.isEmpty()) return 1;
        }
        std::printf("%s: %zu distinct users, mean history %.1f events\n", family.c_str(),
                    users.size(), historyLength / double(users.size()));
        print("history", history);
        print("score", scoring);
        print("top-k", topk);
        print("recommend", recommend);
        if (als)
            std::printf("  recommend read %.1f%% of the item rows (mean; trained users)\n",
                        100.0 * rowsShare / double(users.size()));
        if (als) {
            print("fold-in", foldIn);
            print("fold-in, k x k Cholesky", choleskyFoldIn);
            std::printf(
                "  fold-in error against a double-precision solve (largest, relative): Woodbury "
                "%.2e, k x k Cholesky %.2e\n",
                woodburyError, choleskyError);
            std::printf(
                "  fold-in top-10, Woodbury against k x k Cholesky: %d of %zu users differ; "
                "largest relative score gap %.2e\n",
                differentTops, users.size(), maxScoreGap);
        }
        if (explainer) print("explain (10 items)", explain);
        if (!perItem.micros.empty()) print("explain, per-item solve", perItem);
        print("json", json);
        print("service (all but json)", total);
        std::fflush(stdout);
    }
    return 0;
}

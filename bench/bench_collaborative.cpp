// Quality of the model families on protocol P1 (CooperUnion head file + the caserec
// 5,000-user parts, every row a positive, users with >= 5 interactions, 20% per-user random
// holdout with seed 42, full ranking over the items occurring in the data, K = 10).
//
// Usage: bench_collaborative [DATA_DIR] [model ...] [name=value ...]
//   models: popularity content als ease mf (default), or sasrec / gru; name=value overrides, prefixed by the model
//   ("als.factors=64", "ease.lambda=300"). Prints NDCG@10, Recall@10 and training seconds next
//   to the reference values for the same protocol.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "real_protocols.h"
#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/split.h"
#include "models/als.h"
#include "models/ease.h"
#include "models/explicit_mf.h"
#include "models/model_factory.h"

using namespace animerec;

namespace {


// Interaction-count ranking: the floor every collaborative model must clear.
class CountPopularity : public Recommender {
public:
    std::string name() const override { return "popularity"; }
    void fit(const Dataset& data, const ProgressCallback&) override {
        counts_.assign(static_cast<std::size_t>(data.catalog.size()), 0.0f);
        const auto counts = data.interactions.itemCounts();
        for (std::size_t i = 0; i < counts.size(); ++i) counts_[i] = static_cast<float>(counts[i]);
    }
    void score(const UserQuery&, std::span<float> scores) const override {
        std::copy(counts_.begin(), counts_.end(), scores.begin());
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}

private:
    std::vector<float> counts_;
};

double parameter(const std::map<std::string, double>& overrides, const std::string& key,
                 double fallback) {
    const auto it = overrides.find(key);
    return it == overrides.end() ? fallback : it->second;
}

std::unique_ptr<Recommender> makeModel(const std::string& name,
                                       const std::map<std::string, double>& o) {
    if (name == "popularity") return std::make_unique<CountPopularity>();
    if (name == "als") {
        AlsConfig c;
        c.factors = static_cast<int>(parameter(o, "als.factors", c.factors));
        c.regularization = static_cast<float>(parameter(o, "als.regularization", c.regularization));
        c.alpha = static_cast<float>(parameter(o, "als.alpha", c.alpha));
        c.iterations = static_cast<int>(parameter(o, "als.iterations", c.iterations));
        c.cgSteps = static_cast<int>(parameter(o, "als.cg_steps", c.cgSteps));
        c.confidence.ratingInfluence =
            static_cast<float>(parameter(o, "als.rating_influence", c.confidence.ratingInfluence));
        if (parameter(o, "als.cholesky", 0) != 0) c.solver = AlsConfig::Solver::Cholesky;
        return std::make_unique<Als>(c);
    }
    if (name == "ease") {
        EaseConfig c;
        c.lambda = static_cast<float>(parameter(o, "ease.lambda", c.lambda));
        c.maxItems = static_cast<int>(parameter(o, "ease.max_items", c.maxItems));
        return std::make_unique<Ease>(c);
    }
    if (name == "mf") {
        ExplicitMfConfig c;
        c.factors = static_cast<int>(parameter(o, "mf.factors", c.factors));
        c.epochs = static_cast<int>(parameter(o, "mf.epochs", c.epochs));
        c.learningRate = static_cast<float>(parameter(o, "mf.lr", c.learningRate));
        c.regularization = static_cast<float>(parameter(o, "mf.regularization", c.regularization));
        return std::make_unique<ExplicitMf>(c);
    }
    // Every other family (content, sasrec, gru) with its defaults, through the factory.
    return createRecommender(name);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = ANIMEREC_REAL_DATA_DIR;
    std::vector<std::string> models;
    std::map<std::string, double> overrides;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (const auto eq = arg.find('='); eq != std::string::npos)
            overrides[arg.substr(0, eq)] = std::stod(arg.substr(eq + 1));
        else if (arg.find('/') != std::string::npos)
            dir = arg;
        else
            models.push_back(arg);
    }
    if (models.empty()) models = {"popularity", "content", "als", "ease", "mf"};
    // Reference NDCG@10 / Recall@10 measured on P1 by independent implementations (0 = none).
    const std::map<std::string, std::pair<double, double>> reference{
        {"popularity", {0.177, 0.171}}, {"content", {0.048, 0.0}}, {"als", {0.432, 0.418}},
        {"ease", {0.510, 0.489}}};

    try {
        const auto start = std::chrono::steady_clock::now();
        const Dataset all = real::cooperUnionUnion();
        const Split split = real::p1Split(all);
        const Dataset train{all.catalog, split.train};
        EvaluatorOptions evaluation = real::protocolOptions();
        evaluation.curveMaxK = 0;
        const Evaluator evaluator(split, all.catalog, evaluation);
        const double loadSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("P1: %d users (%d evaluated), %d items, %lld train events (%.1f s to build)\n",
                    split.train.userCount(), evaluator.evaluatedUserCount(), all.catalog.size(),
                    static_cast<long long>(split.train.size()), loadSeconds);
        std::printf("%-12s %9s %9s %9s %9s %9s\n", "model", "NDCG@10", "ref", "Recall@10", "ref",
                    "train s");
        for (const auto& name : models) {
            auto model = makeModel(name, overrides);
            const auto fitStart = std::chrono::steady_clock::now();
            model->fit(train);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - fitStart).count();
            const ModelReport report = evaluator.evaluate(*model);
            const double ndcg = report.metrics.at("ndcg@10"),
                         recall = report.metrics.at("recall@10");
            const auto ref = reference.find(name);
            if (ref != reference.end())
                std::printf("%-12s %9.4f %9.3f %9.4f %9.3f %9.1f\n", name.c_str(), ndcg,
                            ref->second.first, recall, ref->second.second, seconds);
            else
                std::printf("%-12s %9.4f %9s %9.4f %9s %9.1f\n", name.c_str(), ndcg, "-", recall,
                            "-", seconds);
            if (const auto rmse = report.metrics.find("rmse"); rmse != report.metrics.end())
                std::printf("%-12s held-out rating RMSE %.4f\n", "", rmse->second);
            std::fflush(stdout);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_collaborative: %s\n", error.what());
        return 1;
    }
    return 0;
}

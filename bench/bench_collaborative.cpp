// Quality of the model families on protocol P1 (CooperUnion head file + the caserec
// 5,000-user parts, every row a positive, users with >= 5 interactions, 20% per-user random
// holdout with seed 42, full ranking over the items occurring in train, K = 10).
//
// Usage: bench_collaborative [--no-reference] [model ...] [name=value ...]
//   models: popularity content content_pop als ease ease_reference mf (default); ease_reference
//   (lambda 200, no dropout: the numpy reference configuration), any other factory family (rp3beta,
//   ease_rp3, sasrec, gru), or "tuned"; name=value overrides, prefixed by the model
//   ("als.factors=64", "ease.lambda=300", "rp3beta.beta=0.4"). Prints NDCG@10, Recall@10 and
//   training seconds next to a reference: the numpy twin (bench/reference/reference_models.py:
//   popularity by counts, EASE at lambda 200; item-kNN printed alone) run on the exported P1
//   split files in the same run, or, for families whose reference library is not in Debian
//   (implicit ALS), the published figure, labelled as not re-run.
//   "tuned:<family>" chooses <family>'s parameters over its default search space on the same
//   validation split, refits on all of train and reports test; "blend:a+b" chooses the weight of
//   a standardised score blend of two families' defaults there.
//   "validate:<family>" fits <family> (defaults plus the "<family>." overrides) on that
//   validation split and prints its validation figures only: for exploring a family's parameters
//   without the test split. "--no-reference" skips the numpy references (numpy EASE alone takes
//   many minutes on two loaded cores).
//   "tuned" chooses every parameter of the EASE + RP3beta blend on a validation split carved
//   from P1's train part only (tuneBlendOnValidation below), refits on all of train and reports
//   test; the test split plays no part in the choice.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/hyperparameter_search.h"
#include "eval/search_spaces.h"
#include "eval/split.h"
#include "eval/split_files.h"
#include "models/als.h"
#include "models/ease.h"
#include "models/ease_rp3_blend.h"
#include "models/explicit_mf.h"
#include "models/model_factory.h"
#include "real_protocols.h"
#include "reference_runner.h"

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
    if (name == "ease_reference") {
        // The configuration of the numpy reference (lambda 200, no dropout), for comparison
        // with the validation-chosen defaults of "ease".
        EaseConfig c;
        c.lambda = 200.0f;
        c.dropout = 0.0f;
        return std::make_unique<Ease>(c);
    }
    if (name == "ease") {
        EaseConfig c;
        c.lambda = static_cast<float>(parameter(o, "ease.lambda", c.lambda));
        c.dropout = static_cast<float>(parameter(o, "ease.dropout", c.dropout));
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
    // Every other family through the factory, with the "<name>." overrides.
    ModelParameters parameters;
    for (const auto& [key, value] : o)
        if (key.rfind(name + ".", 0) == 0) parameters[key.substr(name.size() + 1)] = value;
    return createRecommender(name, parameters);
}

// Best trial of a grid over `ranges` for `family` on the validation split; prints every trial.
ModelParameters bestOnValidation(const Split& validation, const Catalog& catalog,
                                 const std::string& family, ModelParameters fixed,
                                 std::vector<ParameterRange> ranges) {
    HyperparameterSearchOptions options;
    options.model = family;
    options.fixed = std::move(fixed);
    options.ranges = std::move(ranges);
    options.evaluator = real::protocolOptions();
    options.evaluator.curveMaxK = 0;
    const SearchResult result = searchHyperparameters(validation, catalog, options);
    for (const Trial& trial : result.trials)
        std::printf("  validation %-8s %-48s ndcg@10 %.4f recall@10 %.4f (%.1f s)\n",
                    family.c_str(), describeParameters(trial.parameters).c_str(), trial.score,
                    trial.report.metrics.at("recall@10"), trial.trainSeconds);
    std::printf("  best %s: %s\n", family.c_str(),
                describeParameters(result.bestTrial().parameters).c_str());
    std::fflush(stdout);
    return result.bestTrial().parameters;
}

// Every parameter of the EASE + RP3beta blend, chosen on a validation split carved from `train`
// alone with P1's holdout scheme (20% per user, users with >= 5 events): EASE's lambda and
// dropout, then RP3beta's alpha, beta and neighbours, then the blend weight over one fit of both
// parts (w = 1 is tuned EASE alone, w = 0 tuned RP3beta alone).
// The validation seed differs from P1's 42 so that the two per-user draws (seeded by seed and
// user id) are independent streams. Validation figures run lower than test ones (~0.30 against
// ~0.51 NDCG@10, not explained yet: the same gap shows with seed 42); only their order matters.
constexpr std::uint64_t kValidationSeed = 4242;

ModelParameters tuneBlendOnValidation(const Dataset& train) {
    const Split validation = validationSplit(train.interactions, kValidationSeed);
    std::printf("  validation split: %d evaluated users, %lld held-out items\n",
                validation.testUserCount(), static_cast<long long>(validation.testItemCount()));
    const ModelParameters ease =
        bestOnValidation(validation, train.catalog, "ease", {},
                         {{"lambda", {50, 100, 200, 400}}, {"dropout", {0, 0.1, 0.25, 0.4, 0.55}}});
    const ModelParameters rp3 = bestOnValidation(
        validation, train.catalog, "rp3beta", {},
        {{"alpha", {0.5, 0.8, 1.0, 1.2}}, {"beta", {0.3, 0.5, 0.7}}, {"neighbours", {200, 1000}}});

    ModelParameters chosen = ease;
    chosen.insert(rp3.begin(), rp3.end());
    const auto made = createRecommender("ease_rp3", chosen);
    auto* blend = dynamic_cast<EaseRp3Blend*>(made.get());
    if (!blend) throw std::logic_error("the factory's ease_rp3 is not an EaseRp3Blend");
    blend->fit(Dataset{train.catalog, validation.train});
    EvaluatorOptions options = real::protocolOptions();
    options.curveMaxK = 0;
    const Evaluator evaluator(validation, train.catalog, options);
    double bestScore = -1.0, bestWeight = 1.0;
    for (int step = 0; step <= 10; ++step) {
        const double weight = step / 10.0;
        blend->setEaseWeight(static_cast<float>(weight));
        const ModelReport report = evaluator.evaluate(*blend);
        const double ndcg = report.metrics.at("ndcg@10");
        std::printf("  validation ease_rp3 ease_weight=%.1f ndcg@10 %.4f recall@10 %.4f\n", weight,
                    ndcg, report.metrics.at("recall@10"));
        if (ndcg > bestScore) {
            bestScore = ndcg;
            bestWeight = weight;
        }
    }
    chosen["ease_weight"] = bestWeight;
    return chosen;
}

// Standardised score blend w * z_a + (1 - w) * z_b of two fitted models (z over the catalogue
// per query), the scheme of EaseRp3Blend for any two families.
class ScoreBlend : public Recommender {
public:
    ScoreBlend(std::unique_ptr<Recommender> a, std::unique_ptr<Recommender> b)
        : a_(std::move(a)), b_(std::move(b)) {}
    std::string name() const override { return a_->name() + "+" + b_->name(); }
    void fit(const Dataset& data, const ProgressCallback& progress) override {
        a_->fit(data, progress);
        b_->fit(data, progress);
    }
    void setWeight(double weight) { weight_ = weight; }
    void score(const UserQuery& query, std::span<float> scores) const override {
        std::vector<float> other(scores.size());
        a_->score(query, scores);
        b_->score(query, other);
        const auto [meanA, sdA] = moments(scores);
        const auto [meanB, sdB] = moments(other);
        for (std::size_t i = 0; i < scores.size(); ++i)
            scores[i] =
                static_cast<float>(weight_ * (sdA > 0 ? (scores[i] - meanA) / sdA : 0.0) +
                                   (1.0 - weight_) * (sdB > 0 ? (other[i] - meanB) / sdB : 0.0));
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}

private:
    static std::pair<double, double> moments(std::span<const float> values) {
        double sum = 0.0, squares = 0.0;
        for (float v : values) {
            sum += v;
            squares += static_cast<double>(v) * v;
        }
        const double n = static_cast<double>(values.size()), mean = sum / n;
        return {mean, std::sqrt(std::max(0.0, squares / n - mean * mean))};
    }
    std::unique_ptr<Recommender> a_, b_;
    double weight_ = 0.5;
};

// "blend:a+b": the weight of a chosen on the validation split over one fit of both parts (their
// own defaults), then both refitted on all of train with that weight.
std::unique_ptr<Recommender> blendTunedOnValidation(const std::string& spec, const Dataset& train) {
    const auto plus = spec.find('+');
    if (plus == std::string::npos) throw std::invalid_argument("blend:a+b expected, got " + spec);
    const std::string a = spec.substr(0, plus), b = spec.substr(plus + 1);
    const Split validation = validationSplit(train.interactions, kValidationSeed);
    ScoreBlend blend(createRecommender(a), createRecommender(b));
    blend.fit(Dataset{train.catalog, validation.train}, {});
    EvaluatorOptions options = real::protocolOptions();
    options.curveMaxK = 0;
    const Evaluator evaluator(validation, train.catalog, options);
    double bestScore = -1.0, bestWeight = 1.0;
    for (int step = 0; step <= 10; ++step) {
        const double weight = step / 10.0;
        blend.setWeight(weight);
        const double ndcg = evaluator.evaluate(blend).metrics.at("ndcg@10");
        std::printf("  validation %s weight of %s %.1f ndcg@10 %.4f\n", spec.c_str(), a.c_str(),
                    weight, ndcg);
        if (ndcg > bestScore) bestScore = ndcg, bestWeight = weight;
    }
    auto chosen = std::make_unique<ScoreBlend>(createRecommender(a), createRecommender(b));
    chosen->setWeight(bestWeight);
    return chosen;
}

// `family` with its default search space (core/eval/search_spaces.cpp) chosen on the validation
// split carved from P1's train part, unfitted.
std::unique_ptr<Recommender> tunedOnValidation(const std::string& family, const Dataset& train) {
    const auto space = defaultSearchSpace(family, kValidationSeed);
    if (!space) throw std::invalid_argument("no default search space for " + family);
    const Split validation = validationSplit(train.interactions, kValidationSeed);
    const ModelParameters chosen =
        bestOnValidation(validation, train.catalog, family, space->fixed, space->ranges);
    return createRecommender(family, chosen);
}

// "validate:<family>": validation figures of one configuration, no test figures.
void validateOnly(const std::string& family, const std::map<std::string, double>& overrides,
                  const Dataset& train) {
    const Split validation = validationSplit(train.interactions, kValidationSeed);
    ModelParameters parameters;
    for (const auto& [key, value] : overrides)
        if (key.rfind(family + ".", 0) == 0) parameters[key.substr(family.size() + 1)] = value;
    const auto model = createRecommender(family, parameters);
    const auto start = std::chrono::steady_clock::now();
    // Each stage's closing report that says something (an epoch's loss or validation figure),
    // so a family's own early stopping can be followed.
    model->fit(Dataset{train.catalog, validation.train}, [](const Progress& p) {
        if (p.done == p.total && !p.detail.empty())
            std::printf("    %s: %s\n", p.stage.c_str(), p.detail.c_str());
        return true;
    });
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EvaluatorOptions options = real::protocolOptions();
    options.curveMaxK = 0;
    const ModelReport report = Evaluator(validation, train.catalog, options).evaluate(*model);
    std::printf("  validation %-10s %-48s ndcg@10 %.4f recall@10 %.4f (%.1f s)\n", family.c_str(),
                describeParameters(parameters).c_str(), report.metrics.at("ndcg@10"),
                report.metrics.at("recall@10"), seconds);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> models;
    std::map<std::string, double> overrides;
    bool references = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--no-reference")
            references = false;
        else if (const auto eq = arg.find('='); eq != std::string::npos)
            overrides[arg.substr(0, eq)] = std::stod(arg.substr(eq + 1));
        else
            models.push_back(arg);
    }
    if (models.empty())
        models = {"popularity", "content", "content_pop", "als", "ease", "ease_reference", "mf"};
    // Published figures, not re-run here (the libraries are not in Debian's archive), with their
    // source: NDCG@10 / Recall@10 on P1 as measured when the families' issues were opened.
    const std::map<std::string, std::pair<std::pair<double, double>, const char*>> published{
        {"als", {{0.432, 0.418}, "`implicit` ALS, tuned (the ALS issue)"}},
        {"content", {{0.048, 0.0}, "TF-IDF genre/type/episodes, mean profile (the content issue)"}},
    };
    // Families of ours with a numpy twin in bench/reference/reference_models.py, run on the
    // exported P1 files in this run: popularity by counts, EASE at lambda 200 without dropout.
    const std::map<std::string, std::string> numpyTwin{
        {"popularity", "popularity"}, {"ease_reference", "ease"}, {"ease", "ease"}};

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
        // The numpy references on the exported split, in the same run.
        const auto exportDir =
            std::filesystem::temp_directory_path() / "animerec-bench-collaborative";
        std::filesystem::create_directories(exportDir);
        const std::string trainFile = (exportDir / "p1-train.csv").string();
        const std::string testFile = (exportDir / "p1-test.csv").string();
        const std::string animeFile = real::sampleDirectory() + "/anime.csv";
        writeSplitFiles(split, all.catalog, SplitFileLayout::Ratings, trainFile, testFile);
        std::printf("P1 split files: --anime %s --train %s --test %s\n", animeFile.c_str(),
                    trainFile.c_str(), testFile.c_str());
        bench::ReferenceRun numpy;
        if (references)
            numpy = bench::runReferenceModels(animeFile, trainFile, testFile, "holdout",
                                              "popularity,ease,itemknn", "--ease-lambda 200");
        else
            std::printf("numpy references skipped (--no-reference)\n");
        for (const auto& [name, figure] : numpy.figures)
            std::printf("numpy %-10s NDCG@10 %.4f Recall@10 %.4f (%d users, %.1f s)\n",
                        name.c_str(), figure.ndcg, figure.recall, figure.users, figure.seconds);
        if (!numpy.failure.empty())
            std::printf("numpy references failed (%s): %s\n", numpy.command.c_str(),
                        numpy.failure.c_str());
        std::printf("%-14s %9s %9s %9s %9s %9s  %s\n", "model", "NDCG@10", "ref", "Recall@10",
                    "ref", "train s", "reference");
        for (const auto& name : models) {
            std::unique_ptr<Recommender> model;
            if (name.rfind("validate:", 0) == 0) {
                validateOnly(name.substr(9), overrides, train);
                continue;
            }
            if (name == "tuned") {
                const auto start = std::chrono::steady_clock::now();
                const ModelParameters chosen = tuneBlendOnValidation(train);
                std::printf(
                    "%-12s chosen on validation in %.0f s: %s\n", name.c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                    describeParameters(chosen).c_str());
                // The blend's end point w = 1 is EASE alone: then train just EASE.
                if (chosen.at("ease_weight") == 1.0) {
                    model = createRecommender("ease", {{"lambda", chosen.at("lambda")},
                                                       {"dropout", chosen.at("dropout")}});
                    std::printf("%-12s = ease with the chosen lambda and dropout\n", name.c_str());
                } else {
                    model = createRecommender("ease_rp3", chosen);
                }
            } else if (name.rfind("blend:", 0) == 0) {
                model = blendTunedOnValidation(name.substr(6), train);
            } else if (name.rfind("tuned:", 0) == 0) {
                model = tunedOnValidation(name.substr(6), train);
            } else {
                model = makeModel(name, overrides);
            }
            const auto fitStart = std::chrono::steady_clock::now();
            model->fit(train);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - fitStart).count();
            const ModelReport report = evaluator.evaluate(*model);
            const double ndcg = report.metrics.at("ndcg@10"),
                         recall = report.metrics.at("recall@10");
            const auto twin = numpyTwin.find(name);
            const auto figure =
                twin == numpyTwin.end() ? numpy.figures.end() : numpy.figures.find(twin->second);
            const auto paper = published.find(name);
            if (figure != numpy.figures.end())
                std::printf("%-14s %9.4f %9.4f %9.4f %9.4f %9.1f  numpy %s, same run\n",
                            name.c_str(), ndcg, figure->second.ndcg, recall, figure->second.recall,
                            seconds,
                            twin->second == "ease" ? "ease (lambda 200)" : twin->second.c_str());
            else if (paper != published.end())
                std::printf(
                    "%-14s %9.4f %9.3f %9.4f %9.3f %9.1f  published figure, not re-run: %s\n",
                    name.c_str(), ndcg, paper->second.first.first, recall,
                    paper->second.first.second, seconds, paper->second.second);
            else
                std::printf("%-14s %9.4f %9s %9.4f %9s %9.1f\n", name.c_str(), ndcg, "-", recall,
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

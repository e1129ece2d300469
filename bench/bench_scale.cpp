// One model family at the scale of the Kaggle 2020 dump: a generated dataset of 325,000 users,
// 17,500 anime and about 109M list rows (files under --work DIR, generated once and reused).
// Loads it, splits it, trains the family, evaluates NDCG@10 on a seeded sample of test users and
// prints wall and CPU seconds of training and evaluation and the peak resident memory. One family
// per process, so the peak is that family's own (the data included).
//
// Split: a per-user random 20% holdout (seed 42) for the non-session families; each user's last
// list entry (leave-one-out in list order, which is watch order in the generated files) for
// sasrec and gru. Every user keeps a test part, so the training data is the same for every
// sample size; only --eval-users test users (seeded shuffle) are scored.
//
// sasrec/gru default to the sampled softmax with 256 popularity-drawn negatives, logQ-corrected
// (loss=1 negatives=256 negative_popularity=1), no validation holdout, no refit and no parameter
// averaging (main() says why): the loss chosen by `--validation` on 20,000 generated users
// (bench/README.md, *2020 scale*), where one epoch of gBCE with negatives shared by a batch slice
// learned nothing (NDCG@10 0.0001 against popularity's 0.042); drawn per position, gBCE is level
// with it at 1.5 times the time. `every_transition=1` makes an epoch take every event as a target,
// not each user's last 50. A session family's epoch over the full training data is timed for
// --step-seconds of training and then stopped: the epoch time is extrapolated from the batches
// done. When the epoch ends within that time, its model is evaluated; otherwise the model that is
// evaluated is trained for `epochs` (default 1) on the sequences of --sequence-users users (seeded
// sample; 0 = skip). Popularity is scored on the same split and users beside it.
//
// --export DIR writes the split (after the test-user sample) as DIR/train.csv, in the generated
// files' animelist layout (watch statuses kept), and DIR/test.csv, and prints the `animerec
// evaluate` command that scores the same split with the same parameters.
//
// --validation carves a validation split out of the training part the same way (its random 20%
// per user, or each user's last training entry) and scores that: the test part is dropped
// unread, so settings compared with it are never chosen on the test entries.
//
// Usage: bench_scale FAMILY [name=value ...] [--work DIR] [--users N] [--eval-users N]
//                    [--step-seconds S] [--sequence-users N] [--validation] [--export DIR]
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "data/csv_dataset.h"
#include "data/generator.h"
#include "eval/evaluator.h"
#include "eval/split.h"
#include "eval/split_files.h"
#include "models/model_factory.h"
#include "models/recommender.h"
#include "nn/training_windows.h"

using namespace animerec;
using Clock = std::chrono::steady_clock;

namespace {

double peakMemoryGb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB on Linux
}

// Resident memory now: the peak alone cannot tell the data's share from the model's.
double residentMemoryGb() {
    std::ifstream statm("/proc/self/statm");
    long long pages = 0, resident = 0;
    statm >> pages >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0 * 1024.0);
}

double processCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

bool isSessionFamily(const std::string& family) { return family == "sasrec" || family == "gru"; }

struct Options {
    std::string family;
    ModelParameters parameters;
    std::string work = "/work/scale-data";
    long long users = 325000;
    int evalUsers = 10000;
    double stepSeconds = 180.0;
    int sequenceUsers = 20000;
    bool validation = false;  // score a split of the training part, never the test part
    std::string exportDir;    // where the split files go; empty = not written
};

std::string generatedDirectory(const Options& options) {
    return options.work + "/users" + std::to_string(options.users);
}

// The 2020 dump's shape: 325k users and 17.5k titles; a mean of 337 before the catalogue cap
// gives about 335 rows per user, 109M rows in all.
GeneratorConfig generatorConfig(long long users) {
    GeneratorConfig config;
    config.users = users;
    config.anime = 17500;
    config.meanInteractionsPerUser = 337.0;
    config.seed = 2020;
    return config;
}

Dataset loadGenerated(const Options& options) {
    const std::string dir = generatedDirectory(options);
    const auto start = Clock::now();
    if (!std::filesystem::exists(dir + "/anime.csv")) {
        std::printf("generating %s\n", dir.c_str());
        std::fflush(stdout);
        generateDatasetFiles(generatorConfig(options.users), dir);
        std::printf("  generated in %.0f s\n", secondsSince(start));
    }
    const auto loadStart = Clock::now();
    Dataset data = loadCsvDataset(dir + "/anime.csv", {dir + "/animelist.csv"});
    std::printf("data: %d users, %d anime, %lld events; loaded in %.0f s, peak %.2f GB\n",
                data.interactions.userCount(), data.catalog.size(),
                static_cast<long long>(data.interactions.size()), secondsSince(loadStart),
                peakMemoryGb());
    return data;
}

// Keeps the test lists of `count` users (seeded shuffle of those that have one) and empties the
// others, so the evaluator scores only the sample.
void sampleTestUsers(std::vector<HeldOut>& test, int count) {
    std::vector<int> users;
    for (std::size_t user = 0; user < test.size(); ++user)
        if (!test[user].items.empty()) users.push_back(static_cast<int>(user));
    std::mt19937_64 random(7);
    std::shuffle(users.begin(), users.end(), random);
    for (std::size_t i = static_cast<std::size_t>(std::max(0, count)); i < users.size(); ++i)
        test[static_cast<std::size_t>(users[i])] = HeldOut{};
}

// Transitions a session model trains on per epoch (nn::trainingWindows over every list entry,
// Plan to Watch included, as by default): each user's last maxLength, or all of them.
long long transitionsPerEpoch(const Interactions& train, int maxLength, bool everyTransition) {
    std::vector<std::size_t> lengths;
    lengths.reserve(static_cast<std::size_t>(train.userCount()));
    for (int user = 0; user < train.userCount(); ++user)
        lengths.push_back(train.historyOf(user).size());
    long long total = 0;
    for (const nn::TrainingWindow& window :
         nn::trainingWindows(lengths, maxLength, everyTransition))
        total += window.length;
    return total;
}

// Times a session family's epoch over all of `train` for stepSeconds of training (from the first
// batch report, so building the sequences is not counted), stops it and extrapolates. Returns the
// model when the epoch finished within the time, null when it was stopped.
std::unique_ptr<Recommender> timeSessionEpoch(const Options& options, const Dataset& train) {
    ModelParameters oneEpoch = options.parameters;
    oneEpoch["epochs"] = 1;
    auto model = createRecommender(options.family, oneEpoch);
    const auto start = Clock::now();
    Clock::time_point firstMark;
    std::int64_t firstDone = -1, lastDone = 0, totalBatches = 0;
    double lastSeconds = 0.0;
    const double cpuStart = processCpuSeconds();
    double cpuFirst = 0.0, cpuLast = 0.0;
    try {
        model->fit(train, [&](const Progress& progress) {
            if (progress.total <= 0 || progress.done <= 0) return true;
            if (firstDone < 0) {
                firstDone = progress.done;
                firstMark = Clock::now();
                cpuFirst = processCpuSeconds();
                std::printf("  first batch report after %.0f s (sequences built)\n",
                            secondsSince(start));
                std::fflush(stdout);
                return true;
            }
            lastDone = progress.done;
            totalBatches = progress.total;
            lastSeconds = secondsSince(firstMark);
            cpuLast = processCpuSeconds();
            return lastSeconds < options.stepSeconds;
        });
        std::printf(
            "  the epoch finished within the time given: %.0f s in all (cpu %.0f s), %.0f s "
            "after the first batch report; peak %.2f GB\n",
            secondsSince(start), processCpuSeconds() - cpuStart, secondsSince(firstMark),
            peakMemoryGb());
        return model;
    } catch (const OperationCancelled&) {
    }
    const auto batches = lastDone - firstDone;
    if (batches <= 0) {
        std::printf("  no batch finished in %.0f s\n", secondsSince(start));
        return nullptr;
    }
    const double batchesPerSecond = double(batches) / lastSeconds;
    const auto batchSize = static_cast<int>(
        options.parameters.count("batch_size") ? options.parameters.at("batch_size") : 32);
    const int maxLength = static_cast<int>(
        options.parameters.count("max_length") ? options.parameters.at("max_length") : 50);
    const bool everyTransition = options.parameters.count("every_transition") &&
                                 options.parameters.at("every_transition") != 0;
    const long long transitions =
        transitionsPerEpoch(train.interactions, maxLength, everyTransition);
    const double epochSeconds = double(totalBatches) / batchesPerSecond;
    std::printf(
        "  %lld of %lld batches (%d sequences each) in %.0f s (cpu %.0f s): %.2f batches/s; an "
        "epoch is %lld transitions (%s %d), about %.0f transitions/s\n",
        static_cast<long long>(batches), static_cast<long long>(totalBatches), batchSize,
        lastSeconds, cpuLast - cpuFirst, batchesPerSecond, transitions,
        everyTransition ? "all, in windows of" : "each user's last", maxLength,
        double(transitions) / epochSeconds);
    std::printf(
        "  EXTRAPOLATED epoch over the full training data: %.0f s (%.1f min); every one of the "
        "%lld training events as a target would take %.0f s (%.1f h)\n",
        epochSeconds, epochSeconds / 60.0, static_cast<long long>(train.interactions.size()),
        double(train.interactions.size()) / (double(transitions) / epochSeconds),
        double(train.interactions.size()) / (double(transitions) / epochSeconds) / 3600.0);
    std::printf("  peak memory %.2f GB\n", peakMemoryGb());
    return nullptr;
}

void evaluateModel(const Evaluator& evaluator, const Recommender& model) {
    const double cpuEvalStart = processCpuSeconds();
    const ModelReport report = evaluator.evaluate(model);
    std::printf("eval %.1f s (cpu %.1f s) over %d users: NDCG@10 %.4f [%.4f, %.4f], Recall@10 %.4f",
                report.evalSeconds, processCpuSeconds() - cpuEvalStart, report.evaluatedUsers,
                report.metrics.at("ndcg@10"), report.metrics.at("ndcg@10_ci_low"),
                report.metrics.at("ndcg@10_ci_high"), report.metrics.at("recall@10"));
    if (report.metrics.count("rmse")) std::printf(", RMSE %.4f", report.metrics.at("rmse"));
    std::printf("\npeak memory %.2f GB\n", peakMemoryGb());
}

// The histories of a seeded sample of `count` users of `train` (same dense order is not kept:
// session models do not read the user index).
Dataset sampleUsers(const Dataset& train, int count) {
    std::vector<int> users(static_cast<std::size_t>(train.interactions.userCount()));
    std::iota(users.begin(), users.end(), 0);
    std::mt19937_64 random(11);
    std::shuffle(users.begin(), users.end(), random);
    users.resize(std::min(users.size(), static_cast<std::size_t>(std::max(0, count))));
    Interactions::Builder builder(train.interactions.itemCount());
    for (const int user : users)
        for (const Event& event : train.interactions.historyOf(user))
            builder.add(train.interactions.userIdAt(user), event);
    return Dataset{train.catalog, std::move(builder).build()};
}

void printUsage() {
    std::fprintf(stderr,
                 "usage: bench_scale FAMILY [name=value ...] [--work DIR] [--users N] "
                 "[--eval-users N] [--step-seconds S] [--sequence-users N] [--validation] "
                 "[--export DIR]\n");
}

// Writes the split for `animerec evaluate` and prints the command that scores it as this run does.
void exportSplit(const Options& options, const Split& split, const Catalog& catalog) {
    const auto start = Clock::now();
    std::filesystem::create_directories(options.exportDir);
    const std::string train = options.exportDir + "/train.csv";
    const std::string test = options.exportDir + "/test.csv";
    writeSplitFiles(split, catalog, SplitFileLayout::Animelist, train, test);
    std::string parameters;
    for (const auto& [name, value] : options.parameters) {
        char text[64];
        std::snprintf(text, sizeof text, "%s%s.%s=%g", parameters.empty() ? "" : ",",
                      options.family.c_str(), name.c_str(), value);
        parameters += text;
    }
    std::printf(
        "split files written in %.0f s; the same split and parameters:\n"
        "  animerec evaluate --anime %s/anime.csv --train %s --test %s --catalog all "
        "--models %s%s%s\n",
        secondsSince(start), generatedDirectory(options).c_str(), train.c_str(), test.c_str(),
        options.family.c_str(), parameters.empty() ? "" : " --param ", parameters.c_str());
    std::fflush(stdout);
}

int run(const Options& options) {
    std::printf("family %s; %lld users; %d test users scored\n", options.family.c_str(),
                options.users, options.evalUsers);
    Dataset all = loadGenerated(options);
    const auto splitStart = Clock::now();
    const auto splitOf = [&](const Interactions& interactions) {
        if (isSessionFamily(options.family)) {
            LeaveLastOptions leaveLast;
            leaveLast.keepSparseUsersInTrain = true;
            return leaveLastOutSplit(interactions, leaveLast);
        }
        HoldoutOptions holdout;
        holdout.keepSparseUsersInTrain = true;
        return holdoutSplit(interactions, holdout);
    };
    Split split = splitOf(all.interactions);
    all.interactions = Interactions{};  // only the split's copy stays
    if (options.validation) {
        split = splitOf(Interactions(std::move(split.train)));
        std::printf(
            "validation: the test part dropped unread, the split made again from the "
            "training part\n");
    }
    sampleTestUsers(split.test, options.evalUsers);
    const double splitSeconds = secondsSince(splitStart);
    if (!options.exportDir.empty()) exportSplit(options, split, all.catalog);
    const Dataset train{std::move(all.catalog), std::move(split.train)};
    std::printf("split (%s) in %.0f s: %lld train events; peak %.2f GB, resident %.2f GB\n",
                isSessionFamily(options.family) ? "last entry per user" : "random 20% per user",
                splitSeconds, static_cast<long long>(train.interactions.size()), peakMemoryGb(),
                residentMemoryGb());
    std::fflush(stdout);

    EvaluatorOptions evaluatorOptions;
    evaluatorOptions.ks = {10};
    evaluatorOptions.curveMaxK = 0;
    const Evaluator evaluator(train.interactions, split.test, train.catalog, evaluatorOptions);

    const Dataset* fitData = &train;
    Dataset sample;
    if (isSessionFamily(options.family)) {
        // What the next list entry costs to guess without learning, on the same users.
        const auto baseline = createRecommender("popularity", {});
        baseline->fit(train);
        std::printf("popularity on the same split and users: NDCG@10 %.4f\n",
                    evaluator.evaluate(*baseline).metrics.at("ndcg@10"));
        if (const auto fullEpoch = timeSessionEpoch(options, train)) {
            std::printf("the model of the full epoch:\n");
            evaluateModel(evaluator, *fullEpoch);
            return 0;
        }
        if (options.sequenceUsers <= 0) return 0;
        sample = sampleUsers(train, options.sequenceUsers);
        fitData = &sample;
        std::printf("quality run: %g epoch(s) on the sequences of %d sampled users (%lld events)\n",
                    options.parameters.at("epochs"), sample.interactions.userCount(),
                    static_cast<long long>(sample.interactions.size()));
    }
    auto model = createRecommender(options.family, options.parameters);
    const double residentBefore = residentMemoryGb();
    const auto trainStart = Clock::now();
    const double cpuTrainStart = processCpuSeconds();
    model->fit(*fitData);
    const double trainSeconds = secondsSince(trainStart);
    const double trainCpu = processCpuSeconds() - cpuTrainStart;
    std::printf("train %.1f s (cpu %.1f s)", trainSeconds, trainCpu);
    if (const auto curve = model->trainingCurve(); !curve.empty())
        std::printf(", %.1f s per epoch over %zu epochs", trainSeconds / double(curve.size()),
                    curve.size());
    std::printf("; resident before %.2f GB, peak %.2f GB\n", residentBefore, peakMemoryGb());
    std::fflush(stdout);
    evaluateModel(evaluator, *model);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--work" && hasValue)
            options.work = argv[++i];
        else if (arg == "--users" && hasValue)
            options.users = std::stoll(argv[++i]);
        else if (arg == "--eval-users" && hasValue)
            options.evalUsers = std::stoi(argv[++i]);
        else if (arg == "--step-seconds" && hasValue)
            options.stepSeconds = std::stod(argv[++i]);
        else if (arg == "--sequence-users" && hasValue)
            options.sequenceUsers = std::stoi(argv[++i]);
        else if (arg == "--validation")
            options.validation = true;
        else if (arg == "--export" && hasValue)
            options.exportDir = argv[++i];
        else if (const auto eq = arg.find('='); eq != std::string::npos && eq > 0)
            options.parameters[arg.substr(0, eq)] = std::stod(arg.substr(eq + 1));
        else if (options.family.empty() && arg[0] != '-')
            options.family = arg;
        else {
            printUsage();
            return 2;
        }
    }
    if (options.family.empty()) {
        printUsage();
        return 2;
    }
    if (isSessionFamily(options.family)) {
        // A sampled loss: the full softmax's cost grows with the catalogue.
        options.parameters.try_emplace("loss", 1);
        options.parameters.try_emplace("negatives", 256);
        options.parameters.try_emplace("negative_popularity", 1);
        options.parameters.try_emplace("epochs", 1);
        options.parameters.try_emplace("validation_users", 0);
        options.parameters.try_emplace("refit", 0);
        // One epoch: an average over it would weigh in its first, untrained steps; the 2020-scale
        // rows were measured without averaging (SASRec's default averages over one epoch).
        options.parameters.try_emplace("average_epochs", 0);
    }
    try {
        return run(options);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_scale: %s\n", error.what());
        return 1;
    }
}

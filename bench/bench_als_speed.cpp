// ALS speed: seconds per iteration (64 factors) of the conjugate-gradient solver against the
// exact Cholesky solver in the same run, at the NDCG@10 each reaches on P1; top-10 serving
// latency over a 17,500-anime generated catalogue; peak memory. With --rows N it also times
// iterations on a generated dataset of about N interactions (files under --work DIR).
//
// Usage: bench_als_speed [--iterations N] [--rows N] [--work DIR] [--skip-p1]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/csv_dataset.h"
#include "data/generator.h"
#include "eval/evaluator.h"
#include "models/als.h"
#include "real_protocols.h"

using namespace animerec;
using Clock = std::chrono::steady_clock;

namespace {

double peakMemoryGb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB on Linux
}

double processCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

struct Timed {
    double secondsPerIteration = 0.0;
    // CPU seconds of all threads per iteration: steadier than wall time on a shared machine.
    double cpuSecondsPerIteration = 0.0;
    double ndcg = -1.0;
};

// Fits ALS and returns the mean wall time of an iteration (from the progress reports) and,
// when an evaluator is given, NDCG@10.
Timed timeAls(const Dataset& data, AlsConfig config, const Evaluator* evaluator) {
    config.computeLoss = false;  // time the sweeps only
    Als als(config);
    std::vector<Clock::time_point> marks;
    std::vector<double> cpuMarks;
    als.fit(data, [&](const Progress&) {
        marks.push_back(Clock::now());
        cpuMarks.push_back(processCpuSeconds());
        return true;
    });
    Timed timed;
    const double intervals = double(std::max<std::size_t>(1, marks.size() - 1));
    timed.secondsPerIteration =
        std::chrono::duration<double>(marks.back() - marks.front()).count() / intervals;
    timed.cpuSecondsPerIteration = (cpuMarks.back() - cpuMarks.front()) / intervals;
    if (evaluator) timed.ndcg = evaluator->evaluate(als).metrics.at("ndcg@10");
    return timed;
}

void p1Speed(int iterations) {
    const Dataset all = real::cooperUnionUnion();
    const Split split = real::p1Split(all);
    const Dataset train{all.catalog, split.train};
    EvaluatorOptions options = real::protocolOptions();
    options.curveMaxK = 0;
    const Evaluator evaluator(split, all.catalog, options);
    std::printf("P1 train: %d users, %lld events; ALS 64 factors, %d iterations\n",
                split.train.userCount(), static_cast<long long>(split.train.size()), iterations);
    AlsConfig config;
    config.factors = 64;
    config.iterations = iterations;
    const Timed cg = timeAls(train, config, &evaluator);
    config.solver = AlsConfig::Solver::Cholesky;
    const Timed cholesky = timeAls(train, config, &evaluator);
    std::printf("  conjugate gradient %.4f s/iteration (cpu %.4f s)  NDCG@10 %.4f\n",
                cg.secondsPerIteration, cg.cpuSecondsPerIteration, cg.ndcg);
    std::printf("  Eigen Cholesky     %.4f s/iteration (cpu %.4f s)  NDCG@10 %.4f\n",
                cholesky.secondsPerIteration, cholesky.cpuSecondsPerIteration, cholesky.ndcg);
    std::printf(
        "  CG speed-up %.2fx wall, %.2fx cpu (published figure, not re-run: `implicit` CG 0.103 "
        "s/iteration on P1, measured for the ALS issue; `implicit` is not in Debian)\n",
        cholesky.secondsPerIteration / cg.secondsPerIteration,
        cholesky.cpuSecondsPerIteration / cg.cpuSecondsPerIteration);
}

// Top-10 for one trained user (x_u . Y, then partial selection) and for a folded-in history.
void servingLatency(const std::string& work) {
    GeneratorConfig generator;
    generator.anime = 17500;
    generator.users = 4000;
    generator.seed = 7;
    const std::string dir = work + "/serving";
    generateDatasetFiles(generator, dir);
    const Dataset data = loadCsvDataset(dir + "/anime.csv", {dir + "/animelist.csv"});
    AlsConfig config;
    config.factors = 64;
    config.iterations = 3;
    Als als(config);
    als.fit(data);
    std::vector<float> scores(static_cast<std::size_t>(data.catalog.size()));
    const auto measure = [&](bool trained) {
        std::vector<double> micros;
        for (int q = 0; q < 2000; ++q) {
            const int user = q % data.interactions.userCount();
            const auto history = data.interactions.historyOf(user);
            std::vector<int> seen;
            for (const Event& event : history) seen.push_back(event.item);
            const auto start = Clock::now();
            als.score({trained ? user : -1, history}, scores);
            const auto top = topK(scores, 10, seen);
            micros.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
            if (top.empty()) std::printf("no result\n");
        }
        std::sort(micros.begin(), micros.end());
        double mean = 0.0;
        for (double m : micros) mean += m;
        std::printf("  %-28s mean %.0f us  p50 %.0f us  p99 %.0f us\n",
                    trained ? "top-10, trained user" : "top-10, folded-in history",
                    mean / double(micros.size()), micros[micros.size() / 2],
                    micros[micros.size() * 99 / 100]);
    };
    std::printf("serving: %d anime, 64 factors\n", data.catalog.size());
    measure(true);
    measure(false);
}

void generatedSpeed(long long rows, const std::string& work) {
    GeneratorConfig generator;
    generator.anime = 17500;
    generator.users = std::max(1000LL, rows / 110);
    generator.seed = 11;
    const std::string dir = work + "/rows" + std::to_string(rows);
    auto start = Clock::now();
    if (!std::filesystem::exists(dir + "/anime.csv")) generateDatasetFiles(generator, dir);
    const Dataset data = loadCsvDataset(dir + "/anime.csv", {dir + "/animelist.csv"});
    std::printf("generated: %d users, %d anime, %lld events (%.0f s to generate/load)\n",
                data.interactions.userCount(), data.catalog.size(),
                static_cast<long long>(data.interactions.size()),
                std::chrono::duration<double>(Clock::now() - start).count());
    AlsConfig config;
    config.factors = 64;
    config.iterations = 2;
    std::printf("  peak memory after loading %.2f GB\n", peakMemoryGb());
    const Timed cg = timeAls(data, config, nullptr);
    std::printf("  conjugate gradient %.2f s/iteration (cpu %.2f s) (peak memory %.2f GB)\n",
                cg.secondsPerIteration, cg.cpuSecondsPerIteration, peakMemoryGb());
    config.iterations = 1;
    config.solver = AlsConfig::Solver::Cholesky;
    const Timed cholesky = timeAls(data, config, nullptr);
    std::printf(
        "  Eigen Cholesky     %.2f s/iteration (cpu %.2f s)  CG speed-up %.2fx wall, "
        "%.2fx cpu\n",
        cholesky.secondsPerIteration, cholesky.cpuSecondsPerIteration,
        cholesky.secondsPerIteration / cg.secondsPerIteration,
        cholesky.cpuSecondsPerIteration / cg.cpuSecondsPerIteration);
}

}  // namespace

int main(int argc, char** argv) {
    int iterations = 15;
    long long rows = 0;
    bool p1 = true;
    std::string work = std::filesystem::temp_directory_path().string() + "/animerec_bench_als";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--iterations" && i + 1 < argc)
            iterations = std::stoi(argv[++i]);
        else if (arg == "--rows" && i + 1 < argc)
            rows = std::stoll(argv[++i]);
        else if (arg == "--work" && i + 1 < argc)
            work = argv[++i];
        else if (arg == "--skip-p1")
            p1 = false;
        else {
            std::fprintf(
                stderr,
                "usage: bench_als_speed [--iterations N] [--rows N] [--work DIR] [--skip-p1]\n");
            return 2;
        }
    }
    try {
        if (p1) p1Speed(iterations);
        servingLatency(work);
        if (rows > 0) generatedSpeed(rows, work);
        std::printf("peak memory %.2f GB\n", peakMemoryGb());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_als_speed: %s\n", error.what());
        return 1;
    }
    return 0;
}

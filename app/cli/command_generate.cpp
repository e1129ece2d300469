// `animerec generate`: writes a synthetic dataset (anime.csv + animelist.csv) shaped like the
// MyAnimeList Kaggle files, for demos, tests and benchmarks at any scale.
#include <QCommandLineParser>
#include <QTextStream>
#include <chrono>
#include <ctime>
#include <limits>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "data/generator.h"

namespace animerec::cli {

int runGenerate(const QStringList& args) {
    const GeneratorConfig defaults;
    QCommandLineParser parser;
    parser.addOption(
        {"users", "Number of users (each gets >= 1 row).", "N", QString::number(defaults.users)});
    parser.addOption({"anime", "Catalogue size.", "M", QString::number(defaults.anime)});
    parser.addOption({"seed", "Random seed; same seed and options give identical files.", "S",
                      QString::number(defaults.seed)});
    parser.addOption(
        {"out", "Output directory (created); gets anime.csv and animelist.csv.", "DIR"});
    parser.addOption({"interactions-per-user-mean",
                      "Mean list length before the catalogue cap (lognormal; median ~ mean / 2.2).",
                      "X", QString::number(defaults.meanInteractionsPerUser)});
    parser.addOption({"activity-sigma", "Log-scale spread of list lengths.", "X",
                      QString::number(defaults.activitySigma)});
    parser.addOption({"genre-focus", "Share of picks that follow the user's favourite genres.", "X",
                      QString::number(defaults.genreFocus)});
    parser.addOption({"popularity-exponent",
                      "Zipf exponent of item popularity (higher = longer head).", "X",
                      QString::number(defaults.popularityExponent)});
    if (const auto exit =
            parseOrExit(parser, args,
                        "Writes a synthetic MyAnimeList-like dataset: DIR/anime.csv and "
                        "DIR/animelist.csv."))
        return *exit;

    QTextStream err(stderr);
    if (!parser.isSet("out")) {
        err << "generate: --out DIR is required\n" << parser.helpText();
        return 2;
    }
    const auto users = integerOption(parser, "users", 1, 100'000'000);
    const auto anime = integerOption(parser, "anime", 10, 1'000'000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    const auto mean = realOption(parser, "interactions-per-user-mean", 1.0, 1e5);
    const auto sigma = realOption(parser, "activity-sigma", 0.0, 3.0);
    const auto focus = realOption(parser, "genre-focus", 0.0, 1.0);
    const auto exponent = realOption(parser, "popularity-exponent", 0.0, 4.0);
    if (!users || !anime || !seed || !mean || !sigma || !focus || !exponent) return 2;

    GeneratorConfig config;
    config.users = *users;
    config.anime = *anime;
    config.seed = static_cast<std::uint64_t>(*seed);
    config.meanInteractionsPerUser = *mean;
    config.activitySigma = *sigma;
    config.genreFocus = *focus;
    config.popularityExponent = *exponent;
    const QString out = parser.value("out");

    GeneratorStats stats;
    const auto wallStart = std::chrono::steady_clock::now();
    const std::clock_t cpuStart = std::clock();
    {
        TerminalProgress bar("users");
        try {
            stats = generateDatasetFiles(config, out.toStdString(), bar.callback());
        } catch (const OperationCancelled&) {
            bar.finish();
            err << "generate: cancelled; files in " << out << " are incomplete\n";
            return 130;
        } catch (const std::exception& error) {
            bar.finish();
            err << "generate: " << error.what() << "\n";
            return 1;
        }
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    const double cpu = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    auto rate = [&](double seconds) {
        return seconds > 0 ? QString::number(stats.interactions / seconds, 'f', 0) : QString("-");
    };

    QTextStream(stdout) << "wrote " << out << "/anime.csv and " << out << "/animelist.csv\n"
                        << "  anime:        " << stats.anime << "\n"
                        << "  users:        " << stats.users << "\n"
                        << "  interactions: " << stats.interactions << " ("
                        << QString::number(
                               100.0 * double(stats.interactions - stats.rated) /
                                   double(std::max<std::int64_t>(1, stats.interactions)),
                               'f', 1)
                        << "% unrated)\n"
                        << "  time:         " << QString::number(wall, 'f', 2) << " s wall, "
                        << QString::number(cpu, 'f', 2) << " s cpu (" << rate(wall)
                        << " rows/s wall, " << rate(cpu) << " rows/s cpu)\n";
    return 0;
}

}  // namespace animerec::cli

// `animerec evaluate`: offline evaluation of the model families (jobs/evaluation_job.h) on a
// train/test split of the database dataset (or of user-supplied train/test files), printed as a
// table, optionally written as JSON, and stored in the database for Studio's history view.
#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>
#include <algorithm>
#include <limits>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "jobs/evaluation_job.h"
#include "jobs/parameter_syntax.h"

namespace animerec::cli {

namespace {

std::optional<std::vector<int>> parseKs(const QString& text) {
    std::vector<int> ks;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int k = part.trimmed().toInt(&ok);
        if (!ok || k < 1 || k > 1000) {
            QTextStream(stderr) << "--ks: '" << part << "' is not an integer in [1, 1000]\n";
            return std::nullopt;
        }
        ks.push_back(k);
    }
    return ks;
}

QString joined(const std::vector<int>& values) {
    QStringList parts;
    for (const int value : values) parts << QString::number(value);
    return parts.join(',');
}

// The settings the flags describe; nullopt after printing a usage problem.
std::optional<jobs::EvaluationSettings> settingsFrom(const QCommandLineParser& parser,
                                                     QTextStream& err) {
    jobs::EvaluationSettings settings;
    settings.databasePath = parser.value("db");
    const bool fromFiles = parser.isSet("train") || parser.isSet("test") || parser.isSet("anime");
    if (fromFiles) {
        if (!parser.isSet("train") || !parser.isSet("test") || !parser.isSet("anime")) {
            err << "evaluate: a user-supplied split needs --anime, --train and --test\n";
            return std::nullopt;
        }
        settings.animeFile = parser.value("anime");
        settings.trainFile = parser.value("train");
        settings.testFile = parser.value("test");
        // A user-supplied split is stored only when a database was named explicitly.
        settings.storeRun = parser.isSet("db");
    }
    const auto minInteractions = integerOption(parser, "min-interactions", 2, 1000000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    const auto k = integerOption(parser, "k", 1, 1000);
    const auto threads = integerOption(parser, "threads", 0, 1024);
    const auto resamples = integerOption(parser, "bootstrap", 0, 100000);
    const auto holdout = realOption(parser, "holdout", 0.001, 0.999);
    const auto lastN = integerOption(parser, "last-n", 1, 100000);
    const auto quantile = realOption(parser, "time-quantile", 0.001, 0.999);
    const auto ks = parseKs(parser.value("ks"));
    if (!minInteractions || !seed || !k || !threads || !resamples || !holdout || !lastN ||
        !quantile || !ks)
        return std::nullopt;
    settings.minInteractions = int(*minInteractions);
    settings.seed = std::uint64_t(*seed);
    settings.k = int(*k);
    settings.threads = int(*threads);
    settings.bootstrapResamples = int(*resamples);
    settings.holdoutShare = *holdout;
    settings.lastN = int(*lastN);
    settings.timeQuantile = *quantile;
    settings.ks = *ks;
    const QString protocol = parser.value("protocol");
    if (protocol == "holdout") {
        settings.protocol = jobs::SplitProtocol::Holdout;
    } else if (protocol == "last") {
        settings.protocol = jobs::SplitProtocol::LastN;
    } else if (protocol == "time") {
        settings.protocol = jobs::SplitProtocol::Time;
    } else {
        err << "evaluate: --protocol must be holdout, last or time, not '" << protocol << "'\n";
        return std::nullopt;
    }
    const QString catalogMode = parser.value("catalog");
    if (catalogMode != "all" && catalogMode != "interacted") {
        err << "evaluate: --catalog must be all or interacted, not '" << catalogMode << "'\n";
        return std::nullopt;
    }
    settings.catalogMode = catalogMode == "all" ? CatalogMode::All : CatalogMode::Interacted;
    for (const QString& name : parser.value("models").split(',', Qt::SkipEmptyParts))
        settings.models.push_back(name.trimmed().toStdString());
    settings.tune = parser.isSet("tune");
    try {
        settings.parameters = jobs::parseModelParameters(parser.values("param").join(','));
    } catch (const std::invalid_argument& error) {
        err << "evaluate: " << error.what() << "\n";
        return std::nullopt;
    }
    return settings;
}

}  // namespace

int runEvaluate(const QStringList& args) {
    const jobs::EvaluationSettings defaults;
    QCommandLineParser parser;
    parser.addOption({"db",
                      "SQLite file or postgresql://user:password@host:port/dbname URL (default: "
                      "$ANIMEREC_DB or var/animerec.sqlite).",
                      "PATH", defaultDatabasePath()});
    parser.addOption(
        {"anime", "Anime CSV of a user-supplied split (with --train and --test).", "FILE"});
    parser.addOption({"train", "Train interactions CSV of a user-supplied split.", "FILE"});
    parser.addOption({"test", "Test interactions CSV of a user-supplied split.", "FILE"});
    parser.addOption({"protocol",
                      "holdout (per-user random), last (leave last N out by order) or "
                      "time (global cut-off; needs timestamps).",
                      "NAME", "holdout"});
    parser.addOption({"holdout", "Share of each user's interactions held out.", "SHARE",
                      QString::number(defaults.holdoutShare)});
    parser.addOption({"last-n", "Interactions held out per user for --protocol last.", "N",
                      QString::number(defaults.lastN)});
    parser.addOption({"time-quantile",
                      "Share of all events (by time) that train, for --protocol time.", "Q",
                      QString::number(defaults.timeQuantile)});
    parser.addOption({"min-interactions", "Users with fewer interactions are dropped.", "N",
                      QString::number(defaults.minInteractions)});
    parser.addOption({"seed", "Seed of the split, the bootstrap and tuning.", "SEED",
                      QString::number(defaults.seed)});
    parser.addOption({"models", "Comma-separated model names (default: all known).", "LIST"});
    parser.addOption({"param",
                      "Hyper-parameters FAMILY.NAME=NUMBER, comma-separated or repeated, e.g. "
                      "als.factors=128,sasrec.epochs=10.",
                      "SPEC"});
    parser.addOption({"k", "Cut-off shown in the table (the JSON holds every K).", "K",
                      QString::number(defaults.k)});
    parser.addOption({"ks", "Cut-offs computed.", "LIST", joined(defaults.ks)});
    parser.addOption(
        {"catalog", "all: rank every item; interacted: only items seen in train.", "MODE", "all"});
    parser.addOption({"bootstrap", "Bootstrap resamples for 95% intervals (0 = none).", "N",
                      QString::number(defaults.bootstrapResamples)});
    parser.addOption({"json", "Also write the report as JSON to FILE.", "FILE"});
    parser.addOption({"threads", "Worker threads (0 = all cores).", "N", "0"});
    parser.addOption({"tune",
                      "First tune each model's hyper-parameters (default search space) on a "
                      "validation split carved from the train part; the test part stays unseen."});
    if (const auto exit =
            parseOrExit(parser, args,
                        "Trains each model on a train split and measures top-K accuracy, "
                        "coverage, novelty and diversity on the held-out part.\n\n" +
                            modelFamiliesHelp()))
        return *exit;

    QTextStream err(stderr);
    QTextStream out(stdout);
    const auto settings = settingsFrom(parser, err);
    if (!settings) return 2;
    jobs::EvaluationResult result;
    try {
        TerminalProgress bar("units");
        result = jobs::runEvaluation(*settings, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        err << "evaluate: cancelled\n";
        return 130;
    } catch (const std::invalid_argument& error) {
        err << "evaluate: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        err << "evaluate: " << error.what() << "\n";
        return 1;
    }
    for (const QString& note : result.notes) out << note << "\n";
    for (const QString& failure : result.failures) err << "evaluate: model " << failure << "\n";
    out << "\n" << QString::fromStdString(result.report.formatTable(result.k));
    out.flush();
    if (parser.isSet("json")) {
        QFile file(parser.value("json"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(QByteArray::fromStdString(result.report.toJson())) < 0) {
            err << "evaluate: cannot write " << file.fileName() << ": " << file.errorString()
                << "\n";
            return 1;
        }
        out << "report written to " << file.fileName() << "\n";
    }
    if (!result.storeError.isEmpty()) {
        err << "evaluate: results not stored: " << result.storeError << "\n";
        return 1;
    }
    if (result.runId >= 0) out << "stored as evaluation run " << result.runId << "\n";
    return result.failures.isEmpty() ? 0 : 1;
}

}  // namespace animerec::cli

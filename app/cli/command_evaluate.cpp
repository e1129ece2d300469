// `animerec evaluate`: offline evaluation of the model families on a train/test split of the
// database dataset (or of user-supplied train/test files), printed as a table, optionally written
// as JSON, and stored in the database for Studio's history view.
#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>
#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "data/csv_dataset.h"
#include "eval/evaluator.h"
#include "eval/model_selection.h"
#include "eval/search_spaces.h"
#include "eval/split.h"
#include "models/model_factory.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/evaluation_store.h"

namespace animerec::cli {

namespace {

struct LoadedSplit {
    Catalog catalog;
    Split split;
};

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
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    return ks;
}

// Builds the split the options ask for; returns nullopt after printing a usage problem.
std::optional<LoadedSplit> loadSplit(const QCommandLineParser& parser, QTextStream& err) {
    LoadedSplit loaded;
    const bool fromFiles = parser.isSet("train") || parser.isSet("test") || parser.isSet("anime");
    if (fromFiles) {
        if (!parser.isSet("train") || !parser.isSet("test") || !parser.isSet("anime")) {
            err << "evaluate: a user-supplied split needs --anime, --train and --test\n";
            return std::nullopt;
        }
        TerminalProgress bar("rows");
        auto files =
            loadCsvFiles(parser.value("anime").toStdString(),
                         {parser.value("train").toStdString(), parser.value("test").toStdString()},
                         bar.callback());
        bar.finish();
        if (!files.rejects.empty())
            err << "evaluate: " << files.rejects.size()
                << " rows rejected while reading the files\n";
        loaded.split = splitFromParts(files.interactions.at(0), files.interactions.at(1));
        loaded.split.protocol.push_back({"train_file", parser.value("train").toStdString()});
        loaded.split.protocol.push_back({"test_file", parser.value("test").toStdString()});
        loaded.catalog = std::move(files.catalog);
        return loaded;
    }

    storage::Database database(parser.value("db"), QStringLiteral("animerec-evaluate-load"));
    if (const QSqlError error = database.open(); error.isValid())
        throw std::runtime_error("cannot open " + database.path().toStdString() + ": " +
                                 error.text().toStdString());
    Dataset dataset;
    {
        TerminalProgress bar("rows");
        dataset = storage::loadDataset(database, bar.callback());
        bar.finish();
    }
    if (dataset.interactions.size() == 0)
        throw std::runtime_error(database.path().toStdString() +
                                 " holds no interactions; run `animerec import` first");
    const auto minInteractions = integerOption(parser, "min-interactions", 2, 1000000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    if (!minInteractions || !seed) return std::nullopt;
    const QString protocol = parser.value("protocol");
    if (protocol == "holdout") {
        const auto share = realOption(parser, "holdout", 0.001, 0.999);
        if (!share) return std::nullopt;
        loaded.split = holdoutSplit(
            dataset.interactions,
            HoldoutOptions{*share, int(*minInteractions), false, std::uint64_t(*seed)});
    } else if (protocol == "last") {
        const auto lastN = integerOption(parser, "last-n", 1, 100000);
        if (!lastN) return std::nullopt;
        loaded.split = leaveLastOutSplit(
            dataset.interactions, LeaveLastOptions{int(*lastN), int(*minInteractions), false});
    } else if (protocol == "time") {
        const auto quantile = realOption(parser, "time-quantile", 0.001, 0.999);
        if (!quantile) return std::nullopt;
        loaded.split = timeSplit(dataset.interactions,
                                 TimeSplitOptions{*quantile, int(*minInteractions), false});
    } else {
        err << "evaluate: --protocol must be holdout, last or time, not '" << protocol << "'\n";
        return std::nullopt;
    }
    loaded.split.protocol.push_back({"database", database.path().toStdString()});
    loaded.catalog = std::move(dataset.catalog);
    return loaded;
}

}  // namespace

int runEvaluate(const QStringList& args) {
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
    parser.addOption({"holdout", "Share of each user's interactions held out.", "SHARE", "0.2"});
    parser.addOption({"last-n", "Interactions held out per user for --protocol last.", "N", "1"});
    parser.addOption({"time-quantile",
                      "Share of all events (by time) that train, for --protocol time.", "Q",
                      "0.8"});
    parser.addOption({"min-interactions", "Users with fewer interactions are dropped.", "N", "5"});
    parser.addOption({"seed", "Seed of the split and the bootstrap.", "SEED", "42"});
    parser.addOption({"models", "Comma-separated model names (default: all known).", "LIST"});
    parser.addOption({"k", "Cut-off shown in the table (the JSON holds every K).", "K", "10"});
    parser.addOption({"ks", "Cut-offs computed.", "LIST", "5,10,20,50,100"});
    parser.addOption({"catalog",
                      "all: rank every item; interacted: only items seen in train or test.", "MODE",
                      "all"});
    parser.addOption(
        {"bootstrap", "Bootstrap resamples for 95% intervals (0 = none).", "N", "1000"});
    parser.addOption({"json", "Also write the report as JSON to FILE.", "FILE"});
    parser.addOption({"threads", "Worker threads (0 = all cores).", "N", "0"});
    parser.addOption({"tune",
                      "First tune each model's hyper-parameters (default search space) on a "
                      "validation split carved from the train part; the test part stays unseen."});
    if (const auto exit =
            parseOrExit(parser, args,
                        "Trains each model on a train split and measures top-K accuracy, "
                        "coverage, novelty and diversity on the held-out part."))
        return *exit;

    QTextStream err(stderr);
    const auto k = integerOption(parser, "k", 1, 1000);
    const auto threads = integerOption(parser, "threads", 0, 1024);
    const auto resamples = integerOption(parser, "bootstrap", 0, 100000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    auto ks = parseKs(parser.value("ks"));
    if (!k || !threads || !resamples || !seed || !ks) return 2;
    if (std::find(ks->begin(), ks->end(), int(*k)) == ks->end()) {
        ks->push_back(int(*k));
        std::sort(ks->begin(), ks->end());
    }
    const QString catalogMode = parser.value("catalog");
    if (catalogMode != "all" && catalogMode != "interacted") {
        err << "evaluate: --catalog must be all or interacted, not '" << catalogMode << "'\n";
        return 2;
    }
    std::vector<std::string> modelNames;
    if (parser.isSet("models")) {
        const auto known = knownModelNames();
        for (const QString& name : parser.value("models").split(',', Qt::SkipEmptyParts)) {
            modelNames.push_back(name.trimmed().toStdString());
            if (std::find(known.begin(), known.end(), modelNames.back()) == known.end()) {
                err << "evaluate: unknown model '" << name.trimmed()
                    << "' (known: " << QString::fromStdString([&] {
                           std::string all;
                           for (const auto& n : known) all += (all.empty() ? "" : ", ") + n;
                           return all;
                       }())
                    << ")\n";
                return 2;
            }
        }
    } else {
        modelNames = knownModelNames();
    }

    std::optional<LoadedSplit> loaded;
    try {
        loaded = loadSplit(parser, err);
    } catch (const OperationCancelled&) {
        err << "evaluate: cancelled\n";
        return 130;
    }
    if (!loaded) return 2;
    Split& split = loaded->split;
    QTextStream out(stdout);
    out << "split: " << split.train.userCount() << " train users, " << split.train.size()
        << " train events, " << split.testUserCount() << " test users, " << split.testItemCount()
        << " test items\n";
    if (split.testUserCount() == 0) {
        err << "evaluate: the split has no test users (lower --min-interactions?)\n";
        return 1;
    }

    EvaluatorOptions options;
    options.ks = *ks;
    options.catalogMode = catalogMode == "all" ? CatalogMode::All : CatalogMode::Interacted;
    options.threads = int(*threads);
    options.confidenceIntervals = *resamples > 0;
    options.bootstrap.resamples = std::max(1, int(*resamples));
    options.bootstrap.seed = std::uint64_t(*seed);

    // Models fit on a Dataset that owns the train part; the evaluator only references it.
    Dataset train{std::move(loaded->catalog), std::move(split.train)};
    const Evaluator evaluator(train.interactions, split.test, train.catalog, options);
    EvaluationReport report;
    report.protocol = split.protocol;
    report.protocol.push_back({"catalog", catalogMode.toStdString()});
    report.ks = *ks;
    int failures = 0;
    // Tuning sees only the train part: 20% of each train user's events become validation.
    std::optional<Split> validation;
    EvaluatorOptions tuningOptions = searchEvaluatorOptions();
    tuningOptions.catalogMode = options.catalogMode;
    tuningOptions.threads = options.threads;
    if (parser.isSet("tune")) {
        validation = validationSplit(train.interactions, std::uint64_t(*seed));
        report.protocol.push_back({"tuning", "validation split of train, seed " +
                                                 std::to_string(*seed) +
                                                 ", by ndcg@10 (mf: rmse)"});
    }
    for (const auto& name : modelNames) {
        try {
            ModelParameters parameters;
            if (validation) {
                std::string skipped;
                TerminalProgress bar("units");
                const SelectionCandidate tuned =
                    tuneFamily(*validation, train.catalog, name, tuningOptions,
                               std::uint64_t(*seed), &skipped, bar.callback());
                bar.finish();
                if (!skipped.empty()) {
                    err << "evaluate: " << QString::fromStdString(skipped) << "\n";
                } else {
                    parameters = tuned.parameters;
                    report.protocol.push_back(
                        {name + "_parameters", describeParameters(parameters)});
                    out << "tuned " << QString::fromStdString(name) << " over "
                        << tuned.trials.size()
                        << " trials: " << QString::fromStdString(describeParameters(parameters))
                        << " (validation " << QString::fromStdString(tuned.metric) << " "
                        << tuned.score << ")\n";
                    out.flush();
                }
            }
            auto model = createRecommender(name, parameters);
            const auto started = std::chrono::steady_clock::now();
            {
                TerminalProgress bar("steps");
                model->fit(train, bar.callback());
                bar.finish();
            }
            const double trainSeconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            TerminalProgress bar("users");
            auto result = evaluator.evaluate(*model, bar.callback());
            bar.finish();
            result.trainSeconds = trainSeconds;
            result.parameters = parameters;
            report.models.push_back(std::move(result));
        } catch (const OperationCancelled&) {
            err << "evaluate: cancelled\n";
            return 130;
        } catch (const std::exception& error) {
            err << "evaluate: model " << QString::fromStdString(name) << " failed: " << error.what()
                << "\n";
            ++failures;
        }
    }

    out << "\n" << QString::fromStdString(report.formatTable(int(*k)));
    out.flush();
    if (parser.isSet("json")) {
        QFile file(parser.value("json"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(QByteArray::fromStdString(report.toJson())) < 0) {
            err << "evaluate: cannot write " << file.fileName() << ": " << file.errorString()
                << "\n";
            return 1;
        }
        out << "report written to " << file.fileName() << "\n";
    }
    // A user-supplied split is stored only when a database was named explicitly.
    if (!parser.isSet("train") || parser.isSet("db")) {
        storage::Database database(parser.value("db"), QStringLiteral("animerec-evaluate-store"));
        QSqlError error = database.open();
        qint64 runId = 0;
        if (!error.isValid())
            error = storage::EvaluationStore(database).saveRun(report, *seed, int(*k), &runId);
        if (error.isValid()) {
            err << "evaluate: results not stored in " << database.path() << ": " << error.text()
                << "\n";
            return 1;
        }
        out << "stored as evaluation run " << runId << " in " << database.path() << "\n";
    }
    return failures == 0 ? 0 : 1;
}

}  // namespace animerec::cli

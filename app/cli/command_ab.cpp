// `animerec ab`: A/B experiments on the database (create, start, pause, stop, list, report) and
// the offline replay simulator that runs the same report on held-out real interactions.
#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <map>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "experiments/ab_report.h"
#include "experiments/experiment_catalogue.h"
#include "jobs/replay_job.h"
#include "jobs/variant_syntax.h"
#include "service/model_registry.h"

namespace animerec::cli {

namespace {

const char* kUsage =
    "usage: animerec ab <action> [options]\n"
    "  create NAME --variant NAME=MODEL[@VERSION][:SHARE] ... [--salt S] [--routes R,R]\n"
    "  start NAME | pause NAME | stop NAME | list\n"
    "  report NAME [--k 10] [--lift 0.1] [--bucket hour|day] [--json]\n"
    "  simulate --variants A,B [--models-dir DIR] [--k 10] [--holdout 0.2] [--max-users N] "
    "[--json]\n"
    "MODEL is a role (popularity, content, collaborative, session) or a model family;\n"
    "every action takes --db PATH.\n";

int fail(const QString& message) {
    QTextStream(stderr) << "ab: " << message << "\n";
    return 1;
}

int failWith(const experiments::ExperimentError& error) {
    return fail(error.field.isEmpty() ? error.message : error.field + ": " + error.message);
}

void printJson(const QJsonObject& object, const QString& outputPath) {
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (outputPath.isEmpty()) {
        QTextStream(stdout) << bytes;
        return;
    }
    QFile file(outputPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        throw std::runtime_error(outputPath.toStdString() + ": " +
                                 file.errorString().toStdString());
}

std::optional<experiments::ReportOptions> reportOptions(const QCommandLineParser& parser) {
    const auto k = integerOption(parser, "k", 1, 100);
    const auto lift = realOption(parser, "lift", -0.99, 10.0);
    const auto confidence = realOption(parser, "confidence", 0.5, 0.999);
    if (!k || !lift || !confidence) return std::nullopt;
    experiments::ReportOptions options;
    options.k = static_cast<int>(*k);
    options.minimumLift = *lift;
    options.confidence = *confidence;
    options.bucket = parser.value("bucket");
    return options;
}

int simulate(const QCommandLineParser& parser) {
    const auto holdout = realOption(parser, "holdout", 0.01, 0.99);
    const auto minInteractions = integerOption(parser, "min-interactions", 2, 1000000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<int>::max());
    const auto maxUsers = integerOption(parser, "max-users", 0, 100000000);
    const auto options = reportOptions(parser);
    if (!holdout || !minInteractions || !seed || !maxUsers || !options) return 2;
    jobs::ReplaySettings settings;
    settings.databasePath = parser.value("db");
    settings.variants = parser.value("variants").split(u',', Qt::SkipEmptyParts);
    settings.modelsDirectory = parser.value("models-dir");
    settings.holdoutShare = *holdout;
    settings.minInteractions = static_cast<int>(*minInteractions);
    settings.seed = static_cast<std::uint64_t>(*seed);
    settings.maxUsers = static_cast<int>(*maxUsers);
    settings.paired = !parser.isSet("assign");
    settings.report = *options;
    jobs::ReplayResult result;
    try {
        TerminalProgress bar("units");
        result = jobs::runReplay(settings, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        QTextStream(stderr) << "ab simulate: cancelled\n";
        return 130;
    } catch (const std::exception& error) {
        return fail(QString::fromUtf8(error.what()));
    }
    for (const QString& note : result.notes) QTextStream(stderr) << "ab simulate: " << note << "\n";
    if (parser.isSet("json") || !parser.value("output").isEmpty())
        printJson(experiments::toJson(result.report), parser.value("output"));
    if (!parser.isSet("json")) QTextStream(stdout) << experiments::toText(result.report);
    return 0;
}

}  // namespace

int runAb(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOptions({
        {"db", "SQLite file or postgresql://user:password@host:port/dbname URL.", "path",
         defaultDatabasePath()},
        {"variant",
         "create: NAME=MODEL[@VERSION][:SHARE], MODEL a role or a model family (repeat per "
         "variant, or comma-separated).",
         "spec"},
        {"salt", "create: assignment salt (default: the name).", "text"},
        {"routes", "create: comma-separated routes (default: both user routes).", "list"},
        {"k", "CTR@K cut-off (simulate: list length).", "k", "10"},
        {"lift", "Relative CTR lift the sample-size estimate is for.", "lift", "0.1"},
        {"confidence", "Two-sided confidence of the intervals.", "level", "0.95"},
        {"bucket", "Timeline buckets: hour, day or auto.", "size", "auto"},
        {"json", "Print the report as JSON."},
        {"output", "Also write the JSON report to this file.", "path"},
        {"variants", "simulate: comma-separated model families (or roles with --models-dir).",
         "list"},
        {"models-dir", "simulate: serve these model files instead of fitting on the train part.",
         "dir"},
        {"holdout", "simulate: share of each user's interactions held out.", "share", "0.2"},
        {"min-interactions", "simulate: users with fewer interactions are skipped.", "n", "5"},
        {"seed", "simulate: seed of the holdout split.", "seed", "42"},
        {"max-users", "simulate: replay at most this many users (0 = all).", "n", "0"},
        {"assign", "simulate: each user sees one variant by hash instead of all of them."},
    });
    // parseOrExit refuses positional arguments: take the action and the name off first.
    QStringList rest = args;
    QStringList positional;
    while (rest.size() > 1 && positional.size() < 2 && !rest.at(1).startsWith(u'-'))
        positional << rest.takeAt(1);
    if (const auto exitCode = parseOrExit(parser, rest, QString::fromLatin1(kUsage)))
        return *exitCode;
    const QString action = positional.value(0);
    if (action == "simulate") return simulate(parser);
    if (action.isEmpty() || (action != "list" && positional.size() < 2)) {
        QTextStream(stderr) << kUsage;
        return 2;
    }
    const QString name = positional.value(1);
    experiments::ExperimentCatalogue catalogue(parser.value("db"), nullptr);
    if (const QString error = catalogue.open(); !error.isEmpty()) return fail(error);
    QTextStream out(stdout);
    if (action == "list") {
        for (const auto& experiment : catalogue.list()) {
            out << experiment.name << "  " << experiments::statusName(experiment.status) << "  ";
            for (const auto& variant : experiment.variants)
                out << variant.name << "=" << service::roleName(variant.role) << ":"
                    << variant.share << " ";
            out << "\n";
        }
        return 0;
    }
    if (action == "create") {
        QJsonArray variants;
        try {
            variants = jobs::parseVariants(parser.values("variant"));
        } catch (const std::invalid_argument& error) {
            return fail(QString::fromUtf8(error.what()));
        }
        QJsonObject body{{"name", name}, {"variants", variants}};
        if (parser.isSet("salt")) body.insert("salt", parser.value("salt"));
        if (parser.isSet("routes"))
            body.insert("routes", QJsonArray::fromStringList(
                                      parser.value("routes").split(u',', Qt::SkipEmptyParts)));
        const auto outcome = catalogue.define(body);
        if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
            return failWith(*error);
        out << "created " << name << " (draft); start it with `animerec ab start " << name << "`\n";
        return 0;
    }
    if (action == "start" || action == "pause" || action == "stop") {
        const auto outcome = catalogue.transition(name, action);
        if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
            return failWith(*error);
        out << name << ": "
            << experiments::statusName(std::get<experiments::ExperimentDefinition>(outcome).status)
            << "\n";
        return 0;
    }
    if (action == "report") {
        const auto options = reportOptions(parser);
        if (!options) return 2;
        const auto outcome = catalogue.report(name, *options);
        if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
            return failWith(*error);
        const auto& report = std::get<experiments::AbReport>(outcome);
        if (parser.isSet("json") || !parser.value("output").isEmpty())
            printJson(experiments::toJson(report), parser.value("output"));
        if (!parser.isSet("json")) out << experiments::toText(report);
        return 0;
    }
    QTextStream(stderr) << "ab: unknown action '" << action << "'\n" << kUsage;
    return 2;
}

}  // namespace animerec::cli

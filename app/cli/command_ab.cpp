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
#include "data/dataset.h"
#include "experiments/ab_report.h"
#include "experiments/experiment_service.h"
#include "experiments/replay_simulator.h"
#include "models/model_factory.h"
#include "service/model_registry.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"

namespace animerec::cli {

namespace {

const char* kUsage =
    "usage: animerec ab <action> [options]\n"
    "  create NAME --variant NAME=ROLE[:SHARE[:VERSION]] ... [--salt S] [--routes R,R]\n"
    "  start NAME | pause NAME | stop NAME | list\n"
    "  report NAME [--k 10] [--lift 0.1] [--bucket hour|day] [--json]\n"
    "  simulate --variants A,B [--models-dir DIR] [--k 10] [--holdout 0.2] [--max-users N] "
    "[--json]\n"
    "ROLE is popularity, content, collaborative or session; every action takes --db PATH.\n";

int fail(const QString& message) {
    QTextStream(stderr) << "ab: " << message << "\n";
    return 1;
}

int failWith(const experiments::ExperimentError& error) {
    return fail(error.field.isEmpty() ? error.message : error.field + ": " + error.message);
}

// "control=collaborative:0.5:20240101T000000Z" -> a variant object of the definition JSON.
std::optional<QJsonObject> variantFromText(const QString& text) {
    const qsizetype equals = text.indexOf(u'=');
    if (equals <= 0) return std::nullopt;
    const QStringList parts = text.mid(equals + 1).split(u':');
    QJsonObject variant{{"name", text.left(equals)}, {"role", parts.value(0)}};
    if (parts.size() > 1 && !parts[1].isEmpty()) {
        bool ok = false;
        const double share = parts[1].toDouble(&ok);
        if (!ok) return std::nullopt;
        variant.insert("share", share);
    }
    if (parts.size() > 2) variant.insert("model_version", parts.mid(2).join(u':'));
    return variant;
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
    QTextStream err(stderr);
    const auto holdout = realOption(parser, "holdout", 0.01, 0.99);
    const auto minInteractions = integerOption(parser, "min-interactions", 2, 1000000);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<int>::max());
    const auto maxUsers = integerOption(parser, "max-users", 0, 100000000);
    const auto options = reportOptions(parser);
    if (!holdout || !minInteractions || !seed || !maxUsers || !options) return 2;
    const QStringList names = parser.value("variants").split(u',', Qt::SkipEmptyParts);
    if (names.size() < 2) return fail("--variants needs at least two comma-separated names");

    storage::Database database(parser.value("db"), QStringLiteral("animerec-ab-simulate"));
    if (const QSqlError error = database.open(); error.isValid())
        return fail(database.path() + ": " + error.text());
    Dataset all;
    {
        TerminalProgress bar("rows");
        all = storage::loadDataset(database, bar.callback());
        bar.finish();
    }
    if (all.interactions.size() == 0)
        return fail(database.path() + " holds no interactions; run `animerec import`");
    Split split =
        holdoutSplit(all.interactions, HoldoutOptions{*holdout, static_cast<int>(*minInteractions),
                                                      false, static_cast<std::uint64_t>(*seed)});
    if (*maxUsers > 0) {
        int kept = 0;
        for (HeldOut& heldOut : split.test)
            if (!heldOut.items.empty() && ++kept > *maxUsers) heldOut = {};
    }
    const Dataset train{all.catalog, split.train};

    std::vector<experiments::SimulationArm> arms;
    const QString modelsDir = parser.value("models-dir");
    service::ModelRegistry registry;
    if (!modelsDir.isEmpty()) {
        err << "ab simulate: models from " << modelsDir
            << " were trained on all interactions, held-out ones "
            << "included; their numbers are optimistic (leave out --models-dir to fit on the train "
               "part)\n";
        const service::ReloadReport loaded = registry.loadDirectory(modelsDir);
        for (const QString& failed : loaded.failed) err << "ab simulate: " << failed << "\n";
    }
    for (const QString& name : names) {
        experiments::SimulationArm arm;
        arm.name = name;
        if (!modelsDir.isEmpty()) {
            const auto role = experiments::parseRole(name);
            if (!role)
                return fail(
                    "with --models-dir, variants are roles (popularity, content, collaborative, "
                    "session), not " +
                    name);
            const auto served = registry.get(*role);
            if (!served) return fail("no " + name + " model in " + modelsDir);
            arm.role = *role;
            arm.model = served->model;
            arm.version = served->version;
        } else {
            std::unique_ptr<Recommender> model = createRecommender(name.toStdString());
            err << "ab simulate: fitting " << name << " on " << split.train.size()
                << " train interactions\n";
            TerminalProgress bar("steps");
            model->fit(train, bar.callback());
            bar.finish();
            arm.role = *service::roleOfFamily(name);  // a family createRecommender knows
            arm.model = std::move(model);
            arm.version = QStringLiteral("replay-fit");
        }
        arms.push_back(std::move(arm));
    }
    experiments::SimulationOptions simulationOptions;
    simulationOptions.k = options->k;
    simulationOptions.paired = !parser.isSet("assign");
    experiments::Simulation simulation;
    {
        TerminalProgress bar("users");
        simulation = experiments::simulateReplay(all.catalog, split, arms, simulationOptions,
                                                 bar.callback());
        bar.finish();
    }
    experiments::ReportOptions report = *options;
    report.catalogueSize = all.catalog.size();
    const experiments::AbReport result = experiments::buildReport(
        simulation.experiment, simulation.exposures, simulation.feedback, report);
    if (parser.isSet("json") || !parser.value("output").isEmpty())
        printJson(experiments::toJson(result), parser.value("output"));
    if (!parser.isSet("json")) QTextStream(stdout) << experiments::toText(result);
    return 0;
}

}  // namespace

int runAb(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOptions({
        {"db", "SQLite file or postgresql://user:password@host:port/dbname URL.", "path",
         defaultDatabasePath()},
        {"variant", "create: NAME=ROLE[:SHARE[:VERSION]] (repeat per variant).", "spec"},
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
    experiments::ExperimentService service(parser.value("db"), nullptr);
    if (const QString error = service.open(); !error.isEmpty()) return fail(error);
    QTextStream out(stdout);
    if (action == "list") {
        for (const auto& experiment : service.experiments()) {
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
        for (const QString& text : parser.values("variant")) {
            const auto variant = variantFromText(text);
            if (!variant)
                return fail("--variant '" + text + "' is not NAME=ROLE[:SHARE[:VERSION]]");
            variants.append(*variant);
        }
        QJsonObject body{{"name", name}, {"variants", variants}};
        if (parser.isSet("salt")) body.insert("salt", parser.value("salt"));
        if (parser.isSet("routes"))
            body.insert("routes", QJsonArray::fromStringList(
                                      parser.value("routes").split(u',', Qt::SkipEmptyParts)));
        const auto outcome = service.define(body);
        if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
            return failWith(*error);
        out << "created " << name << " (draft); start it with `animerec ab start " << name << "`\n";
        return 0;
    }
    if (action == "start" || action == "pause" || action == "stop") {
        const auto outcome = service.transition(name, action);
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
        const auto outcome = service.report(name, *options);
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

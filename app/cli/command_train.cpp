// `animerec train`: fits the requested model families (default: every family) on the imported
// dataset through the training job (jobs/training_job.h): versioned model files, the
// collaborative choice (collaborative.json), the quality gate per role (a model worse than the
// published one by more than --gate-margin is refused, exit code 3, unless --force), the
// popularity top-100 list and the publication to the database. This file maps flags to the
// job's settings and prints what it did.
#include <QCommandLineParser>
#include <QTextStream>
#include <limits>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "jobs/collaborative_choice.h"
#include "jobs/training_job.h"
#include "models/model_factory.h"

namespace animerec::cli {

namespace {

void printResult(const jobs::TrainingResult& result, std::uint64_t seed, QTextStream& out,
                 QTextStream& err) {
    out << "dataset: " << result.anime << " anime, " << result.users << " users, "
        << result.interactions << " interactions\n";
    for (const jobs::FamilyTraining& family : result.families) {
        const QString name = QString::fromStdString(family.family);
        if (!family.error.isEmpty()) {
            err << "train: " << name << " failed: " << family.error << "\n";
            continue;
        }
        if (!family.note.isEmpty()) out << "  " << name << ": not tuned: " << family.note << "\n";
        if (family.bestTrial >= 0)
            out << "  " << name << ": tuned over " << family.trials.size()
                << " trials: " << QString::fromStdString(describeParameters(family.parameters))
                << " (validation "
                << QString::number(family.trials[std::size_t(family.bestTrial)].score, 'f', 4)
                << ")\n";
        out << "  " << name.leftJustified(11) << QString::number(family.fitSeconds, 'f', 2)
            << " s  (" << family.fileBytes << " bytes)\n";
    }
    if (result.collaborativeChoice) {
        out << "collaborative model, validation split of the training data (seed " << seed
            << "):\n";
        for (const QString& line : jobs::choiceTable(*result.collaborativeChoice))
            out << "  " << line << "\n";
    }
    if (!result.collaborativeFamily.empty())
        out << "  collaborative: " << QString::fromStdString(result.collaborativeFamily) << ", "
            << result.collaborativeReason << "\n";
    for (const jobs::RoleGate& gate : result.gates)
        out << "  quality gate, " << gate.record.role << ": " << gate.record.summary() << "\n";
    for (const QString& path : result.written) out << "  -> " << path << "\n";
    for (const QString& note : result.notes) err << "train: " << note << "\n";
    if (result.published) {
        if (!result.published->ok())
            err << "train: files not published to " << result.database << ": "
                << result.published->error << "\n";
        else
            out << "  published to " << result.database << ": " << result.published->stored.size()
                << " file(s), " << result.published->bytesStored << " bytes ("
                << result.published->unchanged.size() << " unchanged)\n";
    }
    for (const QString& refusal : result.refusals)
        err << "train: quality gate: " << refusal << " (--force publishes it anyway)\n";
}

}  // namespace

int runTrain(const QStringList& args) {
    if (args.size() > 1 && args.at(1) == QLatin1String("collaborative"))
        return runTrainCollaborative(args);
    const jobs::TrainingSettings defaults;
    QCommandLineParser parser;
    parser.addOption({"db",
                      "SQLite file or postgresql://user:password@host:port/dbname URL (default: "
                      "$ANIMEREC_DB or var/animerec.sqlite).",
                      "PATH", defaultDatabasePath()});
    const QString known = QString::fromStdString([] {
        std::string names;
        for (const auto& name : knownModelNames()) names += (names.empty() ? "" : ",") + name;
        return names;
    }());
    parser.addOption(
        {"models",
         "Comma-separated model families to train (default: every family: " + known + ").",
         "LIST"});
    parser.addOption(
        {"out-dir", "Directory for the <name>.model files.", "DIR", defaults.modelsDirectory});
    parser.addOption({"top100", "Where to write the popularity top-100 JSON (empty: skip).", "FILE",
                      "var/top100.json"});
    parser.addOption({"param",
                      "Hyper-parameters FAMILY.NAME=NUMBER, comma-separated or repeated, e.g. "
                      "als.factors=128; with --tune a grid als.factors=32|64|128.",
                      "SPEC"});
    parser.addOption({"tune",
                      "Search each family's parameters first (its --param grid, else the default "
                      "search space) on a validation split carved from the data."});
    parser.addOption({"publish",
                      "Store the trained files in the database for other replicas "
                      "(default: only when --db is PostgreSQL)."});
    parser.addOption({"no-publish", "Do not store the trained files in the database."});
    parser.addOption({"seed",
                      "Seed of the validation split tuning, the collaborative choice and the "
                      "quality gate use.",
                      "SEED", QString::number(defaults.seed)});
    parser.addOption({"gate-margin",
                      "Quality gate: refuse a model whose validation NDCG@10 is more than this "
                      "share below the published model's of its role.",
                      "SHARE", QString::number(defaults.gateMargin)});
    parser.addOption({"force", "Publish models the quality gate refuses (recorded as forced)."});
    if (const auto exit = parseOrExit(parser, args,
                                      "Trains models on the imported dataset and saves versioned "
                                      "model files.\n\n" +
                                          modelFamiliesHelp()))
        return *exit;

    QTextStream err(stderr);
    QTextStream out(stdout);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    const auto margin = realOption(parser, "gate-margin", 0.0, 0.99);
    if (!seed || !margin) return 2;
    jobs::TrainingSettings settings;
    settings.databasePath = parser.value("db");
    settings.modelsDirectory = parser.value("out-dir");
    settings.top100Path = parser.value("top100");
    settings.seed = std::uint64_t(*seed);
    settings.gateMargin = *margin;
    settings.force = parser.isSet("force");
    settings.tune = parser.isSet("tune");
    settings.publishing = parser.isSet("no-publish") ? jobs::Publishing::Never
                          : parser.isSet("publish")  ? jobs::Publishing::Always
                                                     : jobs::Publishing::WhenPostgres;
    for (const QString& name : parser.value("models").split(',', Qt::SkipEmptyParts))
        settings.families.push_back(name.trimmed().toStdString());
    if (parser.isSet("models") && settings.families.empty()) {
        err << "train: --models is empty (known: " << known << ")\n";
        return 2;
    }
    jobs::TrainingResult result;
    try {
        settings.parameters = jobs::parseParameterGrids(parser.values("param").join(','));
        TerminalProgress bar("units");
        result = jobs::runTraining(settings, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        err << "train: cancelled; the served models are unchanged\n";
        return 130;
    } catch (const std::invalid_argument& error) {
        err << "train: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        err << "train: " << error.what() << "\n";
        return 1;
    }
    printResult(result, settings.seed, out, err);
    if (result.failures() > 0 || (result.published && !result.published->ok())) return 1;
    return result.refusals.isEmpty() ? 0 : 3;
}

}  // namespace animerec::cli

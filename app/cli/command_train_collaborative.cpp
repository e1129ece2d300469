// `animerec train collaborative [--tune]`: chooses the model that serves /recommend_collaborative
// (jobs/collaborative_choice_job.h runs the choice; this file maps flags to its settings and
// prints the outcome).
#include <QCommandLineParser>
#include <QTextStream>
#include <limits>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "jobs/collaborative_choice.h"
#include "jobs/collaborative_choice_job.h"
#include "models/model_factory.h"

namespace animerec::cli {

int runTrainCollaborative(const QStringList& commandArgs) {
    // "train collaborative --tune" parses as the command "train collaborative" with its options.
    QStringList args = commandArgs;
    args.removeAt(1);
    args[0] = QStringLiteral("train collaborative");
    const jobs::CollaborativeChoiceSettings defaults;
    QCommandLineParser parser;
    parser.addOption({"db",
                      "SQLite file or postgresql://user:password@host:port/dbname URL (default: "
                      "$ANIMEREC_DB or var/animerec.sqlite).",
                      "PATH", defaultDatabasePath()});
    parser.addOption({"out-dir", "Directory for <family>.model and collaborative.json.", "DIR",
                      defaults.modelsDirectory});
    parser.addOption(
        {"families", "Comma-separated families that compete (default: every collaborative family).",
         "LIST", ""});
    parser.addOption({"tune", "Search each family's default hyper-parameter space first."});
    parser.addOption(
        {"seed", "Seed of the validation split.", "SEED", QString::number(defaults.seed)});
    parser.addOption({"threads", "Evaluation worker threads (0 = all cores).", "N", "0"});
    parser.addOption({"publish",
                      "Store the model and collaborative.json in the database for "
                      "other replicas (default: only when --db is PostgreSQL)."});
    parser.addOption({"no-publish", "Do not store the trained files in the database."});
    if (const auto exit = parseOrExit(
            parser, args,
            "Chooses the collaborative model by NDCG@10 on a validation split, trains it on all "
            "data and saves it.\n\n" +
                modelFamiliesHelp(ModelKind::Collaborative)))
        return *exit;

    QTextStream err(stderr);
    QTextStream out(stdout);
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    const auto threads = integerOption(parser, "threads", 0, 1024);
    if (!seed || !threads) return 2;
    jobs::CollaborativeChoiceSettings settings;
    settings.databasePath = parser.value("db");
    settings.modelsDirectory = parser.value("out-dir");
    settings.tune = parser.isSet("tune");
    settings.seed = std::uint64_t(*seed);
    settings.threads = int(*threads);
    settings.publishing = parser.isSet("no-publish") ? jobs::Publishing::Never
                          : parser.isSet("publish")  ? jobs::Publishing::Always
                                                     : jobs::Publishing::WhenPostgres;
    for (const QString& name : parser.value("families").split(',', Qt::SkipEmptyParts))
        settings.families.push_back(name.trimmed().toStdString());
    if (parser.isSet("families") && settings.families.empty()) {
        err << "train collaborative: --families is empty\n";
        return 2;
    }

    jobs::CollaborativeChoiceResult result;
    try {
        TerminalProgress bar("units");
        result = jobs::runCollaborativeChoice(settings, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        err << "train collaborative: cancelled; the served model and collaborative.json are "
               "unchanged\n";
        return 130;
    } catch (const std::invalid_argument& error) {
        err << "train collaborative: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        err << "train collaborative: " << error.what() << "\n";
        return 1;
    }
    for (const QString& line : jobs::choiceTable(result.choice)) out << line << "\n";
    const QString family = QString::fromStdString(result.choice.best().family);
    out << "chosen: " << family << "\n";
    out << "  " << jobs::choiceReason(result.choice) << "\n";
    out << "  " << family << " trained in " << QString::number(result.trainSeconds, 'f', 2)
        << " s -> " << result.modelPath << "\n  choice -> " << result.choicePath << "\n";
    for (const QString& note : result.notes) err << "train collaborative: " << note << "\n";
    if (result.published) {
        if (!result.published->ok()) {
            err << "train collaborative: files not published to " << result.database << ": "
                << result.published->error << "\n";
            return 1;
        }
        out << "  published to " << result.database << ": " << result.published->stored.join(", ")
            << " (" << result.published->bytesStored << " bytes)\n";
    }
    return 0;
}

}  // namespace animerec::cli

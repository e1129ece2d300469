// `animerec train collaborative [--tune]`: chooses the model that serves /recommend_collaborative.
// Every collaborative family (defaults, or each family's default search with --tune) competes on a
// validation split carved from the imported data; the winner by NDCG@10 is refitted on all of it
// and saved with collaborative.json (jobs/collaborative_choice.h), which names it for `serve` and
// Studio, and the validation results are stored as an evaluation run for Studio's history.
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>
#include <limits>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "eval/model_selection.h"
#include "jobs/collaborative_choice.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/evaluation_store.h"
#include "storage/model_store.h"

namespace animerec::cli {

int runTrainCollaborative(const QStringList& commandArgs) {
    // "train collaborative --tune" parses as the command "train collaborative" with its options.
    QStringList args = commandArgs;
    args.removeAt(1);
    args[0] = QStringLiteral("train collaborative");
    QCommandLineParser parser;
    parser.addOption({"db",
                      "SQLite file or postgresql://user:password@host:port/dbname URL (default: "
                      "$ANIMEREC_DB or var/animerec.sqlite).",
                      "PATH", defaultDatabasePath()});
    parser.addOption(
        {"out-dir", "Directory for <family>.model and collaborative.json.", "DIR", "var/models"});
    parser.addOption(
        {"families", "Comma-separated families that compete (default: every collaborative family).",
         "LIST", ""});
    parser.addOption({"tune", "Search each family's default hyper-parameter space first."});
    parser.addOption({"seed", "Seed of the validation split.", "SEED", "42"});
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
    ModelChoiceOptions options;
    options.families.clear();
    options.tune = parser.isSet("tune");
    options.seed = std::uint64_t(*seed);
    options.threads = int(*threads);
    for (const QString& name : parser.value("families").split(',', Qt::SkipEmptyParts))
        options.families.push_back(name.trimmed().toStdString());
    if (!parser.isSet("families")) options.families = modelNamesOfKind(ModelKind::Collaborative);
    try {
        for (const auto& family : options.families)
            if (kindOfModel(family) != ModelKind::Collaborative)
                throw std::invalid_argument("'" + family + "' is not a collaborative family");
    } catch (const std::invalid_argument& error) {
        err << "train collaborative: " << error.what() << "\n";
        return 2;
    }
    if (options.families.empty()) {
        err << "train collaborative: --families is empty\n";
        return 2;
    }

    storage::Database database(parser.value("db"), QStringLiteral("animerec-train-collab"));
    if (const QSqlError error = database.open(); error.isValid()) {
        err << "train collaborative: cannot open " << database.path() << ": " << error.text()
            << "\n";
        return 1;
    }
    const QString outDir = parser.value("out-dir");
    try {
        Dataset data;
        {
            TerminalProgress bar("rows");
            data = storage::loadDataset(database, bar.callback());
            bar.finish();
        }
        if (data.interactions.size() == 0) {
            err << "train collaborative: " << database.path()
                << " holds no interactions; run `animerec import` first\n";
            return 1;
        }
        QElapsedTimer total;
        total.start();
        ModelChoice choice;
        {
            TerminalProgress bar("units");
            choice = chooseModel(data, options, bar.callback());
            bar.finish();
        }
        for (const QString& line : jobs::choiceTable(choice)) out << line << "\n";
        const SelectionCandidate& best = choice.best();
        out << "chosen: " << QString::fromStdString(best.family) << "\n";
        out.flush();

        auto model = createRecommender(best.family, best.parameters);
        QElapsedTimer fit;
        fit.start();
        {
            TerminalProgress bar("steps");
            model->fit(data, bar.callback());
            bar.finish();
        }
        const double trainSeconds = double(fit.nsecsElapsed()) / 1e9;
        if (!QDir().mkpath(outDir)) {
            err << "train collaborative: cannot create " << outDir << "\n";
            return 1;
        }
        const QString family = QString::fromStdString(best.family);
        const QString path = QDir(outDir).filePath(family + ".model");
        // The model file first: collaborative.json must never name a file that is not there.
        saveModelFile(path.toStdString(), *model);

        const QString jsonPath = QDir(outDir).filePath(jobs::kCollaborativeChoiceFile);
        const double seconds = double(total.nsecsElapsed()) / 1e9;
        const QJsonObject document =
            jobs::choiceDocument(choice, QFileInfo(path).fileName(), options.tune,
                                 {trainSeconds, seconds - trainSeconds});
        if (const QString error = jobs::writeChoiceDocument(jsonPath, document); !error.isEmpty()) {
            err << "train collaborative: cannot write " << jsonPath << ": " << error << "\n";
            return 1;
        }
        out << "  " << jobs::choiceReason(choice) << "\n";
        out << "  " << family << " trained in " << QString::number(trainSeconds, 'f', 2) << " s -> "
            << path << "\n  choice -> " << jsonPath << "\n";
        if (!parser.isSet("no-publish") &&
            (parser.isSet("publish") || database.backend() == storage::Backend::Postgres)) {
            // Both in one transaction: a replica never sees a choice without its model.
            const storage::ModelPublishResult published =
                storage::publishModelFiles(database, {path, jsonPath});
            if (!published.ok()) {
                err << "train collaborative: files not published to " << database.path() << ": "
                    << published.error << "\n";
                return 1;
            }
            out << "  published to " << database.path() << ": " << published.stored.join(", ")
                << " (" << published.bytesStored << " bytes)\n";
        }

        // The validation results as an evaluation run, so Studio's history shows the choice.
        const EvaluationReport report = jobs::choiceReport(choice);
        if (const QSqlError error =
                storage::EvaluationStore(database).saveRun(report, *seed, 10, nullptr);
            error.isValid())
            err << "train collaborative: validation results not stored: " << error.text() << "\n";
    } catch (const OperationCancelled&) {
        err << "train collaborative: cancelled; the served model and collaborative.json are "
               "unchanged\n";
        return 130;
    }
    return 0;
}

}  // namespace animerec::cli

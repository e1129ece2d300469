// `animerec train`: fits the requested model families (default: every family) on the imported
// dataset, saves one versioned model file per family and the popularity top-100 list the HTTP
// service serves to brand-new users. When collaborative families are trained, the one that serves
// /recommend_collaborative is chosen by NDCG@10 on a validation split carved from the data and
// recorded in collaborative.json. Generic over the factory: a new family needs no change here.
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "eval/model_selection.h"
#include "jobs/collaborative_choice.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/model_store.h"

namespace animerec::cli {

namespace {

// "--param als.factors=128" -> parameters["als"]["factors"] = 128; nullopt (after printing why)
// when malformed.
std::optional<std::map<std::string, ModelParameters>> parseParameters(const QStringList& values) {
    std::map<std::string, ModelParameters> byModel;
    for (const QString& text : values) {
        const int dot = text.indexOf('.');
        const int equals = text.indexOf('=');
        bool ok = false;
        const double value = equals > 0 ? text.mid(equals + 1).toDouble(&ok) : 0.0;
        if (dot <= 0 || equals <= dot + 1 || !ok) {
            QTextStream(stderr) << "train: --param '" << text
                                << "' is not MODEL.NAME=NUMBER (e.g. als.factors=128)\n";
            return std::nullopt;
        }
        byModel[text.left(dot).toStdString()][text.mid(dot + 1, equals - dot - 1).toStdString()] =
            value;
    }
    return byModel;
}

// Writes [{anime_id, title, genre, type, score, rank}, ...] atomically (QSaveFile).
QString writeTop100(const QString& path, const PopularityModel& popularity,
                    const Catalog& catalog) {
    QJsonArray list;
    int rank = 0;
    for (const ScoredItem& item : popularity.top(100)) {
        const AnimeRecord& anime = catalog.at(item.item);
        list.append(QJsonObject{{"anime_id", static_cast<qint64>(anime.animeId)},
                                {"title", QString::fromStdString(anime.title)},
                                {"genre", QString::fromStdString(joinGenres(anime.genres))},
                                {"type", QString::fromStdString(anime.type)},
                                {"score", static_cast<double>(item.score)},
                                {"rank", ++rank}});
    }
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return "cannot create directory " + info.absolutePath();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return file.errorString();
    file.write(QJsonDocument(list).toJson(QJsonDocument::Indented));
    if (!file.commit()) return file.errorString();
    return {};
}

// Chooses which of the trained collaborative `families` serves, by NDCG@10 on a validation split
// carved from `data` (each family refitted there with the same parameters), prints the table and
// writes collaborative.json. Returns the file written, an empty string when cancelled, or nullopt
// after printing why it failed.
std::optional<QString> chooseCollaborative(const Dataset& data,
                                           const std::vector<std::string>& families,
                                           const std::map<std::string, ModelParameters>& parameters,
                                           std::uint64_t seed, const QString& outDir,
                                           QTextStream& out, QTextStream& err) {
    ModelChoiceOptions options;
    options.families = families;
    options.parameters = parameters;
    options.seed = seed;
    QElapsedTimer timer;
    timer.start();
    ModelChoice choice;
    try {
        TerminalProgress bar("units");
        choice = chooseModel(data, options, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        err << "train: cancelled while choosing the collaborative model; collaborative.json is "
               "unchanged\n";
        return QString();
    } catch (const std::invalid_argument& error) {
        if (families.size() > 1) {
            err << "train: cannot choose the collaborative model: " << error.what() << "\n";
            return std::nullopt;
        }
        // One family needs no choice; say that it was not validated, and why.
        const QString path = QDir(outDir).filePath(jobs::kCollaborativeChoiceFile);
        const QString family = QString::fromStdString(families.front());
        const QString reason = "the only collaborative family trained (not validated: " +
                               QString::fromUtf8(error.what()) + ")";
        const QString failure = jobs::writeChoiceDocument(
            path, QJsonObject{{"model", family}, {"reason", reason}, {"file", family + ".model"}});
        if (!failure.isEmpty()) {
            err << "train: cannot write " << path << ": " << failure << "\n";
            return std::nullopt;
        }
        out << "  serving " << family << ": " << reason << " -> " << path << "\n";
        return path;
    }
    out << "collaborative model, validation split of the training data (seed " << seed << "):\n";
    for (const QString& line : jobs::choiceTable(choice)) out << "  " << line << "\n";
    const QString family = QString::fromStdString(choice.best().family);
    const QString path = QDir(outDir).filePath(jobs::kCollaborativeChoiceFile);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const QString error = jobs::writeChoiceDocument(
        path, jobs::choiceDocument(choice, family + ".model", false, {0.0, seconds}));
    if (!error.isEmpty()) {
        err << "train: cannot write " << path << ": " << error << "\n";
        return std::nullopt;
    }
    out << "  serving " << family << ": " << jobs::choiceReason(choice) << " -> " << path << "\n";
    return path;
}

}  // namespace

int runTrain(const QStringList& args) {
    if (args.size() > 1 && args.at(1) == QLatin1String("collaborative"))
        return runTrainCollaborative(args);
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
    parser.addOption({"out-dir", "Directory for the <name>.model files.", "DIR", "var/models"});
    parser.addOption({"top100", "Where to write the popularity top-100 JSON (empty: skip).", "FILE",
                      "var/top100.json"});
    parser.addOption({"param",
                      "Hyper-parameter MODEL.NAME=NUMBER (repeatable), e.g. "
                      "als.factors=128.",
                      "SPEC"});
    parser.addOption({"publish",
                      "Store the trained files in the database for other replicas "
                      "(default: only when --db is PostgreSQL)."});
    parser.addOption({"no-publish", "Do not store the trained files in the database."});
    parser.addOption(
        {"seed", "Seed of the validation split the collaborative choice uses.", "SEED", "42"});
    if (const auto exit = parseOrExit(parser, args,
                                      "Trains models on the imported dataset and saves versioned "
                                      "model files."))
        return *exit;

    QTextStream err(stderr);
    QTextStream out(stdout);
    const auto parameters = parseParameters(parser.values("param"));
    if (!parameters) return 2;
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    if (!seed) return 2;
    std::vector<std::string> names;
    for (const QString& name : parser.value("models").split(',', Qt::SkipEmptyParts))
        names.push_back(name.trimmed().toStdString());
    if (!parser.isSet("models")) names = knownModelNames();
    if (names.empty()) {
        err << "train: --models is empty (known: " << known << ")\n";
        return 2;
    }
    // Build every model before loading anything, so a typo fails in milliseconds.
    std::vector<std::unique_ptr<Recommender>> models;
    try {
        for (const auto& name : names) {
            const auto it = parameters->find(name);
            models.push_back(
                createRecommender(name, it == parameters->end() ? ModelParameters{} : it->second));
        }
        for (const auto& [name, unused] : *parameters)
            if (std::find(names.begin(), names.end(), name) == names.end())
                throw std::invalid_argument("--param for '" + name + "', which is not in --models");
    } catch (const std::invalid_argument& error) {
        err << "train: " << error.what() << "\n";
        return 2;
    }

    storage::Database database(parser.value("db"), QStringLiteral("animerec-train"));
    if (const QSqlError error = database.open(); error.isValid()) {
        err << "train: cannot open " << database.path() << ": " << error.text() << "\n";
        return 1;
    }
    Dataset data;
    try {
        TerminalProgress bar("rows");
        data = storage::loadDataset(database, bar.callback());
        bar.finish();
    } catch (const OperationCancelled&) {
        err << "train: cancelled\n";
        return 130;
    }
    if (data.catalog.size() == 0) {
        err << "train: " << database.path() << " holds no anime; run `animerec import` first\n";
        return 1;
    }
    out << "dataset: " << data.catalog.size() << " anime, " << data.interactions.userCount()
        << " users, " << data.interactions.size() << " interactions\n";

    const QString outDir = parser.value("out-dir");
    const PopularityModel* popularity = nullptr;
    int failures = 0;
    QStringList written;                     // what a publish sends
    std::vector<std::string> collaborative;  // families trained and saved for that role
    for (auto& model : models) {
        const QString name = QString::fromStdString(model->name());
        const QString path = QDir(outDir).filePath(name + ".model");
        QElapsedTimer timer;
        timer.start();
        try {
            TerminalProgress bar("steps");
            model->fit(data, bar.callback());
            bar.finish();
            saveModelFile(path.toStdString(), *model);
        } catch (const OperationCancelled&) {
            err << "train: cancelled during " << name << "; files already written are kept\n";
            return 130;
        } catch (const std::exception& error) {
            err << "train: " << name << " failed: " << error.what() << "\n";
            ++failures;
            continue;
        }
        out << "  " << name.leftJustified(11) << QString::number(timer.elapsed() / 1000.0, 'f', 2)
            << " s  -> " << path << " (" << QFileInfo(path).size() << " bytes)\n";
        written << path;
        if (auto* p = dynamic_cast<const PopularityModel*>(model.get())) popularity = p;
        if (kindOfModel(model->name()) == ModelKind::Collaborative)
            collaborative.push_back(model->name());
    }

    if (!collaborative.empty()) {
        const auto choice = chooseCollaborative(data, collaborative, *parameters,
                                                std::uint64_t(*seed), outDir, out, err);
        if (!choice) return 1;
        if (choice->isEmpty()) return 130;
        written << *choice;
    }

    const QString top100 = parser.value("top100");
    if (!top100.isEmpty()) {
        // The list needs the popularity model even when it was not asked for; it fits in a blink.
        PopularityModel fallback;
        if (!popularity) {
            fallback.fit(data);
            popularity = &fallback;
        }
        if (const QString error = writeTop100(top100, *popularity, data.catalog);
            !error.isEmpty()) {
            err << "train: cannot write " << top100 << ": " << error << "\n";
            return 1;
        }
        out << "  top-100 by popularity -> " << top100 << "\n";
        written << top100;
    }
    if (failures > 0) return 1;  // replicas keep the last complete set

    const bool publish =
        !parser.isSet("no-publish") &&
        (parser.isSet("publish") || database.backend() == storage::Backend::Postgres);
    if (publish) {
        const storage::ModelPublishResult published = storage::publishModelFiles(database, written);
        if (!published.ok()) {
            err << "train: files not published to " << database.path() << ": " << published.error
                << "\n";
            return 1;
        }
        out << "  published to " << database.path() << ": " << published.stored.size()
            << " file(s), " << published.bytesStored << " bytes (" << published.unchanged.size()
            << " unchanged)\n";
    }
    return 0;
}

}  // namespace animerec::cli

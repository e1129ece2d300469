// `animerec train`: fits the requested model families (default: every family) on the imported
// dataset, saves one versioned model file per family and the popularity top-100 list the HTTP
// service serves to brand-new users. When collaborative families are trained, the one that serves
// /recommend_collaborative is chosen by NDCG@10 on a validation split carved from the data and
// recorded in collaborative.json. Every role then passes the quality gate (jobs/role_gate.h): a
// model worse than the published one by more than --gate-margin is refused (exit code 3) and the
// published one keeps serving, unless --force. Generic over the factory: a new family needs no
// change here.
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
#include "jobs/role_gate.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "service/gate_record.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/evaluation_store.h"
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

// The collaborative role's choice: which trained family serves, and collaborative.json's
// document (written only once the family passed the quality gate).
struct CollaborativeChoice {
    std::string family;
    QJsonObject document;
};

// Chooses which of the trained collaborative `families` serves, by NDCG@10 on a validation split
// carved from `data` (each family refitted there with the same parameters), and prints the table.
// nullopt after printing why it failed; OperationCancelled propagates.
std::optional<CollaborativeChoice> chooseCollaborative(
    const Dataset& data, const std::vector<std::string>& families,
    const std::map<std::string, ModelParameters>& parameters, std::uint64_t seed, QTextStream& out,
    QTextStream& err) {
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
    } catch (const std::invalid_argument& error) {
        if (families.size() > 1) {
            err << "train: cannot choose the collaborative model: " << error.what() << "\n";
            return std::nullopt;
        }
        // One family needs no choice; say that it was not validated, and why.
        const QString family = QString::fromStdString(families.front());
        const QString reason = "the only collaborative family trained (not validated: " +
                               QString::fromUtf8(error.what()) + ")";
        out << "  collaborative: " << family << ", " << reason << "\n";
        return CollaborativeChoice{
            families.front(),
            QJsonObject{{"model", family}, {"reason", reason}, {"file", family + ".model"}}};
    }
    out << "collaborative model, validation split of the training data (seed " << seed << "):\n";
    for (const QString& line : jobs::choiceTable(choice)) out << "  " << line << "\n";
    const QString family = QString::fromStdString(choice.best().family);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    out << "  collaborative: " << family << ", " << jobs::choiceReason(choice) << "\n";
    return CollaborativeChoice{choice.best().family, jobs::choiceDocument(choice, family + ".model",
                                                                          false, {0.0, seconds})};
}

// The gate's decision as an evaluation run (Studio's history lists it beside evaluations).
void recordGate(storage::Database& database, const service::GateRecord& gate, std::uint64_t seed,
                QTextStream& err) {
    EvaluationReport report;
    report.protocol = {{"purpose", "quality_gate"},
                       {"role", gate.role.toStdString()},
                       {"decision", gate.decision.toStdString()},
                       {"margin", std::to_string(gate.margin)},
                       {"published_version", gate.publishedVersion.toStdString()}};
    report.ks = {10};
    ModelReport candidate;
    candidate.model = "candidate " + gate.candidateModel.toStdString();
    candidate.metrics = {{"ndcg@10", gate.candidateScore}};
    report.models.push_back(candidate);
    if (!gate.publishedModel.isEmpty()) {
        ModelReport published;
        published.model = "published " + gate.publishedModel.toStdString();
        published.metrics = {{"ndcg@10", gate.publishedScore}};
        report.models.push_back(published);
    }
    if (const QSqlError error =
            storage::EvaluationStore(database).saveRun(report, qint64(seed), 10);
        error.isValid())
        err << "train: the gate decision was not stored: " << error.text() << "\n";
}

// Replaces `final` by `staged` (the file a reload reads changes in one rename).
QString promote(const QString& staged, const QString& final) {
    QFile::remove(final + QStringLiteral(".old"));
    if (QFile::exists(final) && !QFile::rename(final, final + QStringLiteral(".old")))
        return "cannot move " + final + " aside";
    if (!QFile::rename(staged, final)) {
        QFile::rename(final + QStringLiteral(".old"), final);
        return "cannot rename " + staged + " to " + final;
    }
    QFile::remove(final + QStringLiteral(".old"));
    return {};
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
    parser.addOption({"seed",
                      "Seed of the validation split the collaborative choice and the quality gate "
                      "use.",
                      "SEED", "42"});
    parser.addOption({"gate-margin",
                      "Quality gate: refuse a model whose validation NDCG@10 is more than this "
                      "share below the published model's of its role.",
                      "SHARE", "0.02"});
    parser.addOption({"force", "Publish models the quality gate refuses (recorded as forced)."});
    if (const auto exit = parseOrExit(parser, args,
                                      "Trains models on the imported dataset and saves versioned "
                                      "model files."))
        return *exit;

    QTextStream err(stderr);
    QTextStream out(stdout);
    const auto parameters = parseParameters(parser.values("param"));
    if (!parameters) return 2;
    const auto seed = integerOption(parser, "seed", 0, std::numeric_limits<long long>::max());
    const auto margin = realOption(parser, "gate-margin", 0.0, 0.99);
    if (!seed || !margin) return 2;
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

    // Every model is fitted on all data and saved beside its final name; the quality gate then
    // decides, role by role, whether the new files replace the served ones.
    const QString outDir = parser.value("out-dir");
    if (!QDir().mkpath(outDir)) {
        err << "train: cannot create " << outDir << "\n";
        return 1;
    }
    const PopularityModel* popularity = nullptr;
    int failures = 0;
    std::map<service::ModelRole, std::vector<std::string>> trainedByRole;  // factory order
    const auto stagedPath = [&](const std::string& family) {
        return QDir(outDir).filePath(QString::fromStdString(family) + ".model.new");
    };
    const auto roleOf = [](const std::string& family) {
        return *service::roleOfFamily(QString::fromStdString(family));  // built by the factory
    };
    for (auto& model : models) {
        const QString name = QString::fromStdString(model->name());
        const QString path = stagedPath(model->name());
        QElapsedTimer timer;
        timer.start();
        try {
            TerminalProgress bar("steps");
            model->fit(data, bar.callback());
            bar.finish();
            saveModelFile(path.toStdString(), *model);
        } catch (const OperationCancelled&) {
            err << "train: cancelled during " << name << "; the served models are unchanged\n";
            for (const auto& [role, families] : trainedByRole)
                for (const auto& family : families) QFile::remove(stagedPath(family));
            QFile::remove(path);
            return 130;
        } catch (const std::exception& error) {
            err << "train: " << name << " failed: " << error.what() << "\n";
            ++failures;
            continue;
        }
        out << "  " << name.leftJustified(11) << QString::number(timer.elapsed() / 1000.0, 'f', 2)
            << " s  (" << QFileInfo(path).size() << " bytes)\n";
        if (auto* p = dynamic_cast<const PopularityModel*>(model.get())) popularity = p;
        trainedByRole[roleOf(model->name())].push_back(model->name());
    }
    const auto parametersOf = [&](const std::string& family) {
        const auto it = parameters->find(family);
        return it == parameters->end() ? ModelParameters{} : it->second;
    };

    QStringList written;  // what a publish sends
    QStringList refusals;
    bool popularityRefused = false;  // then top100.json keeps the published ranking too
    try {
        std::optional<CollaborativeChoice> collaborative;
        if (const auto it = trainedByRole.find(service::ModelRole::Collaborative);
            it != trainedByRole.end()) {
            collaborative =
                chooseCollaborative(data, it->second, *parameters, std::uint64_t(*seed), out, err);
            if (!collaborative) return 1;
        }
        GateSettings gateSettings;
        gateSettings.margin = *margin;
        gateSettings.seed = std::uint64_t(*seed);
        for (const auto& [role, families] : trainedByRole) {
            // The family that will serve the role: the collaborative choice, else the first
            // trained in the factory's order (as the registry picks).
            const std::string candidate = role == service::ModelRole::Collaborative
                                              ? collaborative->family
                                              : families.front();
            jobs::RoleGate gate;
            {
                TerminalProgress bar("steps");
                gate = jobs::gateRole(data, outDir, role, candidate, parametersOf(candidate),
                                      gateSettings, parser.isSet("force"), bar.callback());
                bar.finish();
            }
            out << "  quality gate, " << service::roleName(role) << ": " << gate.record.summary()
                << "\n";
            if (const QString error = service::writeGateRecord(outDir, gate.record);
                !error.isEmpty())
                err << "train: cannot write the gate record: " << error << "\n";
            recordGate(database, gate.record, std::uint64_t(*seed), err);
            if (!gate.publish) {
                refusals << QStringLiteral(
                                "%1: %2 refused, validation NDCG@10 %3 against %4 %5 of "
                                "the published model (%6%, more than the %7% margin); "
                                "%4 %8 keeps serving (--force publishes it anyway)")
                                .arg(service::roleName(role), gate.record.candidateModel)
                                .arg(gate.record.candidateScore, 0, 'f', 4)
                                .arg(gate.record.publishedModel)
                                .arg(gate.record.publishedScore, 0, 'f', 4)
                                .arg(100.0 * gate.record.relativeChange, 0, 'f', 1)
                                .arg(100.0 * gate.record.margin, 0, 'f', 1)
                                .arg(gate.record.publishedVersion);
                for (const auto& family : families) QFile::remove(stagedPath(family));
                popularityRefused = popularityRefused || role == service::ModelRole::Popularity;
                continue;
            }
            for (const auto& family : families) {
                const QString final =
                    QDir(outDir).filePath(QString::fromStdString(family) + ".model");
                if (const QString error = promote(stagedPath(family), final); !error.isEmpty()) {
                    err << "train: " << error << "\n";
                    return 1;
                }
                out << "  -> " << final << "\n";
                written << final;
            }
            if (role == service::ModelRole::Collaborative) {
                // The model files first: collaborative.json never names a file that is not there.
                const QString path = QDir(outDir).filePath(jobs::kCollaborativeChoiceFile);
                if (const QString error = jobs::writeChoiceDocument(path, collaborative->document);
                    !error.isEmpty()) {
                    err << "train: cannot write " << path << ": " << error << "\n";
                    return 1;
                }
                written << path;
            }
        }
    } catch (const OperationCancelled&) {
        err << "train: cancelled; the served models are unchanged\n";
        for (const auto& [role, families] : trainedByRole)
            for (const auto& family : families) QFile::remove(stagedPath(family));
        return 130;
    }

    const QString top100 = parser.value("top100");
    if (!top100.isEmpty() && !popularityRefused) {
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
    const auto refused = [&] {
        for (const QString& line : refusals) err << "train: quality gate: " << line << "\n";
        return refusals.isEmpty() ? 0 : 3;
    };

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
    return refused();
}

}  // namespace animerec::cli

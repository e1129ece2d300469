#include "jobs/training_job.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include "eval/search_spaces.h"
#include "eval/split.h"
#include "jobs/collaborative_choice.h"
#include "jobs/evaluation_job.h"
#include "jobs/job_database.h"
#include "jobs/phase_progress.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "service/gate_record.h"
#include "storage/evaluation_store.h"

namespace animerec::jobs {

namespace {

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

// The gate's decision as an evaluation run (Studio's history lists it beside evaluations).
QSqlError recordGate(storage::Database& database, const service::GateRecord& gate,
                     std::uint64_t seed) {
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
    return storage::EvaluationStore(database).saveRun(report, qint64(seed), 10);
}

QString refusalText(const service::GateRecord& gate) {
    return QStringLiteral(
               "%1: %2 refused, validation NDCG@10 %3 against %4 %5 of the published "
               "model (%6%, more than the %7% margin); %4 %8 keeps serving")
        .arg(gate.role, gate.candidateModel)
        .arg(gate.candidateScore, 0, 'f', 4)
        .arg(gate.publishedModel)
        .arg(gate.publishedScore, 0, 'f', 4)
        .arg(100.0 * gate.relativeChange, 0, 'f', 1)
        .arg(100.0 * gate.margin, 0, 'f', 1)
        .arg(gate.publishedVersion);
}

// The search a family's tuning runs: its grid from the settings, else core's default space
// (with the fixed values given holding their parameters constant); nullopt when the family has
// neither (then `note` says why).
std::optional<HyperparameterSearchOptions> searchOf(const TrainingSettings& settings,
                                                    const std::string& family, QString& note) {
    std::string skipped;
    auto defaults = defaultSearchSpace(family, settings.seed, &skipped);
    const ModelParameters fixed = fixedParameters(settings.parameters, family);
    std::vector<ParameterRange> ranges = gridRanges(settings.parameters, family);
    HyperparameterSearchOptions search;
    if (defaults) search = *defaults;
    search.model = family;
    search.seed = settings.seed;
    if (ranges.empty()) {
        if (!defaults) {
            note = QString::fromStdString(skipped);
            return std::nullopt;
        }
        std::erase_if(search.ranges,
                      [&fixed](const ParameterRange& range) { return fixed.contains(range.name); });
    } else {
        search.ranges = std::move(ranges);
        search.randomTrials = 0;
        search.fixed.clear();
    }
    for (const auto& [name, value] : fixed) search.fixed[name] = value;
    if (search.ranges.empty()) {
        note = QStringLiteral("every searched parameter of %1 is fixed")
                   .arg(QString::fromStdString(family));
        return std::nullopt;
    }
    search.evaluator.catalogMode = ModelChoiceOptions{}.catalogMode;
    return search;
}

}  // namespace

int TrainingResult::failures() const {
    return static_cast<int>(
        std::count_if(families.begin(), families.end(),
                      [](const FamilyTraining& f) { return !f.error.isEmpty(); }));
}

TrainingResult runTraining(const TrainingSettings& settings, const ProgressCallback& progress) {
    const std::vector<std::string> families =
        settings.families.empty() ? knownModelNames() : settings.families;
    if (families.empty()) throw std::invalid_argument("no model family to train");
    if (settings.modelsDirectory.isEmpty()) throw std::invalid_argument("no models directory");
    // Build every model before loading anything, so a typo fails in milliseconds.
    for (const auto& [family, names] : settings.parameters) {
        if (std::find(families.begin(), families.end(), family) == families.end())
            throw std::invalid_argument("parameters for '" + family +
                                        "', which is not among the families trained");
        if (!settings.tune)
            for (const auto& [name, values] : names)
                if (values.size() > 1)
                    throw std::invalid_argument("parameter '" + family + "." + name +
                                                "': a grid (|) needs tuning");
    }
    for (const auto& family : families) {
        ModelParameters probe = fixedParameters(settings.parameters, family);
        for (const auto& range : gridRanges(settings.parameters, family))
            probe[range.name] = range.values.front();
        createRecommender(family, probe);
    }
    const auto roleOf = [](const std::string& family) {
        return *service::roleOfFamily(QString::fromStdString(family));  // built by the factory
    };
    std::map<service::ModelRole, std::vector<std::string>> rolesPlanned;
    for (const auto& family : families) rolesPlanned[roleOf(family)].push_back(family);
    const int familyCount = static_cast<int>(families.size());
    // load, (tune,) fit per family, the collaborative choice, one gate per role
    const int phases = 2 + familyCount * (settings.tune ? 2 : 1) + int(rolesPlanned.size());
    int phase = 0;

    const auto database = openJobDatabase(settings.databasePath, QStringLiteral("train"));
    TrainingResult result;
    const Dataset data =
        loadJobDataset(*database, phaseProgress(progress, "load", phase++, phases));
    result.database = database->path();
    result.anime = data.catalog.size();
    result.users = data.interactions.userCount();
    result.interactions = data.interactions.size();
    const QString outDir = settings.modelsDirectory;
    if (!QDir().mkpath(outDir)) throw std::runtime_error(("cannot create " + outDir).toStdString());

    std::optional<Split> validation;
    if (settings.tune) validation = validationSplit(data.interactions, settings.seed);
    EvaluationReport tuningReport;

    // Every model is fitted on all data and saved beside its final name; the quality gate then
    // decides, role by role, whether the new files replace the served ones.
    const auto stagedPath = [&](const std::string& family) {
        return QDir(outDir).filePath(QString::fromStdString(family) + ".model.new");
    };
    std::map<service::ModelRole, std::vector<std::string>> trainedByRole;  // factory order
    const auto removeStaged = [&] {
        for (const auto& [role, trained] : trainedByRole)
            for (const auto& family : trained) QFile::remove(stagedPath(family));
    };
    const PopularityModel* popularity = nullptr;
    std::vector<std::unique_ptr<Recommender>> models;  // kept: the top-100 reads popularity
    try {
        for (const auto& family : families) {
            FamilyTraining training;
            training.family = family;
            training.parameters = fixedParameters(settings.parameters, family);
            const QString path = stagedPath(family);
            try {
                if (validation) {
                    const auto search = searchOf(settings, family, training.note);
                    const auto tuneProgress =
                        phaseProgress(progress, "tune " + family, phase++, phases);
                    if (search) {
                        const SearchResult found =
                            searchHyperparameters(*validation, data.catalog, *search, tuneProgress);
                        training.trials = found.trials;
                        training.bestTrial = found.best;
                        training.parameters = found.bestTrial().parameters;
                        ModelReport best = found.bestTrial().report;
                        best.model = family;
                        best.parameters = training.parameters;
                        tuningReport.models.push_back(std::move(best));
                    }
                }
                auto model = createRecommender(family, training.parameters);
                QElapsedTimer timer;
                timer.start();
                model->fit(data, phaseProgress(progress, "fit " + family, phase++, phases));
                training.fitSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
                saveModelFile(path.toStdString(), *model);
                training.fileBytes = QFileInfo(path).size();
                training.trainingCurve = model->trainingCurve();
                if (auto* p = dynamic_cast<const PopularityModel*>(model.get())) popularity = p;
                models.push_back(std::move(model));
                trainedByRole[roleOf(family)].push_back(family);
            } catch (const OperationCancelled&) {
                QFile::remove(path);
                throw;
            } catch (const std::exception& error) {
                training.error = QString::fromUtf8(error.what());
            }
            result.families.push_back(std::move(training));
        }
        const auto parametersOf = [&result](const std::string& family) {
            for (const auto& training : result.families)
                if (training.family == family) return training.parameters;
            return ModelParameters{};
        };
        if (!tuningReport.models.empty()) {
            tuningReport.protocol = validation->protocol;
            tuningReport.protocol.push_back({"purpose", "tuning"});
            tuningReport.ks = {10};
            if (const QSqlError error = storage::EvaluationStore(*database).saveRun(
                    tuningReport, qint64(settings.seed), 10, &result.tuningRunId);
                error.isValid())
                result.notes << "tuning results not stored: " + error.text();
        }

        // The collaborative role: which trained family serves, by NDCG@10 on a validation split
        // carved from the data (each family refitted there with its parameters).
        QJsonObject choiceDocument;
        const auto choiceProgress =
            phaseProgress(progress, "collaborative choice", phase++, phases);
        if (const auto it = trainedByRole.find(service::ModelRole::Collaborative);
            it != trainedByRole.end()) {
            ModelChoiceOptions options;
            options.families = it->second;
            for (const auto& family : it->second) options.parameters[family] = parametersOf(family);
            options.seed = settings.seed;
            QElapsedTimer timer;
            timer.start();
            try {
                result.collaborativeChoice = chooseModel(data, options, choiceProgress);
                const ModelChoice& choice = *result.collaborativeChoice;
                result.collaborativeFamily = choice.best().family;
                result.collaborativeReason = choiceReason(choice);
                choiceDocument = jobs::choiceDocument(
                    choice, QString::fromStdString(result.collaborativeFamily) + ".model",
                    settings.tune, {0.0, double(timer.nsecsElapsed()) / 1e9});
            } catch (const std::invalid_argument& error) {
                if (it->second.size() > 1)
                    throw std::runtime_error(
                        std::string("cannot choose the collaborative model: ") + error.what());
                // One family needs no choice; say that it was not validated, and why.
                const QString family = QString::fromStdString(it->second.front());
                result.collaborativeFamily = it->second.front();
                result.collaborativeReason =
                    "the only collaborative family trained (not validated: " +
                    QString::fromUtf8(error.what()) + ")";
                choiceDocument = QJsonObject{{"model", family},
                                             {"reason", result.collaborativeReason},
                                             {"file", family + ".model"}};
            }
        }

        GateSettings gateSettings;
        gateSettings.margin = settings.gateMargin;
        gateSettings.seed = settings.seed;
        bool popularityRefused = false;  // then top100.json keeps the published ranking too
        for (const auto& [role, trained] : trainedByRole) {
            // The family that will serve the role: the collaborative choice, else the first
            // trained in the factory's order (as the registry picks).
            const std::string candidate = role == service::ModelRole::Collaborative
                                              ? result.collaborativeFamily
                                              : trained.front();
            RoleGate gate =
                gateRole(data, outDir, role, candidate, parametersOf(candidate), gateSettings,
                         settings.force, phaseProgress(progress, "quality gate", phase++, phases));
            if (const QString error = service::writeGateRecord(outDir, gate.record);
                !error.isEmpty())
                result.notes << "cannot write the gate record: " + error;
            if (const QSqlError error = recordGate(*database, gate.record, settings.seed);
                error.isValid())
                result.notes << "the gate decision was not stored: " + error.text();
            const bool publish = gate.publish;
            result.gates.push_back(std::move(gate));
            if (!publish) {
                result.refusals << refusalText(result.gates.back().record);
                for (const auto& family : trained) QFile::remove(stagedPath(family));
                popularityRefused = popularityRefused || role == service::ModelRole::Popularity;
                continue;
            }
            for (const auto& family : trained) {
                const QString final =
                    QDir(outDir).filePath(QString::fromStdString(family) + ".model");
                if (const QString error = promote(stagedPath(family), final); !error.isEmpty())
                    throw std::runtime_error(error.toStdString());
                result.written << final;
            }
            if (role == service::ModelRole::Collaborative) {
                // The model files first: collaborative.json never names a file that is not there.
                const QString path = QDir(outDir).filePath(kCollaborativeChoiceFile);
                if (const QString error = writeChoiceDocument(path, choiceDocument);
                    !error.isEmpty())
                    throw std::runtime_error(("cannot write " + path + ": " + error).toStdString());
                result.written << path;
            }
        }

        if (!settings.top100Path.isEmpty() && !popularityRefused) {
            // The list needs the popularity model even when it was not asked for; it fits in a
            // blink.
            PopularityModel fallback;
            if (!popularity) {
                fallback.fit(data);
                popularity = &fallback;
            }
            if (const QString error = writeTop100(settings.top100Path, *popularity, data.catalog);
                !error.isEmpty())
                throw std::runtime_error(
                    ("cannot write " + settings.top100Path + ": " + error).toStdString());
            result.written << settings.top100Path;
        }
    } catch (...) {
        removeStaged();
        throw;
    }

    // A failed family keeps the replicas on the last complete set.
    const bool publish = settings.publishing == Publishing::Always ||
                         (settings.publishing == Publishing::WhenPostgres &&
                          database->backend() == storage::Backend::Postgres);
    if (publish && result.failures() == 0)
        result.published = storage::publishModelFiles(*database, result.written);
    return result;
}

}  // namespace animerec::jobs

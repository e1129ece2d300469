#include "jobs/collaborative_choice_job.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <stdexcept>

#include "jobs/collaborative_choice.h"
#include "jobs/job_database.h"
#include "jobs/phase_progress.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "storage/database.h"
#include "storage/evaluation_store.h"

namespace animerec::jobs {

namespace {

double secondsOf(const QElapsedTimer& timer) {
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

}  // namespace

CollaborativeChoiceResult runCollaborativeChoice(const CollaborativeChoiceSettings& settings,
                                                 const ProgressCallback& progress) {
    ModelChoiceOptions options;
    options.families =
        settings.families.empty() ? modelNamesOfKind(ModelKind::Collaborative) : settings.families;
    options.tune = settings.tune;
    options.seed = settings.seed;
    options.threads = settings.threads;
    if (options.families.empty()) throw std::invalid_argument("no collaborative family to choose");
    for (const auto& family : options.families)
        if (kindOfModel(family) != ModelKind::Collaborative)  // throws for an unknown family
            throw std::invalid_argument("'" + family + "' is not a collaborative family");
    if (settings.modelsDirectory.isEmpty()) throw std::invalid_argument("no models directory");

    constexpr int kPhases = 3;  // load, choose, fit the winner
    const auto database = openJobDatabase(settings.databasePath, QStringLiteral("choose"));
    CollaborativeChoiceResult result;
    result.database = database->path();
    const Dataset data = loadJobDataset(*database, phaseProgress(progress, "load", 0, kPhases));

    QElapsedTimer total;
    total.start();
    result.choice = chooseModel(data, options, phaseProgress(progress, "choose", 1, kPhases));
    const SelectionCandidate& best = result.choice.best();
    auto model = createRecommender(best.family, best.parameters);
    QElapsedTimer fit;
    fit.start();
    model->fit(data, phaseProgress(progress, "fit " + best.family, 2, kPhases));
    result.trainSeconds = secondsOf(fit);
    result.selectionSeconds = secondsOf(total) - result.trainSeconds;

    const QString outDir = settings.modelsDirectory;
    if (!QDir().mkpath(outDir)) throw std::runtime_error(("cannot create " + outDir).toStdString());
    result.modelPath = QDir(outDir).filePath(QString::fromStdString(best.family) + ".model");
    // The model file first: collaborative.json must never name a file that is not there.
    saveModelFile(result.modelPath.toStdString(), *model);
    result.choicePath = QDir(outDir).filePath(kCollaborativeChoiceFile);
    const QJsonObject document =
        choiceDocument(result.choice, QFileInfo(result.modelPath).fileName(), settings.tune,
                       {result.trainSeconds, result.selectionSeconds});
    if (const QString error = writeChoiceDocument(result.choicePath, document); !error.isEmpty())
        throw std::runtime_error(
            ("cannot write " + result.choicePath + ": " + error).toStdString());

    const bool publish = settings.publishing == Publishing::Always ||
                         (settings.publishing == Publishing::WhenPostgres &&
                          database->backend() == storage::Backend::Postgres);
    // Both in one transaction: a replica never sees a choice without its model.
    if (publish)
        result.published =
            storage::publishModelFiles(*database, {result.modelPath, result.choicePath});

    // The validation results as an evaluation run, so Studio's history shows the choice.
    if (const QSqlError error = storage::EvaluationStore(*database).saveRun(
            choiceReport(result.choice), qint64(settings.seed), 10, nullptr);
        error.isValid())
        result.notes << "validation results not stored: " + error.text();
    return result;
}

}  // namespace animerec::jobs

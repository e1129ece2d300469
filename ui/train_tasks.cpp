#include "train_tasks.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QUuid>
#include <stdexcept>

#include "eval/evaluator.h"
#include "eval/split.h"
#include "evaluation_history.h"
#include "models/model_io.h"
#include "storage/database.h"
#include "storage/model_store.h"
#include "studio_database.h"
#include "studio_dataset.h"
#include "studio_tasks.h"

namespace animerec::ui {

QString defaultModelsDirectory(const QString& databasePath) {
    return QDir(localDataDirectory(databasePath)).filePath(QStringLiteral("models"));
}

QString modelFilePath(const QString& modelsDirectory, const QString& family) {
    return QDir(modelsDirectory).filePath(family + QStringLiteral(".model"));
}

ParameterGrid parseParameterGrid(const QString& text) {
    ParameterGrid grid;
    for (const QString& rawEntry :
         text.split(QRegularExpression(QStringLiteral("[;\\n]")), Qt::SkipEmptyParts)) {
        const QString entry = rawEntry.trimmed();
        if (entry.isEmpty()) continue;
        const auto bad = [&entry](const char* why) {
            return std::invalid_argument("parameter grid entry '" + entry.toStdString() +
                                         "': " + why);
        };
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        if (equals <= 0) throw bad("expected name=value1,value2");
        const std::string name = entry.left(equals).trimmed().toStdString();
        std::vector<double>& values = grid[name];
        if (!values.empty()) throw bad("the name appears twice");
        for (const QString& valueText :
             entry.mid(equals + 1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            values.push_back(valueText.trimmed().toDouble(&ok));
            if (!ok) throw bad("a value is not a number");
        }
        if (values.empty()) throw bad("no values");
    }
    return grid;
}

std::vector<ModelParameters> expandGrid(const ParameterGrid& grid) {
    std::vector<ModelParameters> combinations{ModelParameters{}};
    for (const auto& [name, values] : grid) {
        std::vector<ModelParameters> next;
        for (const auto& partial : combinations) {
            for (const double value : values) {
                ModelParameters extended = partial;
                extended[name] = value;
                next.push_back(std::move(extended));
            }
        }
        combinations = std::move(next);
    }
    return combinations;
}

QString defaultGridText(const QString& family) {
    static const std::map<QString, QString> grids{
        {QStringLiteral("als"), QStringLiteral("factors=32,64,128; regularization=0.01,0.05")},
        {QStringLiteral("mf"), QStringLiteral("factors=32,64; regularization=0.02,0.05")},
        {QStringLiteral("ease"), QStringLiteral("lambda=50,200,500")},
        {QStringLiteral("content"), QStringLiteral("genre_weight=0.5,1,2")},
        {QStringLiteral("popularity"), QStringLiteral("mode=0,1,2")},
        {QStringLiteral("sasrec"), QStringLiteral("dim=32,64; blocks=1,2")},
        {QStringLiteral("gru"), QStringLiteral("dim=32,64")},
    };
    const auto it = grids.find(family);
    return it == grids.end() ? QString() : it->second;
}

namespace {

ModelParameters merged(const ModelParameters& base, const ModelParameters& extra) {
    ModelParameters result = base;
    for (const auto& [name, value] : extra) result[name] = value;
    return result;
}

// Grid search on a per-user holdout of `data`; returns the trials and stores the best one as an
// evaluation run so the Metrics history shows it.
std::vector<TuneTrial> tune(const QString& databasePath, const Dataset& data,
                            const TrainSettings& settings,
                            const std::vector<ModelParameters>& combinations, int phases,
                            const ProgressCallback& progress, qint64& runId, std::size_t& best) {
    HoldoutOptions holdout;
    holdout.seed = settings.seed;
    const Split split = holdoutSplit(data.interactions, holdout);
    if (split.testUserCount() == 0)
        throw std::invalid_argument("tuning: no user has enough interactions");
    const Dataset train{data.catalog, split.train};
    EvaluatorOptions options;
    options.ks = {settings.tuneK};
    options.curveMaxK = settings.tuneK;
    options.confidenceIntervals = false;
    const Evaluator evaluator(split, train.catalog, options);
    const std::string ndcgKey = metricKey("ndcg", settings.tuneK);
    const std::string recallKey = metricKey("recall", settings.tuneK);

    std::vector<TuneTrial> trials;
    EvaluationReport bestReport;
    for (std::size_t t = 0; t < combinations.size(); ++t) {
        const ModelParameters parameters = merged(settings.parameters, combinations[t]);
        auto model = createRecommender(settings.family.toStdString(), parameters);
        const std::string label =
            "trial " + std::to_string(t + 1) + "/" + std::to_string(combinations.size());
        const int phase = 1 + 2 * static_cast<int>(t);
        QElapsedTimer timer;
        timer.start();
        model->fit(train, phaseProgress(progress, label + " fit", phase, phases));
        const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        ModelReport report = evaluator.evaluate(
            *model, phaseProgress(progress, label + " evaluate", phase + 1, phases));
        report.trainSeconds = seconds;
        trials.push_back({parameters, report.metrics[ndcgKey], report.metrics[recallKey]});
        if (trials.size() == 1 || trials.back().ndcg > trials[best].ndcg) {
            best = trials.size() - 1;
            bestReport.models = {std::move(report)};
        }
    }
    bestReport.protocol = split.protocol;
    bestReport.protocol.emplace_back("tuning", std::to_string(combinations.size()) + " trials");
    for (const auto& [name, value] : trials[best].parameters)
        bestReport.protocol.emplace_back(settings.family.toStdString() + "." + name,
                                         QString::number(value).toStdString());
    bestReport.ks = options.ks;
    try {
        runId = storeEvaluationRun(databasePath, bestReport, settings.tuneK, settings.seed);
    } catch (const std::exception&) {
        runId = -1;  // the tuning result is still returned; only the history misses it
    }
    return trials;
}

}  // namespace

TrainOutcome runTraining(const QString& databasePath, const TrainSettings& settings,
                         const ProgressCallback& progress) {
    if (settings.modelsDirectory.isEmpty()) throw std::invalid_argument("no models directory");
    // Validate the family and parameters before loading anything.
    createRecommender(settings.family.toStdString(), settings.parameters);
    std::vector<ModelParameters> combinations;
    if (settings.tune) {
        combinations = expandGrid(settings.grid);
        if (static_cast<int>(combinations.size()) > settings.maxTrials)
            throw std::invalid_argument("the grid has " + std::to_string(combinations.size()) +
                                        " combinations; at most " +
                                        std::to_string(settings.maxTrials) + " are allowed");
        for (const auto& combination : combinations)
            createRecommender(settings.family.toStdString(),
                              merged(settings.parameters, combination));
    }
    const int trialCount = static_cast<int>(combinations.size());
    const int phases = 2 + 2 * trialCount;  // load, (fit + evaluate) per trial, final fit

    const Dataset data =
        loadStudioDataset(databasePath, phaseProgress(progress, "load", 0, phases));
    TrainOutcome outcome;
    outcome.parameters = settings.parameters;
    if (settings.tune) {
        std::size_t best = 0;
        outcome.trials =
            tune(databasePath, data, settings, combinations, phases, progress, outcome.runId, best);
        outcome.parameters = outcome.trials[best].parameters;
    }

    auto model = createRecommender(settings.family.toStdString(), outcome.parameters);
    QElapsedTimer timer;
    timer.start();
    model->fit(data,
               phaseProgress(progress, "fit " + settings.family.toStdString(), phases - 1, phases));
    outcome.fitSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    outcome.trainingCurve = trainingCurveOf(*model);

    if (!QDir().mkpath(settings.modelsDirectory))
        throw std::runtime_error(
            (settings.modelsDirectory + QStringLiteral(": cannot create directory")).toStdString());
    outcome.path = modelFilePath(settings.modelsDirectory, settings.family);
    saveModelFile(outcome.path.toStdString(), *model);
    // On PostgreSQL the server replicas take their models from the database's model store, as
    // after `animerec train`.
    if (isPostgresLocation(databasePath)) {
        storage::Database database(
            databasePath,
            QStringLiteral("studio-publish-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
        if (const QSqlError error = database.open(); error.isValid())
            throw std::runtime_error(database.path().toStdString() + ": " +
                                     error.text().toStdString());
        const storage::ModelPublishResult published =
            storage::publishModelFiles(database, {outcome.path});
        if (!published.ok())
            throw std::runtime_error("saved " + outcome.path.toStdString() +
                                     " but could not publish it: " + published.error.toStdString());
    }
    return outcome;
}

QVector<ModelFileInfo> listModelFiles(const QString& modelsDirectory) {
    QVector<ModelFileInfo> files;
    const QDir dir(modelsDirectory);
    if (!dir.exists()) return files;
    for (const QFileInfo& file :
         dir.entryInfoList({QStringLiteral("*.model")}, QDir::Files, QDir::Name)) {
        ModelFileInfo info;
        info.family = file.completeBaseName();
        info.path = file.absoluteFilePath();
        info.modified = file.lastModified();
        info.version = file.lastModified().toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
        info.size = file.size();
        files.push_back(info);
    }
    return files;
}

}  // namespace animerec::ui

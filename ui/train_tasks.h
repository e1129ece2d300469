#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>
#include <map>
#include <string>
#include <vector>

#include "models/model_factory.h"
#include "util/progress.h"

namespace animerec::ui {

// Where Studio writes model files by default: "models" next to the database.
QString defaultModelsDirectory(const QString& databasePath);

// The file a family is saved to inside a models directory ("<dir>/als.model"), the name the
// service's ModelRegistry looks for.
QString modelFilePath(const QString& modelsDirectory, const QString& family);

// A hyper-parameter grid: each name with the values to try.
using ParameterGrid = std::map<std::string, std::vector<double>>;

// "factors=32,64; regularization=0.01,0.1" -> grid. Throws std::invalid_argument naming the bad
// entry. An empty text gives an empty grid (one trial with the defaults).
ParameterGrid parseParameterGrid(const QString& text);
// Every combination of a grid (cartesian product), in lexicographic order of names.
std::vector<ModelParameters> expandGrid(const ParameterGrid& grid);
// A small default grid for each family (shown in the Train panel; empty when none).
QString defaultGridText(const QString& family);

struct TrainSettings {
    QString family;
    ModelParameters parameters;  // fixed overrides for training (and every tuning trial)
    QString modelsDirectory;     // created when missing
    bool tune = false;           // grid search before the final fit
    ParameterGrid grid;          // tuning: values to try on top of `parameters`
    int tuneK = 10;              // tuning picks the best NDCG@tuneK on a holdout split
    quint64 seed = 42;           // tuning split
    int maxTrials = 32;          // refuse larger grids (each trial is a full fit)
};

struct TuneTrial {
    ModelParameters parameters;
    double ndcg = 0.0;
    double recall = 0.0;
};

struct TrainOutcome {
    QString path;                       // the model file written
    double fitSeconds = 0.0;            // the final fit
    std::vector<double> trainingCurve;  // of the final fit, when the family records one
    ModelParameters parameters;         // what the final model was trained with
    std::vector<TuneTrial> trials;      // tuning only, in grid order
    qint64 runId = -1;                  // tuning: stored evaluation run of the best trial
};

// Loads the dataset, (optionally tunes), fits `settings.family` on all interactions and saves
// the model file atomically. Throws std::invalid_argument for an unknown family, parameter or a
// grid over maxTrials; std::runtime_error for I/O; OperationCancelled on cancel (no file is
// written then).
TrainOutcome runTraining(const QString& databasePath, const TrainSettings& settings,
                         const ProgressCallback& progress);

// One model file of a models directory.
struct ModelFileInfo {
    QString family;  // file name without ".model"
    QString path;
    QString version;  // file modification time, UTC yyyyMMddTHHmmssZ (as the service reports)
    QDateTime modified;
    qint64 size = 0;
};

// "*.model" files, sorted by family name; empty when the directory does not exist.
QVector<ModelFileInfo> listModelFiles(const QString& modelsDirectory);

}  // namespace animerec::ui

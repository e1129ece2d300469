#pragma once

// Training, as `animerec train` and Studio's Train panel run it: the families fitted on the whole
// dataset (optionally tuned first by core's searchHyperparameters on a validation split carved
// from the data), saved as versioned model files beside their final names, the collaborative
// choice made (collaborative_choice.h), every role through the quality gate (role_gate.h), and
// what passed promoted, listed in the popularity top-100 and published to the database.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eval/hyperparameter_search.h"
#include "eval/model_selection.h"
#include "jobs/parameter_syntax.h"
#include "jobs/role_gate.h"
#include "storage/model_store.h"
#include "util/progress.h"

namespace animerec::jobs {

enum class Publishing {
    WhenPostgres,  // store the files in the database when it is PostgreSQL (replicas read them)
    Always,
    Never,
};

struct TrainingSettings {
    QString databasePath;
    QString modelsDirectory = QStringLiteral("var/models");  // created when missing
    std::vector<std::string> families;  // factory names, in factory order; empty = every family
    // Per family: one value fixes a parameter, several (a grid) are searched when tuning.
    ParameterGrids parameters;
    // Search each family first (its grid when one is given, else core's default search space) on
    // the validation split carved from the data; the best parameters are then fitted on all of it.
    bool tune = false;
    std::uint64_t seed = 42;   // the validation split of tuning, the collaborative choice and gate
    double gateMargin = 0.02;  // refuse a model this much worse than the published one
    bool force = false;        // publish what the gate refuses (recorded as forced)
    QString top100Path;        // the popularity top-100 JSON; empty = not written
    Publishing publishing = Publishing::WhenPostgres;
};

// One family's training.
struct FamilyTraining {
    std::string family;
    ModelParameters parameters;  // what the model was fitted with
    double fitSeconds = 0.0;
    qint64 fileBytes = 0;
    std::vector<double> trainingCurve;  // of the fit on all data, when the family records one
    std::vector<Trial> trials;          // tuning, in the order run; empty without tuning
    int bestTrial = -1;
    QString note;   // why the family was not tuned, when it was not
    QString error;  // the fit or save failed (the family is then left out)
};

struct TrainingResult {
    QString database;  // where the data came from (for messages; no password)
    int anime = 0;
    int users = 0;
    qint64 interactions = 0;
    std::vector<FamilyTraining> families;            // in training order
    std::optional<ModelChoice> collaborativeChoice;  // when collaborative families were validated
    std::string collaborativeFamily;                 // the family that serves the role
    QString collaborativeReason;
    std::vector<RoleGate> gates;  // one per role trained
    QStringList refusals;         // one sentence per refused role
    QStringList written;          // files now in place (model files, collaborative.json, top-100)
    QStringList notes;            // problems that did not stop the run (records not stored, ...)
    std::optional<storage::ModelPublishResult> published;
    qint64 tuningRunId = -1;  // the tuning results stored as an evaluation run

    int failures() const;
};

// Runs the training `settings` describe. Every model is built before the data is read, so an
// unknown family or parameter fails at once (std::invalid_argument, as does a grid without
// tuning). A family whose fit fails is recorded and the others go on. Throws std::runtime_error
// for a database, directory or file that cannot be used; OperationCancelled when asked to stop,
// after removing every file staged so far (the served models stay as they were).
TrainingResult runTraining(const TrainingSettings& settings, const ProgressCallback& progress = {});

}  // namespace animerec::jobs

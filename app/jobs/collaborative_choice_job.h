#pragma once

// Choosing the collaborative model, as `animerec train collaborative` runs it: every candidate
// family (defaults, or each family's default search with tuning) competes on a validation split
// carved from the database's data; the winner by NDCG@10 is refitted on all of it and saved with
// collaborative.json (collaborative_choice.h), which names it for `serve` and Studio; the
// validation results are stored as an evaluation run for Studio's history.
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eval/model_selection.h"
#include "jobs/training_job.h"
#include "storage/model_store.h"
#include "util/progress.h"

namespace animerec::jobs {

struct CollaborativeChoiceSettings {
    QString databasePath;
    QString modelsDirectory = QStringLiteral("var/models");  // created when missing
    std::vector<std::string> families;  // the candidates; empty = every collaborative family
    bool tune = false;                  // search each family's default space first
    std::uint64_t seed = 42;            // the validation split
    int threads = 0;                    // evaluation workers; 0 = all cores
    Publishing publishing = Publishing::WhenPostgres;
};

struct CollaborativeChoiceResult {
    QString database;  // where the data came from (for messages; no password)
    ModelChoice choice;
    QString modelPath;   // the winner's model file
    QString choicePath;  // collaborative.json
    double trainSeconds = 0.0;
    double selectionSeconds = 0.0;
    std::optional<storage::ModelPublishResult> published;
    QStringList notes;  // problems that did not stop the run (records not stored, ...)
};

// Runs the choice `settings` describe. Throws std::invalid_argument for a family that is unknown
// or not collaborative, std::runtime_error for a database, directory or file that cannot be used,
// OperationCancelled when asked to stop (the served model and collaborative.json are then
// unchanged).
CollaborativeChoiceResult runCollaborativeChoice(const CollaborativeChoiceSettings& settings,
                                                 const ProgressCallback& progress = {});

}  // namespace animerec::jobs

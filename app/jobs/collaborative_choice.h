#pragma once

// The record of which collaborative model serves /recommend_collaborative and why:
// collaborative.json beside the model files, written by `animerec train` (every run that trains a
// collaborative family) and `animerec train collaborative`, read by the model registry.
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "eval/evaluation_report.h"
#include "eval/model_selection.h"

namespace animerec::jobs {

// The file name the registry looks for in a models directory.
inline constexpr const char* kCollaborativeChoiceFile = "collaborative.json";

struct ChoiceTimings {
    double trainSeconds = 0.0;      // the winner's fit on all data
    double selectionSeconds = 0.0;  // validation fits and evaluations
};

// One line saying why the chosen family serves: "chosen by validation ndcg@10 on 812 users:
// ease 0.3121 > als 0.2950 > mf 0.0412". A single candidate says it was the only one trained.
QString choiceReason(const ModelChoice& choice);

// The validation table, one line per candidate, best first, for the terminal.
QStringList choiceTable(const ModelChoice& choice);

// The collaborative.json document: the chosen model, its parameters and validation metrics, every
// candidate's, the protocol, the reason and when.
QJsonObject choiceDocument(const ModelChoice& choice, const QString& modelFileName, bool tuned,
                           const ChoiceTimings& timings);

// Writes `document` atomically to `path`; an empty string, or the error.
QString writeChoiceDocument(const QString& path, const QJsonObject& document);

// The candidates' validation results as one evaluation run (Studio's history shows the choice).
EvaluationReport choiceReport(const ModelChoice& choice);

}  // namespace animerec::jobs

#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVector>
#include <map>
#include <string>

#include "eval/evaluation_report.h"

namespace animerec::ui {

// Past evaluation runs, read and written through storage::EvaluationStore (tables
// EvaluationRuns and EvaluationMetrics). Every function opens its own short-lived connection on
// the calling thread, so the same code serves the GUI thread and BackgroundTask workers. A
// missing database file is never created: reads give nothing, writes throw.

struct StoredRun {
    qint64 id = -1;
    QDateTime startedAt;
    QString protocol;  // "protocol=holdout, test_share=0.2, seed=42, ..."
    QStringList models;
    int k = 10;     // the headline cut-off chosen for the run
    int users = 0;  // evaluated users
};

// Stores one run; returns its id. Throws std::runtime_error naming the database on failure.
qint64 storeEvaluationRun(const QString& databasePath, const EvaluationReport& report, int k,
                          quint64 seed);

// Newest first; empty when the database or the tables do not exist.
QVector<StoredRun> loadEvaluationRuns(const QString& databasePath);

// The metrics of one stored run (curves and per-user values are not stored); no models when
// the run does not exist.
EvaluationReport loadEvaluationReport(const QString& databasePath, qint64 runId);

// The latest stored metrics of each model family (from the newest run that evaluated it) at
// that run's K, keyed "ndcg@10", ..., plus "k".
std::map<std::string, std::map<std::string, double>> latestMetricsByModel(
    const QString& databasePath);

}  // namespace animerec::ui

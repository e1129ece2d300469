#pragma once

#include <QSqlError>
#include <QString>
#include <QVector>
#include <optional>

#include "eval/evaluation_report.h"

namespace animerec::storage {

class Database;

// One `animerec evaluate` run as stored in EvaluationRuns.
struct EvaluationRun {
    qint64 runId = 0;
    QString startedAt;     // ISO 8601, UTC
    QString protocolJson;  // {"protocol": "holdout", "test_share": 0.2, ...}
    qint64 seed = 0;
    int k = 0;  // the cut-off the run's table showed
};

// One row of EvaluationMetrics: "recall"@10 = value, with bootstrap bounds when computed.
// Metrics without a cut-off (rmse, mae, train_seconds, eval_seconds, users) have k = 0.
struct EvaluationMetric {
    QString model;
    QString metric;
    int k = 0;
    double value = 0.0;
    std::optional<double> ciLow;
    std::optional<double> ciHigh;
};

// Evaluation history in the database (tables EvaluationRuns and EvaluationMetrics, created on
// first use), so Studio can list and compare past runs.
class EvaluationStore {
public:
    explicit EvaluationStore(Database& database) : database_(database) {}

    // Creates the tables when missing.
    QSqlError ensureSchema();
    // Writes a run and all its models' metrics in one transaction; on success *runId (if given)
    // receives the new run id.
    QSqlError saveRun(const EvaluationReport& report, qint64 seed, int k, qint64* runId = nullptr);
    // All runs, newest first.
    QSqlError listRuns(QVector<EvaluationRun>& runs);
    // The metrics of one run, ordered by model, metric and k.
    QSqlError metricsOf(qint64 runId, QVector<EvaluationMetric>& metrics);

private:
    Database& database_;
};

// Splits report keys into rows: "ndcg@10" (+ "ndcg@10_ci_low"/"_ci_high") -> {ndcg, 10, ...};
// keys without "@K" get k = 0. Bound keys never form rows of their own.
QVector<EvaluationMetric> metricRowsOf(const ModelReport& model);

}  // namespace animerec::storage

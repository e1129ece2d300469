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

// One model of a stored run and how many users it was evaluated on (its "users" metric).
struct EvaluatedModel {
    qint64 runId = 0;
    QString model;
    int users = 0;
};

// A metric of a model's newest run, with that run's headline cut-off.
struct LatestMetric {
    QString model;
    QString metric;
    int k = 0;  // 0 for metrics without a cut-off
    double value = 0.0;
    int runK = 0;
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
    // The models of every run, ordered by run and model.
    QSqlError modelsOfRuns(QVector<EvaluatedModel>& models);
    // For each model, its newest run's metrics at that run's headline k (and those without k).
    QSqlError latestMetrics(QVector<LatestMetric>& metrics);

private:
    Database& database_;
};

// Splits report keys into rows: "ndcg@10" (+ "ndcg@10_ci_low"/"_ci_high") -> {ndcg, 10, ...};
// keys without "@K" get k = 0. Bound keys never form rows of their own.
QVector<EvaluationMetric> metricRowsOf(const ModelReport& model);

}  // namespace animerec::storage

#include "evaluation_history.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <QVariant>
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>

#include "storage/database.h"
#include "storage/evaluation_store.h"
#include "studio_database.h"

namespace animerec::ui {

namespace {

// Runs `work` with an open storage::Database on a fresh connection name; false when the file
// does not exist or cannot be opened (the error goes to *error when given).
bool withDatabase(const QString& path, const std::function<void(storage::Database&)>& work,
                  QString* error = nullptr) {
    if (!databaseExists(path)) {
        if (error) *error = databaseDisplayName(path) + QStringLiteral(": no such database");
        return false;
    }
    storage::Database database(path, QStringLiteral("studio-history-") +
                                         QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (const QSqlError opened = database.open(); opened.isValid()) {
        if (error) *error = database.path() + QStringLiteral(": ") + opened.text();
        return false;
    }
    work(database);
    return true;
}

QString protocolText(const QString& json) {
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    QStringList parts;
    for (auto it = object.begin(); it != object.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value().toVariant().toString();
    return parts.isEmpty() ? json : parts.join(QStringLiteral(", "));
}

}  // namespace

qint64 storeEvaluationRun(const QString& databasePath, const EvaluationReport& report, int k,
                          quint64 seed) {
    qint64 runId = -1;
    QString error;
    const bool opened = withDatabase(
        databasePath,
        [&](storage::Database& database) {
            storage::EvaluationStore store(database);
            if (const QSqlError saved = store.saveRun(report, static_cast<qint64>(seed), k, &runId);
                saved.isValid())
                error = databasePath + QStringLiteral(": ") + saved.text();
        },
        &error);
    if (!opened || !error.isEmpty()) throw std::runtime_error(error.toStdString());
    return runId;
}

QVector<StoredRun> loadEvaluationRuns(const QString& databasePath) {
    QVector<StoredRun> runs;
    withDatabase(databasePath, [&](storage::Database& database) {
        storage::EvaluationStore store(database);
        QVector<storage::EvaluationRun> stored;
        if (store.listRuns(stored).isValid()) return;
        std::map<qint64, int> indexById;
        for (const auto& run : stored) {
            StoredRun one;
            one.id = run.runId;
            one.startedAt = QDateTime::fromString(run.startedAt, Qt::ISODate);
            one.protocol = protocolText(run.protocolJson);
            one.k = run.k;
            indexById[run.runId] = static_cast<int>(runs.size());
            runs.push_back(one);
        }
        QVector<storage::EvaluatedModel> models;
        if (store.modelsOfRuns(models).isValid()) return;
        for (const storage::EvaluatedModel& evaluated : models) {
            const auto it = indexById.find(evaluated.runId);
            if (it == indexById.end()) continue;
            StoredRun& run = runs[it->second];
            run.models << evaluated.model;
            run.users = std::max(run.users, evaluated.users);
        }
    });
    return runs;
}

EvaluationReport loadEvaluationReport(const QString& databasePath, qint64 runId) {
    EvaluationReport report;
    withDatabase(databasePath, [&](storage::Database& database) {
        storage::EvaluationStore store(database);
        QVector<storage::EvaluationRun> runs;
        if (store.listRuns(runs).isValid()) return;
        const auto run = std::find_if(runs.begin(), runs.end(),
                                      [runId](const auto& r) { return r.runId == runId; });
        if (run == runs.end()) return;
        const QJsonObject protocol = QJsonDocument::fromJson(run->protocolJson.toUtf8()).object();
        for (auto it = protocol.begin(); it != protocol.end(); ++it)
            report.protocol.emplace_back(it.key().toStdString(),
                                         it.value().toVariant().toString().toStdString());
        QVector<storage::EvaluationMetric> metrics;
        if (store.metricsOf(runId, metrics).isValid()) return;
        std::set<int> ks;
        for (const auto& row : metrics) {
            const std::string model = row.model.toStdString();
            if (report.models.empty() || report.models.back().model != model) {
                report.models.push_back({});
                report.models.back().model = model;
            }
            ModelReport& target = report.models.back();
            if (row.metric == QLatin1String("train_seconds"))
                target.trainSeconds = row.value;
            else if (row.metric == QLatin1String("eval_seconds"))
                target.evalSeconds = row.value;
            else if (row.metric == QLatin1String("users"))
                target.evaluatedUsers = static_cast<int>(row.value);
            else {
                const std::string key = row.k > 0 ? metricKey(row.metric.toStdString(), row.k)
                                                  : row.metric.toStdString();
                target.metrics[key] = row.value;
                if (row.ciLow) target.metrics[key + "_ci_low"] = *row.ciLow;
                if (row.ciHigh) target.metrics[key + "_ci_high"] = *row.ciHigh;
                if (row.k > 0) ks.insert(row.k);
            }
        }
        report.ks.assign(ks.begin(), ks.end());
    });
    return report;
}

std::map<std::string, std::map<std::string, double>> latestMetricsByModel(
    const QString& databasePath) {
    std::map<std::string, std::map<std::string, double>> latest;
    withDatabase(databasePath, [&](storage::Database& database) {
        storage::EvaluationStore store(database);
        QVector<storage::LatestMetric> rows;
        if (store.latestMetrics(rows).isValid()) return;
        for (const storage::LatestMetric& row : rows) {
            auto& metrics = latest[row.model.toStdString()];
            const std::string metric = row.metric.toStdString();
            metrics[row.k > 0 ? metricKey(metric, row.k) : metric] = row.value;
            metrics["k"] = row.runK;
        }
    });
    return latest;
}

}  // namespace animerec::ui

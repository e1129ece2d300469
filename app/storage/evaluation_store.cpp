#include "storage/evaluation_store.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>
#include <cmath>

#include "storage/database.h"

namespace animerec::storage {

namespace {

// Table DDL holds SqlDialect tokens (see sql_dialect.h).
constexpr const char* kCreateRuns = R"(
    CREATE TABLE IF NOT EXISTS EvaluationRuns (
        run_id {ID},
        started_at TEXT NOT NULL,
        protocol TEXT NOT NULL,
        seed {BIGINT} NOT NULL,
        k INTEGER NOT NULL
    ))";

constexpr const char* kCreateMetrics = R"(
    CREATE TABLE IF NOT EXISTS EvaluationMetrics (
        run_id {BIGINT} NOT NULL REFERENCES EvaluationRuns(run_id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        metric TEXT NOT NULL,
        k INTEGER NOT NULL,
        value {DOUBLE},
        ci_low {DOUBLE},
        ci_high {DOUBLE},
        PRIMARY KEY (run_id, model, metric, k)
    ))";

constexpr const char* kInsertRun = R"(
    INSERT INTO EvaluationRuns (started_at, protocol, seed, k) VALUES (?, ?, ?, ?)
    RETURNING run_id)";

constexpr const char* kInsertMetric = R"(
    INSERT INTO EvaluationMetrics (run_id, model, metric, k, value, ci_low, ci_high)
    VALUES (?, ?, ?, ?, ?, ?, ?))";

// Models and evaluated users of every run, in one pass over the "users" rows.
constexpr const char* kSelectRunModels = R"(
    SELECT run_id, model, value FROM EvaluationMetrics WHERE metric = 'users' ORDER BY run_id, model)";
// The newest run of each model family, restricted to that run's headline K (and K-less rows).
constexpr const char* kSelectLatest = R"(
    SELECT m.model, m.metric, m.k, m.value, r.k FROM EvaluationMetrics m
    JOIN EvaluationRuns r ON r.run_id = m.run_id
    JOIN (SELECT model, MAX(run_id) AS run_id FROM EvaluationMetrics GROUP BY model) latest
      ON latest.model = m.model AND latest.run_id = m.run_id
    WHERE m.k = r.k OR m.k = 0)";
constexpr const char* kSelectRuns = R"(
    SELECT run_id, started_at, protocol, seed, k FROM EvaluationRuns ORDER BY run_id DESC)";

constexpr const char* kSelectMetrics = R"(
    SELECT model, metric, k, value, ci_low, ci_high FROM EvaluationMetrics
    WHERE run_id = ? ORDER BY model, metric, k)";

QString protocolJson(const EvaluationReport& report) {
    QJsonObject protocol;
    for (const auto& [key, text] : report.protocol) {
        bool numeric = false;
        const double number = QString::fromStdString(text).toDouble(&numeric);
        protocol.insert(QString::fromStdString(key),
                        numeric ? QJsonValue(number) : QJsonValue(QString::fromStdString(text)));
    }
    return QString::fromUtf8(QJsonDocument(protocol).toJson(QJsonDocument::Compact));
}

QVariant nullable(const std::optional<double>& value) {
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

}  // namespace

QVector<EvaluationMetric> metricRowsOf(const ModelReport& model) {
    QVector<EvaluationMetric> rows;
    const auto bound = [&](const std::string& key) -> std::optional<double> {
        const auto it = model.metrics.find(key);
        if (it == model.metrics.end()) return std::nullopt;
        return it->second;
    };
    for (const auto& [key, value] : model.metrics) {
        if (key.ends_with("_ci_low") || key.ends_with("_ci_high")) continue;
        EvaluationMetric row;
        row.model = QString::fromStdString(model.model);
        const auto at = key.find('@');
        row.metric = QString::fromStdString(key.substr(0, at));
        row.k = at == std::string::npos ? 0 : std::stoi(key.substr(at + 1));
        row.value = value;
        row.ciLow = bound(key + "_ci_low");
        row.ciHigh = bound(key + "_ci_high");
        rows.push_back(row);
    }
    const QString name = QString::fromStdString(model.model);
    rows.push_back({name, "train_seconds", 0, model.trainSeconds, {}, {}});
    rows.push_back({name, "eval_seconds", 0, model.evalSeconds, {}, {}});
    rows.push_back({name, "users", 0, static_cast<double>(model.evaluatedUsers), {}, {}});
    return rows;
}

QSqlError EvaluationStore::ensureSchema() {
    QSqlQuery query(database_.connection());
    const SqlDialect sql = database_.dialect();
    for (const char* statement : {kCreateRuns, kCreateMetrics})
        if (!query.exec(sql.ddl(statement))) return query.lastError();
    return {};
}

QSqlError EvaluationStore::saveRun(const EvaluationReport& report, qint64 seed, int k,
                                   qint64* runId) {
    if (const QSqlError error = ensureSchema(); error.isValid()) return error;
    QSqlDatabase db = database_.connection();
    if (!db.transaction()) return db.lastError();
    const auto fail = [&](const QSqlQuery& query) {
        const QSqlError error = query.lastError();
        db.rollback();
        return error;
    };
    QSqlQuery run(db);
    run.prepare(QString::fromUtf8(kInsertRun));
    run.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    run.addBindValue(protocolJson(report));
    run.addBindValue(seed);
    run.addBindValue(k);
    // RETURNING, not lastInsertId(): QPSQL has no last insert id for identity columns.
    if (!run.exec() || !run.next()) return fail(run);
    const qint64 id = run.value(0).toLongLong();
    run.finish();

    QSqlQuery insert(db);
    insert.prepare(QString::fromUtf8(kInsertMetric));
    for (const auto& model : report.models) {
        for (const auto& row : metricRowsOf(model)) {
            insert.addBindValue(id);
            insert.addBindValue(row.model);
            insert.addBindValue(row.metric);
            insert.addBindValue(row.k);
            insert.addBindValue(std::isfinite(row.value) ? QVariant(row.value)
                                                         : QVariant(QMetaType(QMetaType::Double)));
            insert.addBindValue(nullable(row.ciLow));
            insert.addBindValue(nullable(row.ciHigh));
            if (!insert.exec()) return fail(insert);
        }
    }
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return error;
    }
    if (runId) *runId = id;
    return {};
}

QSqlError EvaluationStore::listRuns(QVector<EvaluationRun>& runs) {
    runs.clear();
    if (const QSqlError error = ensureSchema(); error.isValid()) return error;
    QSqlQuery query(database_.connection());
    if (!query.exec(QString::fromUtf8(kSelectRuns))) return query.lastError();
    while (query.next())
        runs.push_back({query.value(0).toLongLong(), query.value(1).toString(),
                        query.value(2).toString(), query.value(3).toLongLong(),
                        query.value(4).toInt()});
    return {};
}

QSqlError EvaluationStore::metricsOf(qint64 runId, QVector<EvaluationMetric>& metrics) {
    metrics.clear();
    if (const QSqlError error = ensureSchema(); error.isValid()) return error;
    QSqlQuery query(database_.connection());
    query.prepare(QString::fromUtf8(kSelectMetrics));
    query.addBindValue(runId);
    if (!query.exec()) return query.lastError();
    const auto optionalDouble = [](const QVariant& value) -> std::optional<double> {
        if (value.isNull()) return std::nullopt;
        return value.toDouble();
    };
    while (query.next())
        metrics.push_back({query.value(0).toString(), query.value(1).toString(),
                           query.value(2).toInt(), query.value(3).toDouble(),
                           optionalDouble(query.value(4)), optionalDouble(query.value(5))});
    return {};
}

QSqlError EvaluationStore::modelsOfRuns(QVector<EvaluatedModel>& models) {
    models.clear();
    if (const QSqlError error = ensureSchema(); error.isValid()) return error;
    QSqlQuery query(database_.connection());
    if (!query.exec(QString::fromUtf8(kSelectRunModels))) return query.lastError();
    while (query.next())
        models.push_back(
            {query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toInt()});
    return {};
}

QSqlError EvaluationStore::latestMetrics(QVector<LatestMetric>& metrics) {
    metrics.clear();
    if (const QSqlError error = ensureSchema(); error.isValid()) return error;
    QSqlQuery query(database_.connection());
    if (!query.exec(QString::fromUtf8(kSelectLatest))) return query.lastError();
    while (query.next())
        metrics.push_back({query.value(0).toString(), query.value(1).toString(),
                           query.value(2).toInt(), query.value(3).toDouble(),
                           query.value(4).toInt()});
    return {};
}

}  // namespace animerec::storage

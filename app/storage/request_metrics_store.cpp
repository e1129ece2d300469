#include "storage/request_metrics_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

#include "storage/database.h"

namespace animerec::storage {

namespace {

constexpr const char* kUpsertWindow = R"(
    INSERT INTO RequestMetrics (replica, route, model, window_start, window_ms, requests, errors,
        latency_sum_ms, latency_buckets)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (replica, route, model, window_start) DO UPDATE SET
        window_ms = excluded.window_ms, requests = excluded.requests, errors = excluded.errors,
        latency_sum_ms = excluded.latency_sum_ms, latency_buckets = excluded.latency_buckets)";

}  // namespace

QString latencyBucketsJson(const RequestMetricsRow& row) {
    QJsonObject buckets;
    for (std::size_t i = 0; i < row.counts.size(); ++i) {
        const QString bound =
            i < row.boundsMs.size() ? QString::number(row.boundsMs[i]) : QStringLiteral("+Inf");
        buckets.insert(bound, double(row.counts[i]));
    }
    return QString::fromUtf8(QJsonDocument(buckets).toJson(QJsonDocument::Compact));
}

QSqlError writeRequestMetrics(Database& database, const QString& replica, qint64 windowStartMs,
                              qint64 windowMs, const std::vector<RequestMetricsRow>& rows) {
    QSqlDatabase db = database.connection();
    if (!db.transaction()) return db.lastError();
    QSqlQuery query(db);
    if (!query.prepare(QString::fromLatin1(kUpsertWindow))) {
        const QSqlError error = query.lastError();
        db.rollback();
        return error;
    }
    for (const RequestMetricsRow& row : rows) {
        if (row.requests == 0) continue;
        // A null QString would bind as NULL: "no model" is stored as ''.
        const QString model = row.model.isNull() ? QStringLiteral("") : row.model;
        const QVariant values[] = {replica,       row.route,        model,
                                   windowStartMs, windowMs,         row.requests,
                                   row.errors,    row.latencySumMs, latencyBucketsJson(row)};
        for (int i = 0; i < int(std::size(values)); ++i) query.bindValue(i, values[i]);
        if (!query.exec()) {
            const QSqlError error = query.lastError();
            db.rollback();
            return error;
        }
    }
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return error;
    }
    return {};
}

}  // namespace animerec::storage

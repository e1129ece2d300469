#pragma once

#include <QSqlError>
#include <QString>
#include <vector>

namespace animerec::storage {

class Database;

// One (route, model) row of a serving replica's time window in RequestMetrics.
struct RequestMetricsRow {
    QString route;  // route template, e.g. "/recommend/{user_id}"
    QString model;  // model family that answered; empty when none
    qint64 requests = 0;
    qint64 errors = 0;  // status >= 400
    double latencySumMs = 0.0;
    // Requests per latency bucket (not cumulative): counts[i] fell in (bounds[i-1], bounds[i]];
    // one more count than bounds, the last for "+Inf".
    std::vector<double> boundsMs;
    std::vector<qint64> counts;
};

// Writes a replica's rows for the window starting at `windowStartMs` (epoch ms, UTC) and lasting
// `windowMs`, in one transaction. Rows without requests are skipped. Writing the same window
// again replaces its rows (a retried flush does not double-count).
QSqlError writeRequestMetrics(Database& database, const QString& replica, qint64 windowStartMs,
                              qint64 windowMs, const std::vector<RequestMetricsRow>& rows);

// The JSON stored in latency_buckets: {"0.1": 3, "0.25": 10, ..., "+Inf": 0}.
QString latencyBucketsJson(const RequestMetricsRow& row);

}  // namespace animerec::storage

#include "service/metrics_registry.h"

#include <QDateTime>
#include <QTextStream>
#include <algorithm>
#include <tuple>

#include "storage/request_metrics_store.h"

namespace animerec::service {

namespace {

// Label values are escaped as the exposition format asks (backslash, quote, newline).
QString label(const QString& value) {
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'"', QStringLiteral("\\\""))
        .replace(u'\n', QStringLiteral("\\n"));
    return escaped;
}

}  // namespace

MetricsRegistry::MetricsRegistry() : windowStartMs_(QDateTime::currentMSecsSinceEpoch()) {
    started_.start();
}

void MetricsRegistry::observe(const QString& route, const QString& method, int status,
                              const QString& model, double seconds) {
    const auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
    std::lock_guard lock(mutex_);
    ++requests_[RequestKey{route, method, status}];
    Histogram& histogram = latency_[LatencyKey{route, model}];
    if (bucket != kBuckets.end())
        ++histogram.buckets[static_cast<std::size_t>(bucket - kBuckets.begin())];
    ++histogram.count;
    if (status >= 400) ++histogram.errors;
    histogram.sum += seconds;
}

std::vector<MetricsRegistry::RouteModelStats> MetricsRegistry::snapshot() const {
    std::vector<RouteModelStats> stats;
    std::lock_guard lock(mutex_);
    stats.reserve(latency_.size());
    for (const auto& [key, histogram] : latency_) {
        RouteModelStats row{key.first,        key.second,    histogram.count,
                            histogram.errors, histogram.sum, {}};
        qint64 bounded = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            row.buckets[i] = histogram.buckets[i];
            bounded += histogram.buckets[i];
        }
        row.buckets[kBuckets.size()] = histogram.count - bounded;
        stats.push_back(std::move(row));
    }
    return stats;
}

QSqlError MetricsRegistry::flushWindow(storage::Database& database, const QString& replica) {
    std::lock_guard flushLock(flushMutex_);
    // Windows are keyed by their start: two flushes within a millisecond must not share one.
    const qint64 now = std::max(QDateTime::currentMSecsSinceEpoch(), windowStartMs_ + 1);
    const std::vector<RouteModelStats> totals = snapshot();
    std::vector<storage::RequestMetricsRow> rows;
    for (const RouteModelStats& total : totals) {
        const auto previous = flushed_.find(LatencyKey{total.route, total.model});
        const RouteModelStats zero{};
        const RouteModelStats& before = previous == flushed_.end() ? zero : previous->second;
        storage::RequestMetricsRow row;
        row.route = total.route;
        row.model = total.model;
        row.requests = total.requests - before.requests;
        row.errors = total.errors - before.errors;
        row.latencySumMs = (total.latencySumSeconds - before.latencySumSeconds) * 1000.0;
        for (double bound : kBuckets) row.boundsMs.push_back(bound * 1000.0);
        for (std::size_t i = 0; i < total.buckets.size(); ++i)
            row.counts.push_back(total.buckets[i] - before.buckets[i]);
        if (row.requests > 0) rows.push_back(std::move(row));
    }
    if (!rows.empty()) {
        const QSqlError error = storage::writeRequestMetrics(database, replica, windowStartMs_,
                                                             now - windowStartMs_, rows);
        if (error.isValid()) return error;
    }
    for (const RouteModelStats& total : totals)
        flushed_[LatencyKey{total.route, total.model}] = total;
    windowStartMs_ = now;
    return {};
}

void MetricsRegistry::countReload(bool ok) {
    std::lock_guard lock(mutex_);
    ++(ok ? reloadsOk_ : reloadsFailed_);
}

void MetricsRegistry::countCache(bool hit) {
    std::lock_guard lock(mutex_);
    ++(hit ? cacheHits_ : cacheMisses_);
}

double MetricsRegistry::uptimeSeconds() const {
    return static_cast<double>(started_.nsecsElapsed()) / 1e9;
}

qint64 MetricsRegistry::requestCount(const QString& route, int status) const {
    std::lock_guard lock(mutex_);
    qint64 total = 0;
    for (const auto& [key, count] : requests_)
        if (std::get<0>(key) == route && std::get<2>(key) == status) total += count;
    return total;
}

QByteArray MetricsRegistry::render(const std::vector<ModelInfo>& models) const {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(9);
    std::lock_guard lock(mutex_);

    out << "# HELP animerec_http_requests_total HTTP requests by route, method and status.\n"
           "# TYPE animerec_http_requests_total counter\n";
    for (const auto& [key, count] : requests_)
        out << "animerec_http_requests_total{route=\"" << label(std::get<0>(key)) << "\",method=\""
            << label(std::get<1>(key)) << "\",status=\"" << std::get<2>(key) << "\"} " << count
            << "\n";

    out << "# HELP animerec_http_errors_total HTTP requests answered with status >= 400.\n"
           "# TYPE animerec_http_errors_total counter\n";
    std::map<std::pair<QString, int>, qint64> errors;
    for (const auto& [key, count] : requests_)
        if (std::get<2>(key) >= 400) errors[{std::get<0>(key), std::get<2>(key)}] += count;
    for (const auto& [key, count] : errors)
        out << "animerec_http_errors_total{route=\"" << label(key.first) << "\",status=\""
            << key.second << "\"} " << count << "\n";

    out << "# HELP animerec_http_request_duration_seconds Request latency by route and model.\n"
           "# TYPE animerec_http_request_duration_seconds histogram\n";
    for (const auto& [key, histogram] : latency_) {
        const QString labels =
            QStringLiteral("route=\"%1\",model=\"%2\"").arg(label(key.first), label(key.second));
        qint64 cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            out << "animerec_http_request_duration_seconds_bucket{" << labels << ",le=\""
                << kBuckets[i] << "\"} " << cumulative << "\n";
        }
        out << "animerec_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
            << histogram.count << "\n";
        out << "animerec_http_request_duration_seconds_sum{" << labels << "} " << histogram.sum
            << "\n";
        out << "animerec_http_request_duration_seconds_count{" << labels << "} " << histogram.count
            << "\n";
    }

    out << "# HELP animerec_model_info The model serving each role (value is always 1).\n"
           "# TYPE animerec_model_info gauge\n";
    for (const ModelInfo& model : models)
        out << "animerec_model_info{role=\"" << label(model.role) << "\",model=\""
            << label(model.family) << "\",version=\"" << label(model.version) << "\"} 1\n";

    out << "# HELP animerec_model_reloads_total Model reload attempts by result.\n"
           "# TYPE animerec_model_reloads_total counter\n"
        << "animerec_model_reloads_total{result=\"ok\"} " << reloadsOk_ << "\n"
        << "animerec_model_reloads_total{result=\"failed\"} " << reloadsFailed_ << "\n";

    out << "# HELP animerec_response_cache_total Recommendation lookups in the answer cache.\n"
           "# TYPE animerec_response_cache_total counter\n"
        << "animerec_response_cache_total{result=\"hit\"} " << cacheHits_ << "\n"
        << "animerec_response_cache_total{result=\"miss\"} " << cacheMisses_ << "\n";

    out << "# HELP animerec_uptime_seconds Seconds since the service started.\n"
           "# TYPE animerec_uptime_seconds gauge\n"
        << "animerec_uptime_seconds " << uptimeSeconds() << "\n";
    out.flush();
    return text.toUtf8();
}

}  // namespace animerec::service

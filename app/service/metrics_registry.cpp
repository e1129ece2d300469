#include "service/metrics_registry.h"

#include <QTextStream>
#include <algorithm>
#include <tuple>

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

MetricsRegistry::MetricsRegistry() { started_.start(); }

void MetricsRegistry::observe(const QString& route, const QString& method, int status,
                              const QString& model, double seconds) {
    const auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
    std::lock_guard lock(mutex_);
    ++requests_[RequestKey{route, method, status}];
    Histogram& histogram = latency_[LatencyKey{route, model}];
    if (bucket != kBuckets.end()) ++histogram.buckets[static_cast<std::size_t>(bucket - kBuckets.begin())];
    ++histogram.count;
    histogram.sum += seconds;
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
        const QString labels = QStringLiteral("route=\"%1\",model=\"%2\"")
                                   .arg(label(key.first), label(key.second));
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
        out << "animerec_http_request_duration_seconds_count{" << labels << "} "
            << histogram.count << "\n";
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

#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QSqlError>
#include <QString>
#include <array>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

namespace animerec::storage {
class Database;
}

namespace animerec::service {

// A model's identity as exported in animerec_model_info.
struct ModelInfo {
    QString role;
    QString family;
    QString version;
};

// Request counters and latency histograms, rendered in the Prometheus text format (0.0.4).
// Labels come from a closed set (route templates, model families), so cardinality stays bounded.
// Thread-safe: observe() takes a mutex for a few additions.
class MetricsRegistry {
public:
    // Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 12> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

    MetricsRegistry();

    // One finished request. `route` is the route template ("/anime/{id}"), `model` the family that
    // answered (empty when none).
    void observe(const QString& route, const QString& method, int status, const QString& model,
                 double seconds);
    void countReload(bool ok);
    void countCache(bool hit);

    QByteArray render(const std::vector<ModelInfo>& models) const;

    // Totals since start for one (route, model) pair.
    struct RouteModelStats {
        QString route;
        QString model;
        qint64 requests = 0;
        qint64 errors = 0;  // status >= 400
        double latencySumSeconds = 0.0;
        std::array<qint64, kBuckets.size() + 1> buckets{};  // per bucket, last = +Inf
    };
    std::vector<RouteModelStats> snapshot() const;

    // Writes what was observed since the previous successful flush (or since start) as one
    // RequestMetrics window of `replica` (storage/request_metrics_store.h). Call it every N
    // seconds from the thread that owns `database`; on an error the window is kept and the next
    // flush covers it too.
    QSqlError flushWindow(storage::Database& database, const QString& replica);

    double uptimeSeconds() const;
    qint64 requestCount(const QString& route, int status) const;

private:
    struct Histogram {
        std::array<qint64, kBuckets.size()> buckets{};
        qint64 count = 0;
        qint64 errors = 0;
        double sum = 0.0;
    };
    using RequestKey = std::tuple<QString, QString, int>;  // route, method, status
    using LatencyKey = std::pair<QString, QString>;        // route, model

    mutable std::mutex mutex_;
    std::map<RequestKey, qint64> requests_;
    std::map<LatencyKey, Histogram> latency_;
    qint64 reloadsOk_ = 0;
    qint64 reloadsFailed_ = 0;
    qint64 cacheHits_ = 0;
    qint64 cacheMisses_ = 0;
    QElapsedTimer started_;
    std::mutex flushMutex_;  // one flush at a time; guards the two members below
    std::map<LatencyKey, RouteModelStats> flushed_;
    qint64 windowStartMs_ = 0;
};

}  // namespace animerec::service

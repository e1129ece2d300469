#include "service/replica_sync.h"

#include <QSqlError>

#include "service/metrics_registry.h"
#include "service/quality_monitor.h"
#include "service/request_log.h"
#include "storage/database.h"
#include "storage/model_store.h"

namespace animerec::service {

ReplicaSync::ReplicaSync(Options options, MetricsRegistry& metrics, RequestLog& log,
                         std::function<void()> reload)
    : options_(std::move(options)),
      metrics_(metrics),
      log_(log),
      reload_(std::move(reload)),
      database_(std::make_unique<storage::Database>(options_.databaseLocation,
                                                    QStringLiteral("replica-sync"))) {
    QObject::connect(&modelTimer_, &QTimer::timeout, [this] { pollModels(); });
    QObject::connect(&metricsTimer_, &QTimer::timeout, [this] { flushMetrics(); });
}

ReplicaSync::~ReplicaSync() {
    // The last window, so a replica stopped by SIGTERM leaves its final counts too.
    if (options_.metricsFlushSeconds > 0) flushMetrics();
}

bool ReplicaSync::ensureOpen() {
    if (database_->isOpen() && database_->connection().isOpen()) return true;
    if (const QSqlError error = database_->open(); error.isValid()) {
        log_.event(LogLevel::Warning,
                   QStringLiteral("shared state: %1: %2").arg(database_->path(), error.text()));
        return false;
    }
    return true;
}

bool ReplicaSync::syncModels() {
    if (!ensureOpen()) return false;
    const storage::ModelSyncResult result =
        storage::syncModelDirectory(*database_, options_.modelsDirectory);
    if (!result.error.isEmpty()) {
        log_.event(LogLevel::Warning, QStringLiteral("model store: ") + result.error);
        database_->close();  // reconnect next time: the connection may be the problem
        return false;
    }
    for (const QString& failure : result.failed)
        log_.event(LogLevel::Error,
                   QStringLiteral("model store: kept the served file: ") + failure);
    if (!result.written.isEmpty())
        log_.event(LogLevel::Info, QStringLiteral("model store: updated ") +
                                       result.written.join(QStringLiteral(", ")));
    return !result.written.isEmpty();
}

void ReplicaSync::start() {
    if (options_.modelPollSeconds > 0) modelTimer_.start(options_.modelPollSeconds * 1000);
    if (options_.metricsFlushSeconds > 0) metricsTimer_.start(options_.metricsFlushSeconds * 1000);
}

void ReplicaSync::pollModels() {
    if (syncModels()) reload_();
}

void ReplicaSync::shareQuality(QualityMonitor& quality) {
    quality_ = &quality;
    quality.shareThroughDatabase();
}

void ReplicaSync::flushMetrics() {
    if (!ensureOpen()) return;
    QSqlError error = metrics_.flushWindow(*database_, options_.replicaName);
    if (!error.isValid() && quality_) error = quality_->flush(*database_, options_.replicaName);
    // One message per outage, not one per tick.
    if (error.isValid() && !lastFlushFailed_)
        log_.event(
            LogLevel::Warning,
            QStringLiteral("request metrics and quality counts not written yet: ") + error.text());
    if (error.isValid()) database_->close();
    lastFlushFailed_ = error.isValid();
}

}  // namespace animerec::service

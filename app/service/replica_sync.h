#pragma once

#include <QString>
#include <QTimer>
#include <functional>
#include <memory>

namespace animerec::storage {
class Database;
}

namespace animerec::service {

class MetricsRegistry;
class QualityMonitor;
class RequestLog;

// What a server replica shares with the others through the database: the model files that
// `animerec train` published (storage/model_store.h) and its request metrics
// (RequestMetrics windows) and online quality counts (QualityCounts). Runs on the thread that
// created it (the main thread of `serve`), with its own connection, so request threads never wait
// on it. A database that is away only delays both: the replica keeps serving the model files it
// has, and a metrics window not written is covered by the next one.
class ReplicaSync {
public:
    struct Options {
        QString databaseLocation;  // as given to --db
        QString modelsDirectory;
        QString replicaName;           // RequestMetrics.replica
        int modelPollSeconds = 30;     // 0 = only at start and on reload
        int metricsFlushSeconds = 10;  // 0 = never
    };

    // `reload` loads changed files of the models directory (ModelRegistry::loadDirectory).
    ReplicaSync(Options options, MetricsRegistry& metrics, RequestLog& log,
                std::function<void()> reload);
    ~ReplicaSync();
    ReplicaSync(const ReplicaSync&) = delete;
    ReplicaSync& operator=(const ReplicaSync&) = delete;

    // Brings the models directory up to the published versions; true when files changed.
    // Problems are logged (the files already there keep serving).
    bool syncModels();
    // Shares `quality`'s counts with the other replicas at every metrics flush (QualityCounts):
    // its view then covers them all. Call before start(); must outlive this object.
    void shareQuality(QualityMonitor& quality);
    // Starts the model poll and the metrics flush timers.
    void start();

private:
    void pollModels();
    void flushMetrics();
    bool ensureOpen();

    Options options_;
    MetricsRegistry& metrics_;
    RequestLog& log_;
    QualityMonitor* quality_ = nullptr;
    std::function<void()> reload_;
    std::unique_ptr<storage::Database> database_;
    QTimer modelTimer_;
    QTimer metricsTimer_;
    bool lastFlushFailed_ = false;
};

}  // namespace animerec::service

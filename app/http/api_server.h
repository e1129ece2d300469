#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

#include "http/api_endpoints.h"

namespace animerec::service {
class QualityMonitor;
class RequestLog;
}  // namespace animerec::service

namespace animerec::http {

struct ApiOptions {
    qint64 maxBodyBytes = 64 * 1024;  // larger bodies get 413
    QByteArray adminToken;            // empty: POST /admin/reload answers 403
    qint64 cacheBytes = qint64{256}
                        << 20;  // rendered answers kept per model generation; 0 = no cache
    // Answers of this many most active users (and of the catalogue) computed ahead of requests;
    // 0 = none. GET /ready waits for the first pass (CacheWarmer).
    int warmUsers = 0;
    int warmThreads = 0;  // threads of the first warm-up pass; 0 = one per core
    // A/B experiments, feedback and reports; null: those routes answer 503. Must outlive the
    // server.
    experiments::ExperimentRuntime* experiments = nullptr;
    // The online quality view (GET /quality, part of /metrics); null: the server keeps its own.
    // Must outlive the server.
    service::QualityMonitor* quality = nullptr;
    // Event loops accepting connections: 1 = the thread that owns the ApiServer only; N > 1 adds
    // N - 1 worker threads, each with its own listening socket on the same port (SO_REUSEPORT)
    // so the kernel spreads connections over them. Admin, feedback and experiment routes always
    // run on the owning thread (they use its database connection).
    int threads = 1;
};

// Wires ApiEndpoints into a QHttpServer: one-line route lambdas, and around each endpoint the
// parts every request shares (body size limit, timing, metrics, request log, 404/405, and a
// catch-all so no exception unwinds through the event loop).
// QHttpServer 6.4 runs every handler on the thread that owns it, so one server is one core;
// ApiOptions::threads runs several (the recommendation path is const and thread-safe).
class ApiServer {
public:
    ApiServer(const service::RecommendService& service, service::MetricsRegistry& metrics,
              service::RequestLog& log, ApiEndpoints::ReloadFunction reload, ApiOptions options);
    ~ApiServer();

    // Starts listening; returns the bound port (useful with port 0) or 0 on failure.
    quint16 listen(const QHostAddress& address, quint16 port);
    // Event loops serving requests (1 + worker threads started by listen()).
    int threads() const { return 1 + static_cast<int>(workers_.size()); }

private:
    using Endpoint = std::function<ApiReply()>;
    struct Worker;
    // `ownerThread`: the endpoint runs on the thread owning the ApiServer (a worker waits for it).
    QHttpServerResponse handle(const QString& route, const QHttpServerRequest& request,
                               const Endpoint& endpoint, bool ownerThread = false);
    ApiReply onOwnerThread(const Endpoint& endpoint);
    void missing(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void record(const QString& route, const QHttpServerRequest& request, const ApiReply& reply,
                double seconds);
    void registerRoutes(QHttpServer& server);
    quint16 listenShared(const QHostAddress& address, quint16 port);

    std::unique_ptr<service::QualityMonitor> ownQuality_;  // when ApiOptions::quality is null
    service::QualityMonitor* quality_ = nullptr;
    ApiEndpoints endpoints_;
    std::unique_ptr<CacheWarmer> warmer_;  // after endpoints_: stops before they go
    service::MetricsRegistry& metrics_;
    service::RequestLog& log_;
    ApiOptions options_;
    QObject owner_;  // lives in the owning thread; owner-thread endpoints are queued to it
    QHttpServer server_;
    std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace animerec::http

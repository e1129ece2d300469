#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QString>
#include <functional>

#include "http/api_endpoints.h"

namespace animerec::service {
class RequestLog;
}

namespace animerec::http {

struct ApiOptions {
    qint64 maxBodyBytes = 64 * 1024;  // larger bodies get 413
    QByteArray adminToken;            // empty: POST /admin/reload answers 403
    int cacheEntries = 10000;         // rendered answers kept per model generation; 0 = no cache
    // A/B experiments, feedback and reports; null: those routes answer 503. Must outlive the server.
    experiments::ExperimentService* experiments = nullptr;
};

// Wires ApiEndpoints into a QHttpServer: one-line route lambdas, and around each endpoint the
// parts every request shares (body size limit, timing, metrics, request log, 404/405, and a
// catch-all so no exception unwinds through the event loop).
// QHttpServer 6.4 runs every handler on the thread that owns it (the main thread).
class ApiServer {
public:
    ApiServer(const service::RecommendService& service, service::MetricsRegistry& metrics,
              service::RequestLog& log, ApiEndpoints::ReloadFunction reload, ApiOptions options);

    // Starts listening; returns the bound port (useful with port 0) or 0 on failure.
    quint16 listen(const QHostAddress& address, quint16 port);

private:
    using Endpoint = std::function<ApiReply()>;
    QHttpServerResponse handle(const QString& route, const QHttpServerRequest& request,
                               const Endpoint& endpoint);
    void missing(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void record(const QString& route, const QHttpServerRequest& request, const ApiReply& reply,
                double seconds);
    void registerRoutes();

    ApiEndpoints endpoints_;
    service::MetricsRegistry& metrics_;
    service::RequestLog& log_;
    ApiOptions options_;
    QHttpServer server_;
};

}  // namespace animerec::http

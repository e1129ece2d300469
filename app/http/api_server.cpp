#include "http/api_server.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <exception>

#include "service/metrics_registry.h"
#include "service/request_log.h"

namespace animerec::http {

namespace {

using Method = QHttpServerRequest::Method;

struct RouteSpec {
    QString path;  // template as shown in metrics and logs
    Method method;
};

// Every route the API serves; the missing handler uses it to tell 405 from 404.
const std::vector<RouteSpec>& routeTable() {
    static const std::vector<RouteSpec> table{
        {QStringLiteral("/health"), Method::Get},
        {QStringLiteral("/ready"), Method::Get},
        {QStringLiteral("/top"), Method::Get},
        {QStringLiteral("/anime/{id}"), Method::Get},
        {QStringLiteral("/metrics"), Method::Get},
        {QStringLiteral("/openapi.json"), Method::Get},
        {QStringLiteral("/recommend_content_based"), Method::Post},
        {QStringLiteral("/recommend_session_based"), Method::Post},
        {QStringLiteral("/recommend_collaborative"), Method::Post},
        {QStringLiteral("/admin/reload"), Method::Post},
        {QStringLiteral("/feedback"), Method::Post},
        {QStringLiteral("/ab/experiments"), Method::Get},
        {QStringLiteral("/ab/{experiment}/report"), Method::Get},
        {QStringLiteral("/admin/experiments"), Method::Post},
        {QStringLiteral("/admin/experiments/{experiment}/{action}"), Method::Post},
    };
    return table;
}

// The route template a path belongs to, or empty when no route has this shape.
QString routeOf(const QString& path) {
    static const QString animePrefix = QStringLiteral("/anime/");
    if (path.startsWith(animePrefix) && path.size() > animePrefix.size() &&
        !path.mid(animePrefix.size()).contains(u'/'))
        return QStringLiteral("/anime/{id}");
    for (const RouteSpec& spec : routeTable())
        if (spec.path == path) return spec.path;
    const QStringList parts = path.split(u'/');  // "", "ab", name, "report"
    if (parts.size() == 4 && parts[1] == QLatin1String("ab") && parts[3] == QLatin1String("report"))
        return QStringLiteral("/ab/{experiment}/report");
    if (parts.size() == 5 && parts[1] == QLatin1String("admin") && parts[2] == QLatin1String("experiments"))
        return QStringLiteral("/admin/experiments/{experiment}/{action}");
    return {};
}

QString methodName(Method method) {
    switch (method) {
        case Method::Get: return QStringLiteral("GET");
        case Method::Post: return QStringLiteral("POST");
        case Method::Put: return QStringLiteral("PUT");
        case Method::Delete: return QStringLiteral("DELETE");
        case Method::Head: return QStringLiteral("HEAD");
        case Method::Options: return QStringLiteral("OPTIONS");
        case Method::Patch: return QStringLiteral("PATCH");
        default: return QStringLiteral("OTHER");
    }
}

QHttpServerResponse toResponse(ApiReply&& reply) {
    return QHttpServerResponse(std::move(reply.mimeType), std::move(reply.body),
                               static_cast<QHttpServerResponse::StatusCode>(reply.status));
}

}  // namespace

ApiServer::ApiServer(const service::RecommendService& service, service::MetricsRegistry& metrics,
                     service::RequestLog& log, ApiEndpoints::ReloadFunction reload,
                     ApiOptions options)
    : endpoints_(service, metrics, std::move(reload), options.adminToken, options.cacheEntries),
      metrics_(metrics),
      log_(log),
      options_(std::move(options)) {
    endpoints_.setExperiments(options_.experiments);
    registerRoutes();
}

void ApiServer::registerRoutes() {
    using Request = const QHttpServerRequest&;
    auto& e = endpoints_;
    server_.route("/health", Method::Get, [this, &e](Request r) { return handle("/health", r, [&] { return e.health(r); }); });
    server_.route("/ready", Method::Get, [this, &e](Request r) { return handle("/ready", r, [&] { return e.ready(r); }); });
    server_.route("/top", Method::Get, [this, &e](Request r) { return handle("/top", r, [&] { return e.top(r); }); });
    server_.route("/anime/<arg>", Method::Get, [this, &e](const QString& id, Request r) { return handle("/anime/{id}", r, [&] { return e.anime(id); }); });
    server_.route("/metrics", Method::Get, [this, &e](Request r) { return handle("/metrics", r, [&] { return e.metrics(r); }); });
    server_.route("/openapi.json", Method::Get, [this, &e](Request r) { return handle("/openapi.json", r, [&] { return e.openApi(r); }); });
    server_.route("/recommend_content_based", Method::Post, [this, &e](Request r) { return handle("/recommend_content_based", r, [&] { return e.recommendContentBased(r); }); });
    server_.route("/recommend_session_based", Method::Post, [this, &e](Request r) { return handle("/recommend_session_based", r, [&] { return e.recommendSessionBased(r); }); });
    server_.route("/recommend_collaborative", Method::Post, [this, &e](Request r) { return handle("/recommend_collaborative", r, [&] { return e.recommendCollaborative(r); }); });
    server_.route("/admin/reload", Method::Post, [this, &e](Request r) { return handle("/admin/reload", r, [&] { return e.reload(r); }); });
    server_.route("/feedback", Method::Post, [this, &e](Request r) { return handle("/feedback", r, [&] { return e.feedback(r); }); });
    server_.route("/ab/experiments", Method::Get, [this, &e](Request r) { return handle("/ab/experiments", r, [&] { return e.experimentList(r); }); });
    server_.route("/ab/<arg>/report", Method::Get, [this, &e](const QString& name, Request r) { return handle("/ab/{experiment}/report", r, [&] { return e.experimentReport(name, r); }); });
    server_.route("/admin/experiments", Method::Post, [this, &e](Request r) { return handle("/admin/experiments", r, [&] { return e.defineExperiment(r); }); });
    server_.route("/admin/experiments/<arg>/<arg>", Method::Post, [this, &e](const QString& name, const QString& action, Request r) { return handle("/admin/experiments/{experiment}/{action}", r, [&] { return e.experimentAction(name, action, r); }); });
    server_.setMissingHandler([this](Request r, QHttpServerResponder&& responder) { missing(r, std::move(responder)); });
}

quint16 ApiServer::listen(const QHostAddress& address, quint16 port) {
    return server_.listen(address, port);
}

QHttpServerResponse ApiServer::handle(const QString& route, const QHttpServerRequest& request,
                                      const Endpoint& endpoint) {
    QElapsedTimer timer;
    timer.start();
    ApiReply reply;
    if (request.body().size() > options_.maxBodyBytes) {
        reply = ApiReply::error({413, QStringLiteral("body"),
                                 QStringLiteral("request body has %1 bytes; the limit is %2")
                                     .arg(request.body().size())
                                     .arg(options_.maxBodyBytes)});
    } else {
        try {
            reply = endpoint();
        } catch (const std::exception& error) {
            reply = ApiReply::error({500, QString(), QString::fromUtf8(error.what())});
        } catch (...) {
            reply = ApiReply::error({500, QString(), QStringLiteral("unexpected error")});
        }
    }
    record(route, request, reply, static_cast<double>(timer.nsecsElapsed()) / 1e9);
    return toResponse(std::move(reply));
}

void ApiServer::missing(const QHttpServerRequest& request, QHttpServerResponder&& responder) {
    const QString path = request.url().path();
    const QString route = routeOf(path);
    QByteArray allow;
    for (const RouteSpec& spec : routeTable())
        if (spec.path == route) allow += (allow.isEmpty() ? "" : ", ") + methodName(spec.method).toLatin1();
    const bool wrongMethod = !route.isEmpty() && !allow.isEmpty();
    const ApiReply reply = ApiReply::error(
        wrongMethod ? RequestError{405, QStringLiteral("method"),
                                   QStringLiteral("%1 is not allowed on %2; use %3")
                                       .arg(methodName(request.method()), route, QString::fromLatin1(allow))}
                    : RequestError{404, QStringLiteral("path"),
                                   QStringLiteral("no route %1").arg(path.left(200))});
    record(wrongMethod ? route : QStringLiteral("unmatched"), request, reply, 0.0);
    const auto status = static_cast<QHttpServerResponder::StatusCode>(reply.status);
    if (wrongMethod)
        responder.write(reply.body, {{"Content-Type", "application/json"}, {"Allow", allow}}, status);
    else
        responder.write(reply.body, "application/json", status);
}

void ApiServer::record(const QString& route, const QHttpServerRequest& request,
                       const ApiReply& reply, double seconds) {
    const QString method = methodName(request.method());
    metrics_.observe(route, method, reply.status, reply.model, seconds);
    log_.record({method, route, reply.params, reply.status, seconds * 1000.0, reply.model,
                 reply.modelVersion, reply.message});
}

}  // namespace animerec::http

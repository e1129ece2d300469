#include "http/api_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <QThread>
#include <cstring>
#include <exception>

#include "data/dataset.h"
#include "http/cache_warmer.h"
#include "http/quality_tap.h"
#include "service/metrics_registry.h"
#include "service/quality_monitor.h"
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
        {QStringLiteral("/quality"), Method::Get},
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
    if (parts.size() == 5 && parts[1] == QLatin1String("admin") &&
        parts[2] == QLatin1String("experiments"))
        return QStringLiteral("/admin/experiments/{experiment}/{action}");
    return {};
}

QString methodName(Method method) {
    switch (method) {
        case Method::Get:
            return QStringLiteral("GET");
        case Method::Post:
            return QStringLiteral("POST");
        case Method::Put:
            return QStringLiteral("PUT");
        case Method::Delete:
            return QStringLiteral("DELETE");
        case Method::Head:
            return QStringLiteral("HEAD");
        case Method::Options:
            return QStringLiteral("OPTIONS");
        case Method::Patch:
            return QStringLiteral("PATCH");
        default:
            return QStringLiteral("OTHER");
    }
}

// A listening TCP socket that other sockets of this process may bind to the same port
// (SO_REUSEPORT: the kernel spreads new connections over them); -1 on failure.
int sharedListeningSocket(const QHostAddress& address, quint16 port) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    if (v4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    } else {
        // IPv6, or "any" (both families through one dual-stack socket).
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.protocol() == QAbstractSocket::IPv6Protocol
                                     ? address.toIPv6Address()
                                     : QHostAddress(QHostAddress::AnyIPv6).toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        length = sizeof(sockaddr_in6);
    }
    const int fd = ::socket(v4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int one = 1;
    const int zero = 0;
    const bool ok = ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                    ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) == 0 &&
                    (v4 || address.protocol() == QAbstractSocket::IPv6Protocol ||
                     ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) == 0) &&
                    ::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0 &&
                    ::listen(fd, SOMAXCONN) == 0;
    if (!ok) {
        ::close(fd);
        return -1;
    }
    return fd;
}

quint16 boundPort(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return 0;
    return ntohs(storage.ss_family == AF_INET
                     ? reinterpret_cast<sockaddr_in*>(&storage)->sin_port
                     : reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
}

QHttpServerResponse toResponse(ApiReply&& reply) {
    return QHttpServerResponse(std::move(reply.mimeType), std::move(reply.body),
                               static_cast<QHttpServerResponse::StatusCode>(reply.status));
}

}  // namespace

ApiServer::ApiServer(const service::RecommendService& service, service::MetricsRegistry& metrics,
                     service::RequestLog& log, ApiEndpoints::ReloadFunction reload,
                     ApiOptions options)
    : ownQuality_(options.quality
                      ? nullptr
                      : std::make_unique<service::QualityMonitor>(std::shared_ptr<const Dataset>(
                            &service.dataset(), [](const Dataset*) {}))),
      quality_(options.quality ? options.quality : ownQuality_.get()),
      endpoints_(service, metrics, std::move(reload), options.adminToken, options.cacheBytes),
      metrics_(metrics),
      log_(log),
      options_(std::move(options)) {
    endpoints_.setExperiments(options_.experiments);
    endpoints_.setQuality(quality_);
    if (options_.warmUsers > 0 && options_.cacheBytes > 0) {
        warmer_ = std::make_unique<CacheWarmer>(
            endpoints_, service, CacheWarmer::Options{options_.warmUsers, options_.warmThreads});
        endpoints_.setWarmer(warmer_.get());
        warmer_->start();
    }
    registerRoutes(server_);
}

// A worker thread with its own QHttpServer; `context` lives in the thread and owns the server.
struct ApiServer::Worker {
    QThread thread;
    QObject* context = nullptr;
};

ApiServer::~ApiServer() {
    for (const auto& worker : workers_) {
        // Deleting the context closes the worker's sockets in its own thread, then it stops.
        QMetaObject::invokeMethod(worker->context, [context = worker->context] {
            delete context;
            QThread::currentThread()->quit();
        });
    }
    // A worker may be waiting for an owner-thread endpoint: keep serving those meanwhile.
    for (const auto& worker : workers_)
        while (!worker->thread.wait(QDeadlineTimer(10)))
            QCoreApplication::sendPostedEvents(&owner_);
}

void ApiServer::registerRoutes(QHttpServer& server) {
    using Request = const QHttpServerRequest&;
    auto& e = endpoints_;
    server.route("/health", Method::Get, [this, &e](Request r) {
        return handle("/health", r, [&] { return e.health(r); });
    });
    server.route("/ready", Method::Get,
                 [this, &e](Request r) { return handle("/ready", r, [&] { return e.ready(r); }); });
    server.route("/top", Method::Get,
                 [this, &e](Request r) { return handle("/top", r, [&] { return e.top(r); }); });
    server.route("/anime/<arg>", Method::Get, [this, &e](const QString& id, Request r) {
        return handle("/anime/{id}", r, [&] { return e.anime(id); });
    });
    server.route("/metrics", Method::Get, [this, &e](Request r) {
        return handle("/metrics", r, [&] { return e.metrics(r); });
    });
    server.route("/quality", Method::Get, [this, &e](Request r) {
        return handle("/quality", r, [&] { return e.quality(r); });
    });
    server.route("/openapi.json", Method::Get, [this, &e](Request r) {
        return handle("/openapi.json", r, [&] { return e.openApi(r); });
    });
    server.route("/recommend_content_based", Method::Post, [this, &e](Request r) {
        return handle("/recommend_content_based", r, [&] { return e.recommendContentBased(r); });
    });
    server.route("/recommend_session_based", Method::Post, [this, &e](Request r) {
        return handle("/recommend_session_based", r, [&] { return e.recommendSessionBased(r); });
    });
    server.route("/recommend_collaborative", Method::Post, [this, &e](Request r) {
        return handle("/recommend_collaborative", r, [&] { return e.recommendCollaborative(r); });
    });
    server.route("/admin/reload", Method::Post, [this, &e](Request r) {
        return handle(
            "/admin/reload", r, [&] { return e.reload(r); }, true);
    });
    server.route("/feedback", Method::Post, [this, &e](Request r) {
        return handle(
            "/feedback", r, [&] { return e.feedback(r); }, true);
    });
    server.route("/ab/experiments", Method::Get, [this, &e](Request r) {
        return handle(
            "/ab/experiments", r, [&] { return e.experimentList(r); }, true);
    });
    server.route("/ab/<arg>/report", Method::Get, [this, &e](const QString& name, Request r) {
        return handle(
            "/ab/{experiment}/report", r, [&] { return e.experimentReport(name, r); }, true);
    });
    server.route("/admin/experiments", Method::Post, [this, &e](Request r) {
        return handle(
            "/admin/experiments", r, [&] { return e.defineExperiment(r); }, true);
    });
    server.route("/admin/experiments/<arg>/<arg>", Method::Post,
                 [this, &e](const QString& name, const QString& action, Request r) {
                     return handle(
                         "/admin/experiments/{experiment}/{action}", r,
                         [&] { return e.experimentAction(name, action, r); }, true);
                 });
    server.setMissingHandler(
        [this](Request r, QHttpServerResponder&& responder) { missing(r, std::move(responder)); });
}

quint16 ApiServer::listen(const QHostAddress& address, quint16 port) {
    if (options_.threads <= 1 || !workers_.empty()) return server_.listen(address, port);
    return listenShared(address, port);
}

quint16 ApiServer::listenShared(const QHostAddress& address, quint16 port) {
    const int first = sharedListeningSocket(address, port);
    if (first < 0) return 0;
    const quint16 bound = boundPort(first);
    auto* tcp = new QTcpServer(&server_);
    if (bound == 0 || !tcp->setSocketDescriptor(first)) {
        ::close(first);
        delete tcp;
        return 0;
    }
    server_.bind(tcp);
    for (int i = 1; i < options_.threads; ++i) {
        const int fd = sharedListeningSocket(address, bound);
        if (fd < 0) break;  // fewer threads, still serving
        auto worker = std::make_unique<Worker>();
        worker->thread.setObjectName(QStringLiteral("http-%1").arg(i));
        worker->context = new QObject;
        worker->context->moveToThread(&worker->thread);
        worker->thread.start();
        QMetaObject::invokeMethod(
            worker->context,
            [this, fd, context = worker->context] {
                auto* http = new QHttpServer(context);
                registerRoutes(*http);
                auto* socket = new QTcpServer(http);
                if (!socket->setSocketDescriptor(fd))
                    ::close(fd);
                else
                    http->bind(socket);
            },
            Qt::BlockingQueuedConnection);
        workers_.push_back(std::move(worker));
    }
    return bound;
}

ApiReply ApiServer::onOwnerThread(const Endpoint& endpoint) {
    if (QThread::currentThread() == owner_.thread()) return endpoint();
    ApiReply reply;
    std::exception_ptr failure;
    QMetaObject::invokeMethod(
        &owner_,
        [&] {
            try {
                reply = endpoint();
            } catch (...) {
                failure = std::current_exception();
            }
        },
        Qt::BlockingQueuedConnection);
    if (failure) std::rethrow_exception(failure);
    return reply;
}

QHttpServerResponse ApiServer::handle(const QString& route, const QHttpServerRequest& request,
                                      const Endpoint& endpoint, bool ownerThread) {
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
            reply = ownerThread ? onOwnerThread(endpoint) : endpoint();
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
        if (spec.path == route)
            allow += (allow.isEmpty() ? "" : ", ") + methodName(spec.method).toLatin1();
    const bool wrongMethod = !route.isEmpty() && !allow.isEmpty();
    const ApiReply reply = ApiReply::error(
        wrongMethod ? RequestError{405, QStringLiteral("method"),
                                   QStringLiteral("%1 is not allowed on %2; use %3")
                                       .arg(methodName(request.method()), route,
                                            QString::fromLatin1(allow))}
                    : RequestError{404, QStringLiteral("path"),
                                   QStringLiteral("no route %1").arg(path.left(200))});
    record(wrongMethod ? route : QStringLiteral("unmatched"), request, reply, 0.0);
    const auto status = static_cast<QHttpServerResponder::StatusCode>(reply.status);
    if (wrongMethod)
        responder.write(reply.body, {{"Content-Type", "application/json"}, {"Allow", allow}},
                        status);
    else
        responder.write(reply.body, "application/json", status);
}

void ApiServer::record(const QString& route, const QHttpServerRequest& request,
                       const ApiReply& reply, double seconds) {
    const QString method = methodName(request.method());
    metrics_.observe(route, method, reply.status, reply.model, seconds);
    observeQuality(*quality_, route, reply);
    log_.record({method, route, reply.params, reply.status, seconds * 1000.0, reply.model,
                 reply.modelVersion, reply.message});
}

}  // namespace animerec::http

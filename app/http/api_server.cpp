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
#include "http/route_table.h"
#include "service/metrics_registry.h"
#include "service/quality_monitor.h"
#include "service/request_log.h"

namespace animerec::http {

namespace {

using Method = QHttpServerRequest::Method;

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
    for (const Route& route : routes()) {
        const QString pattern = serverPattern(route.path);
        // QHttpServer 6.4 takes a route's arguments as handler parameters, so the arity is
        // fixed at compile time: one registration per argument count.
        const auto answer = [this, &route](const QStringList& arguments, Request r) {
            return handle(
                route.path, r, [&] { return route.answer(endpoints_, arguments, r); },
                route.ownerThread);
        };
        switch (argumentCount(route.path)) {
            case 0:
                server.route(pattern, route.method, [answer](Request r) { return answer({}, r); });
                break;
            case 1:
                server.route(pattern, route.method,
                             [answer](const QString& a, Request r) { return answer({a}, r); });
                break;
            case 2:
                server.route(pattern, route.method,
                             [answer](const QString& a, const QString& b, Request r) {
                                 return answer({a, b}, r);
                             });
                break;
            default:
                qFatal("route %s: more than two arguments", qPrintable(route.path));
        }
    }
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
    for (const Route& candidate : routes())
        if (candidate.path == route)
            allow += (allow.isEmpty() ? "" : ", ") + methodName(candidate.method).toLatin1();
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

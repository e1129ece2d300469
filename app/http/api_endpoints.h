#pragma once

#include <QByteArray>
#include <functional>
#include <vector>

#include "http/api_reply.h"
#include "http/response_cache.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"

class QHttpServerRequest;

namespace animerec::service {
class MetricsRegistry;
}  // namespace animerec::service

namespace animerec::http {

// The body of every route: parses the request with the json_request helpers, asks the
// RecommendService, and renders JSON. Knows nothing about sockets, timing or logging (ApiServer).
class ApiEndpoints {
public:
    using ReloadFunction = std::function<service::ReloadReport()>;

    // `cacheEntries` answers are kept (0 disables the cache).
    ApiEndpoints(const service::RecommendService& service, service::MetricsRegistry& metrics,
                 ReloadFunction reload, QByteArray adminToken, int cacheEntries);

    ApiReply health(const QHttpServerRequest& request) const;
    ApiReply ready(const QHttpServerRequest& request) const;
    ApiReply top(const QHttpServerRequest& request) const;
    ApiReply anime(const QString& id) const;
    ApiReply metrics(const QHttpServerRequest& request) const;
    ApiReply openApi(const QHttpServerRequest& request) const;
    ApiReply recommendContentBased(const QHttpServerRequest& request) const;
    ApiReply recommendSessionBased(const QHttpServerRequest& request) const;
    ApiReply recommendCollaborative(const QHttpServerRequest& request) const;
    ApiReply reload(const QHttpServerRequest& request) const;

private:
    template <typename Compute>
    ApiReply cached(const QByteArray& key, QJsonObject params, Compute&& compute) const;
    ApiReply render(const service::Outcome<service::Recommendation>& outcome,
                    QJsonObject params) const;

    const service::RecommendService& service_;
    service::MetricsRegistry& metrics_;
    ReloadFunction reload_;
    QByteArray adminToken_;
    // Per catalogue item, the constant start of its JSON ({"anime_id":..,"title":..,..,"score":),
    // escaped once at startup so answering costs no per-item string conversion.
    std::vector<QByteArray> itemPrefix_;
    mutable ResponseCache cache_;
};

}  // namespace animerec::http

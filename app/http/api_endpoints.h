#pragma once

#include <QByteArray>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "http/api_reply.h"
#include "http/recommendation_json.h"
#include "http/response_cache.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"

class QHttpServerRequest;

namespace animerec::service {
class MetricsRegistry;
class QualityMonitor;
}  // namespace animerec::service

namespace animerec::experiments {
class ExperimentRuntime;
struct Assignment;
}  // namespace animerec::experiments

namespace animerec::http {

class CacheWarmer;

// The body of every route: parses the request with the json_request helpers, asks the
// RecommendService, and renders JSON. Knows nothing about sockets, timing or logging (ApiServer).
class ApiEndpoints {
public:
    using ReloadFunction = std::function<service::ReloadReport()>;

    static constexpr int kDefaultTopN = 10;

    // Rendered answers are cached within `cacheBytes` (0 disables the cache).
    ApiEndpoints(const service::RecommendService& service, service::MetricsRegistry& metrics,
                 ReloadFunction reload, QByteArray adminToken, qint64 cacheBytes);

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

    // A/B experiments and feedback; without setExperiments() these answer 503.
    void setExperiments(experiments::ExperimentRuntime* experiments) { experiments_ = experiments; }
    ApiReply feedback(const QHttpServerRequest& request) const;
    ApiReply experimentList(const QHttpServerRequest& request) const;
    ApiReply experimentReport(const QString& name, const QHttpServerRequest& request) const;
    ApiReply defineExperiment(const QHttpServerRequest& request) const;
    ApiReply experimentAction(const QString& name, const QString& action,
                              const QHttpServerRequest& request) const;

    // GET /quality: the online quality view (service/quality_monitor.h); its counters and
    // gauges are also appended to GET /metrics. Without setQuality() /quality answers 503.
    void setQuality(const service::QualityMonitor* quality) { quality_ = quality; }
    ApiReply quality(const QHttpServerRequest& request) const;

    // Answers computed ahead of requests (CacheWarmer): puts the default answer (top_n 10) for
    // `id` (a user for the collaborative and session routes, an anime for content) into the cache
    // unless it is there, counting neither hit nor miss. Returns false, doing nothing, once the
    // cache holds `fillLimitBytes`: the rest of the budget stays for what requests bring.
    enum class WarmRoute { Collaborative, Session, Content };
    bool warm(WarmRoute route, std::int64_t id, qint64 fillLimitBytes) const;
    qint64 cacheCapacityBytes() const { return cache_.capacityBytes(); }
    // While its first pass runs, GET /ready answers 503 and says how far it got.
    void setWarmer(const CacheWarmer* warmer) { warmer_ = warmer; }

private:
    // The route's answer for `key` from the response cache, else computed, rendered (with the
    // experiment block of `assignment`, when given) and cached.
    using Compute = std::function<service::Outcome<service::Recommendation>()>;
    ApiReply cached(const QByteArray& key, QJsonObject params, const Compute& compute,
                    const experiments::Assignment* assignment = nullptr) const;
    ApiReply render(const service::Outcome<service::Recommendation>& outcome, QJsonObject params,
                    const experiments::Assignment* assignment = nullptr) const;
    // The answer of the running experiment covering `route`, when the unit is in one.
    std::optional<ApiReply> fromExperiment(const QString& route, std::optional<std::int64_t> userId,
                                           const QString& sessionId,
                                           const std::vector<std::int64_t>& history, int topN,
                                           const QJsonObject& params) const;
    std::optional<ApiReply> refuseAdmin(const QHttpServerRequest& request) const;
    QByteArray userKey(std::int64_t userId) const;
    // The quality series and the database's availability in the Prometheus text format.
    QByteArray qualityMetrics() const;  // cache key part that changes with feedback
    // Cache keys of the plain (no experiment) answers.
    QByteArray collaborativeKey(std::int64_t userId, std::int64_t topN) const;
    QByteArray sessionKey(std::int64_t userId, std::int64_t topN) const;
    static QByteArray contentKey(std::int64_t animeId, std::int64_t topN);

    const service::RecommendService& service_;
    service::MetricsRegistry& metrics_;
    ReloadFunction reload_;
    QByteArray adminToken_;
    RecommendationJson json_;
    mutable ResponseCache cache_;
    experiments::ExperimentRuntime* experiments_ = nullptr;
    const CacheWarmer* warmer_ = nullptr;
    const service::QualityMonitor* quality_ = nullptr;
};

}  // namespace animerec::http

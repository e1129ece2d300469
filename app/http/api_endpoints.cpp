#include "http/api_endpoints.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>

#include "data/dataset.h"
#include "experiments/experiment_runtime.h"
#include "http/cache_warmer.h"
#include "http/openapi_document.h"
#include "service/metrics_registry.h"
#include "service/recent_history.h"
#include "service/recommend_service.h"

namespace animerec::http {

namespace {

const QStringList kContentFields{QStringLiteral("anime_id"), QStringLiteral("top_n")};
const QStringList kSessionFields{QStringLiteral("user_id"), QStringLiteral("history"),
                                 QStringLiteral("top_n"), QStringLiteral("session_id"),
                                 QStringLiteral("genres")};
constexpr qsizetype kMaxSessionIdLength = 128;
const QStringList kCollaborativeFields{QStringLiteral("user_id"), QStringLiteral("top_n"),
                                       QStringLiteral("genres")};
constexpr int kMaxGenres = 20;
constexpr std::int64_t kMaxId = std::int64_t{1} << 53;

QString text(const std::string& value) { return QString::fromStdString(value); }

QJsonObject animeJson(const AnimeRecord& record) {
    QJsonArray genres;
    for (const std::string& genre : record.genres) genres.append(text(genre));
    return {
        {QStringLiteral("anime_id"), static_cast<qint64>(record.animeId)},
        {QStringLiteral("title"), text(record.title)},
        {QStringLiteral("genre"), text(joinGenres(record.genres))},
        {QStringLiteral("genres"), genres},
        {QStringLiteral("type"), text(record.type)},
        {QStringLiteral("episodes"), record.episodes ? QJsonValue(*record.episodes) : QJsonValue()},
        {QStringLiteral("rating"), record.rating ? QJsonValue(*record.rating) : QJsonValue()},
        {QStringLiteral("members"),
         record.members ? QJsonValue(static_cast<qint64>(*record.members)) : QJsonValue()}};
}

ApiReply refused(const RequestError& error, QJsonObject params = {}) {
    ApiReply reply = ApiReply::error(error);
    reply.params = std::move(params);
    return reply;
}

// The admin token from "Authorization: Bearer <token>" or "X-Admin-Token: <token>".
QByteArray presentedToken(const QHttpServerRequest& request) {
    for (const auto& [name, value] : request.headers()) {
        if (name.compare("x-admin-token", Qt::CaseInsensitive) == 0) return value.trimmed();
        if (name.compare("authorization", Qt::CaseInsensitive) == 0 &&
            value.trimmed().startsWith("Bearer "))
            return value.trimmed().mid(7).trimmed();
    }
    return {};
}

// Compares in time independent of where the first difference is.
bool sameToken(const QByteArray& a, const QByteArray& b) {
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QJsonArray toArray(const QStringList& list) { return QJsonArray::fromStringList(list); }

// "genres": ["Action", "comedy"] -> the catalogue's spellings; 422 naming the entry that is not a
// string or not a genre of the catalogue. Absent or null: none.
http::Parsed<std::vector<std::string>> genresField(const QJsonObject& body,
                                                   const service::RecommendService& service) {
    const QString field = QStringLiteral("genres");
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull()) return {std::vector<std::string>{}, {}};
    if (!value.isArray() || value.toArray().size() > kMaxGenres)
        return {
            std::nullopt,
            {422, field,
             QStringLiteral("genres must be an array of at most %1 genre names").arg(kMaxGenres)}};
    std::vector<std::string> genres;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString entry = QStringLiteral("genres[%1]").arg(i);
        if (!array[i].isString())
            return {std::nullopt,
                    {422, entry, entry + QStringLiteral(" must be a genre name (a string)")}};
        const std::string known = service.knownGenre(array[i].toString().toStdString());
        if (known.empty())
            return {std::nullopt,
                    {422, entry,
                     QStringLiteral("'%1' is not a genre of the catalogue")
                         .arg(array[i].toString().left(40))}};
        genres.push_back(known);
    }
    return {std::move(genres), {}};
}

// The cache key part for favourite genres (empty without).
QByteArray genresKey(const std::vector<std::string>& genres) {
    QByteArray key;
    for (const std::string& genre : genres) key += '|' + QByteArray::fromStdString(genre);
    return key;
}

}  // namespace

ApiReply ApiReply::json(const QJsonObject& object, int status) {
    ApiReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

ApiReply ApiReply::error(const RequestError& error) {
    ApiReply reply = json(error.toJson(), error.status);
    reply.message = error.message;
    return reply;
}

ApiEndpoints::ApiEndpoints(const service::RecommendService& service,
                           service::MetricsRegistry& metrics, ReloadFunction reload,
                           QByteArray adminToken, qint64 cacheBytes)
    : service_(service),
      metrics_(metrics),
      reload_(std::move(reload)),
      adminToken_(std::move(adminToken)),
      json_(service_.dataset().catalog),
      cache_(cacheBytes) {}

ApiReply ApiEndpoints::render(const service::Outcome<service::Recommendation>& outcome,
                              QJsonObject params, const experiments::Assignment* assignment) const {
    if (const auto* failure = std::get_if<service::ServiceError>(&outcome)) {
        const int status = failure->kind == service::ServiceError::Kind::NotFound ? 404 : 422;
        ApiReply reply = ApiReply::error({status, failure->field, failure->message});
        reply.params = std::move(params);
        return reply;
    }
    const auto& result = std::get<service::Recommendation>(outcome);
    ApiReply reply;
    reply.body = json_.render(result, assignment);
    reply.model = result.model;
    reply.modelVersion = result.modelVersion;
    reply.params = std::move(params);
    return reply;
}

ApiReply ApiEndpoints::cached(const QByteArray& key, QJsonObject params, const Compute& compute,
                              const experiments::Assignment* assignment) const {
    const quint64 generation = service_.models().generation();
    if (cache_.enabled()) {
        if (auto entry = cache_.find(key, generation)) {
            metrics_.countCache(true);
            ApiReply reply;
            reply.body = std::move(entry->body);
            reply.model = std::move(entry->model);
            reply.modelVersion = std::move(entry->modelVersion);
            reply.params = std::move(params);
            reply.cacheLookup = reply.cacheHit = true;
            return reply;
        }
        metrics_.countCache(false);
    }
    ApiReply reply = render(compute(), std::move(params), assignment);
    reply.cacheLookup = cache_.enabled();
    if (reply.status == 200 && cache_.enabled())
        cache_.insert(key, generation, {reply.body, reply.model, reply.modelVersion});
    return reply;
}

bool ApiEndpoints::warm(WarmRoute route, std::int64_t id, qint64 fillLimitBytes) const {
    if (!cache_.enabled()) return false;
    const quint64 generation = service_.models().generation();
    if (cache_.bytesOf(generation) >= fillLimitBytes) return false;
    QByteArray key;
    Compute compute;
    switch (route) {
        case WarmRoute::Collaborative:
            key = collaborativeKey(id, kDefaultTopN);
            compute = [&] { return service_.collaborative(id, kDefaultTopN); };
            break;
        case WarmRoute::Session:
            key = sessionKey(id, kDefaultTopN);
            compute = [&] { return service_.sessionBased(id, kDefaultTopN); };
            break;
        case WarmRoute::Content:
            key = contentKey(id, kDefaultTopN);
            compute = [&] { return service_.contentBased(id, kDefaultTopN); };
            break;
    }
    if (cache_.contains(key, generation)) return true;
    const ApiReply reply = render(compute(), {});
    if (reply.status == 200)
        cache_.insert(key, generation, {reply.body, reply.model, reply.modelVersion});
    return true;
}

QByteArray ApiEndpoints::collaborativeKey(std::int64_t userId, std::int64_t topN) const {
    return "collaborative:" + userKey(userId) + ':' + QByteArray::number(topN);
}

QByteArray ApiEndpoints::sessionKey(std::int64_t userId, std::int64_t topN) const {
    return "session:" + userKey(userId) + ':' + QByteArray::number(topN);
}

QByteArray ApiEndpoints::contentKey(std::int64_t animeId, std::int64_t topN) {
    return "content:" + QByteArray::number(animeId) + ':' + QByteArray::number(topN);
}

ApiReply ApiEndpoints::health(const QHttpServerRequest&) const {
    return ApiReply::json({{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("uptime_seconds"), metrics_.uptimeSeconds()}});
}

ApiReply ApiEndpoints::ready(const QHttpServerRequest&) const {
    QJsonObject models;
    for (const service::ModelRole role : service::kAllModelRoles) {
        const auto served = service_.models().get(role);
        QJsonObject model;
        if (served) {
            model = {{QStringLiteral("model"), served->family},
                     {QStringLiteral("version"), served->version}};
            // Why this family serves the role (for collaborative: the validation choice).
            if (const QString why = service_.models().reason(role); !why.isEmpty())
                model.insert(QStringLiteral("reason"), why);
        }
        models.insert(service::roleName(role), served ? QJsonValue(model) : QJsonValue());
    }
    // Every loaded family per role (the default first): what A/B variants can name.
    QJsonObject available;
    for (const service::ModelRole role : service::kAllModelRoles) {
        QJsonArray families;
        for (const auto& served : service_.models().all(role))
            families.append(QJsonObject{{QStringLiteral("model"), served->family},
                                        {QStringLiteral("version"), served->version}});
        available.insert(service::roleName(role), families);
    }
    bool ready = service_.ready();
    QJsonObject body{{QStringLiteral("models"), models}, {QStringLiteral("available"), available}};
    if (!ready) body.insert(QStringLiteral("reason"), QStringLiteral("no model can answer"));
    // Traffic waits for the first warm-up, as for a server that precomputes its lists: until then
    // the first request for each user would score while others queue behind it.
    if (warmer_) {
        const CacheWarmer::Progress warmUp = warmer_->progress();
        body.insert(QStringLiteral("warm_up"),
                    QJsonObject{{QStringLiteral("done"), warmUp.done},
                                {QStringLiteral("total"), warmUp.total},
                                {QStringLiteral("cached_bytes"),
                                 cache_.bytesOf(service_.models().generation())},
                                {QStringLiteral("finished"), warmUp.firstPassFinished},
                                {QStringLiteral("passes"), warmUp.passes}});
        if (ready && !warmUp.firstPassFinished) {
            ready = false;
            body.insert(QStringLiteral("reason"),
                        QStringLiteral("warming the answer cache: %1 of %2 answers")
                            .arg(warmUp.done)
                            .arg(warmUp.total));
        }
    }
    // Feedback and experiment changes need the database; recommendations keep answering from
    // memory. So a replica without its database stays ready (a load balancer that dropped every
    // replica during a database restart would stop the lists too) and says it is degraded.
    bool degraded = false;
    if (experiments_) {
        const experiments::DatabaseHealth health = experiments_->databaseHealth();
        body.insert(QStringLiteral("database"),
                    QJsonObject{{QStringLiteral("available"), health.available},
                                {QStringLiteral("pending_events"), health.pending}});
        if (!health.available) {
            degraded = true;
            if (ready) body.insert(QStringLiteral("reason"), health.reason);
        }
    }
    body.insert(QStringLiteral("degraded"), degraded);
    body.insert(QStringLiteral("ready"), ready);
    return ApiReply::json(body, ready ? 200 : 503);
}

ApiReply ApiEndpoints::top(const QHttpServerRequest& request) const {
    // Without top_n the whole top-100, as top100.json holds it.
    static const QStringList allowed{QStringLiteral("top_n")};
    const auto topN = integerQueryParameter(request.url().query(), QStringLiteral("top_n"), 1,
                                            service::RecommendService::kMaxTopN,
                                            service::RecommendService::kMaxTopN, allowed);
    if (!topN) return refused(topN.error);
    const QJsonObject params{{QStringLiteral("top_n"), static_cast<qint64>(*topN)}};
    return cached("top:" + QByteArray::number(*topN), params,
                  [&] { return service_.top(static_cast<int>(*topN)); });
}

ApiReply ApiEndpoints::anime(const QString& id) const {
    const auto animeId = integerSegment(id, QStringLiteral("id"));
    if (!animeId) return refused(animeId.error);
    const QJsonObject params{{QStringLiteral("anime_id"), static_cast<qint64>(*animeId)}};
    const AnimeRecord* record = service_.anime(*animeId);
    if (!record)
        return refused({404, QStringLiteral("id"),
                        QStringLiteral("anime_id %1 is not in the catalogue").arg(*animeId)},
                       params);
    ApiReply reply = ApiReply::json(animeJson(*record));
    reply.params = params;
    return reply;
}

ApiReply ApiEndpoints::metrics(const QHttpServerRequest&) const {
    std::vector<service::ModelInfo> models;
    for (const service::ModelRole role : service::kAllModelRoles)
        if (const auto served = service_.models().get(role))
            models.push_back({service::roleName(role), served->family, served->version});
    ApiReply reply;
    reply.body = metrics_.render(models) + qualityMetrics();
    reply.mimeType = "text/plain; version=0.0.4; charset=utf-8";
    return reply;
}

ApiReply ApiEndpoints::openApi(const QHttpServerRequest&) const {
    ApiReply reply;
    reply.body = openApiDocument();
    return reply;
}

ApiReply ApiEndpoints::recommendContentBased(const QHttpServerRequest& request) const {
    const auto body = parseJsonObject(request.body(), kContentFields);
    if (!body) return refused(body.error);
    const auto animeId = integerField(*body, QStringLiteral("anime_id"), 0, kMaxId);
    if (!animeId) return refused(animeId.error, *body);
    const auto topN = integerField(*body, QStringLiteral("top_n"), 1,
                                   service::RecommendService::kMaxTopN, kDefaultTopN);
    if (!topN) return refused(topN.error, *body);
    return cached(contentKey(*animeId, *topN), *body,
                  [&] { return service_.contentBased(*animeId, static_cast<int>(*topN)); });
}

ApiReply ApiEndpoints::recommendSessionBased(const QHttpServerRequest& request) const {
    const auto body = parseJsonObject(request.body(), kSessionFields);
    if (!body) return refused(body.error);
    const auto topN = integerField(*body, QStringLiteral("top_n"), 1,
                                   service::RecommendService::kMaxTopN, kDefaultTopN);
    if (!topN) return refused(topN.error, *body);
    const bool hasUser = body->contains(QStringLiteral("user_id"));
    const bool hasHistory = body->contains(QStringLiteral("history"));
    if (hasUser == hasHistory)
        return refused({422, hasUser ? QStringLiteral("history") : QStringLiteral("user_id"),
                        hasUser ? QStringLiteral("give either user_id or history, not both")
                                : QStringLiteral("user_id or history is required")},
                       *body);
    const QJsonValue session = body->value(QStringLiteral("session_id"));
    if (!session.isUndefined() && !session.isNull() &&
        (!session.isString() || session.toString().isEmpty() ||
         session.toString().size() > kMaxSessionIdLength))
        return refused(
            {422, QStringLiteral("session_id"),
             QStringLiteral("session_id must be a non-empty string of at most %1 characters")
                 .arg(kMaxSessionIdLength)},
            *body);
    const auto genres = genresField(*body, service_);
    if (!genres) return refused(genres.error, *body);
    static const QString route = QStringLiteral("/recommend_session_based");
    if (hasUser) {
        const auto userId = integerField(*body, QStringLiteral("user_id"), 0, kMaxId);
        if (!userId) return refused(userId.error, *body);
        if (auto reply = fromExperiment(route, *userId, {}, {}, static_cast<int>(*topN), *body))
            return std::move(*reply);
        return cached(sessionKey(*userId, *topN) + genresKey(*genres), *body, [&] {
            return service_.sessionBased(*userId, static_cast<int>(*topN), *genres);
        });
    }
    const auto history = integerArrayField(*body, QStringLiteral("history"), 0, kMaxId,
                                           service::RecommendService::kMaxHistory);
    if (!history) return refused(history.error, *body);
    if (session.isString())
        if (auto reply = fromExperiment(route, std::nullopt, session.toString(), *history,
                                        static_cast<int>(*topN), *body))
            return std::move(*reply);
    QByteArray key = "history:" + QByteArray::number(*topN);
    for (const std::int64_t id : *history) key += ':' + QByteArray::number(id);
    return cached(key + genresKey(*genres), *body, [&] {
        return service_.sessionFromHistory(*history, static_cast<int>(*topN), *genres);
    });
}

ApiReply ApiEndpoints::recommendCollaborative(const QHttpServerRequest& request) const {
    const auto body = parseJsonObject(request.body(), kCollaborativeFields);
    if (!body) return refused(body.error);
    const auto userId = integerField(*body, QStringLiteral("user_id"), 0, kMaxId);
    if (!userId) return refused(userId.error, *body);
    const auto topN = integerField(*body, QStringLiteral("top_n"), 1,
                                   service::RecommendService::kMaxTopN, kDefaultTopN);
    if (!topN) return refused(topN.error, *body);
    const auto genres = genresField(*body, service_);
    if (!genres) return refused(genres.error, *body);
    if (auto reply = fromExperiment(QStringLiteral("/recommend_collaborative"), *userId, {}, {},
                                    static_cast<int>(*topN), *body))
        return std::move(*reply);
    return cached(collaborativeKey(*userId, *topN) + genresKey(*genres), *body, [&] {
        return service_.collaborative(*userId, static_cast<int>(*topN), *genres);
    });
}

std::optional<ApiReply> ApiEndpoints::refuseAdmin(const QHttpServerRequest& request) const {
    if (adminToken_.isEmpty())
        return refused({403, QStringLiteral("Authorization"),
                        QStringLiteral("admin routes are disabled: set ANIMEREC_ADMIN_TOKEN")});
    if (!sameToken(presentedToken(request), adminToken_))
        return refused(
            {401, QStringLiteral("Authorization"),
             QStringLiteral("missing or wrong admin token (Authorization: Bearer ...)")});
    return std::nullopt;
}

ApiReply ApiEndpoints::reload(const QHttpServerRequest& request) const {
    if (auto refusal = refuseAdmin(request)) return std::move(*refusal);
    if (!reload_)
        return refused(
            {503, QStringLiteral("body"), QStringLiteral("no model directory to reload")});
    const service::ReloadReport report = reload_();
    metrics_.countReload(report.ok());
    ApiReply reply = ApiReply::json({{QStringLiteral("ok"), report.ok()},
                                     {QStringLiteral("loaded"), toArray(report.loaded)},
                                     {QStringLiteral("failed"), toArray(report.failed)},
                                     {QStringLiteral("missing"), toArray(report.missing)}},
                                    report.ok() ? 200 : 500);
    if (!report.ok())
        reply.message = QStringLiteral("reload failed, previous models keep serving: ") +
                        report.failed.join(QStringLiteral("; "));
    return reply;
}

}  // namespace animerec::http

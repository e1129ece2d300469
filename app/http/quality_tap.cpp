#include "http/quality_tap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "http/api_reply.h"
#include "http/recommendation_json.h"
#include "service/model_registry.h"
#include "service/quality_monitor.h"
#include "service/recommend_service.h"
#include "storage/event_records.h"

namespace animerec::http {

namespace {

// The role each recommendation route asks for; nullopt for the other routes.
std::optional<service::ModelRole> roleOfRoute(const QString& route) {
    if (route == QLatin1String("/recommend_collaborative"))
        return service::ModelRole::Collaborative;
    if (route == QLatin1String("/recommend_session_based")) return service::ModelRole::Session;
    if (route == QLatin1String("/recommend_content_based")) return service::ModelRole::Content;
    if (route == QLatin1String("/top")) return service::ModelRole::Popularity;
    return std::nullopt;
}

// "strategy":"..." of a rendered list (a JSON string without escapes: strategies are ASCII words).
QString strategyOfBody(const QByteArray& body) {
    static const QByteArray key = QByteArrayLiteral("\"strategy\":\"");
    const qsizetype at = body.indexOf(key);
    if (at < 0) return {};
    const qsizetype end = body.indexOf('"', at + key.size());
    return end < 0 ? QString()
                   : QString::fromUtf8(body.mid(at + key.size(), end - at - key.size()));
}

void observeFeedback(service::QualityMonitor& monitor, const ApiReply& reply) {
    const auto event =
        storage::parseFeedbackEvent(reply.params.value(QStringLiteral("event")).toString());
    const QJsonValue anime = reply.params.value(QStringLiteral("anime_id"));
    if (!event || !anime.isDouble()) return;
    service::FeedbackSeen seen;
    seen.animeId = anime.toInteger();
    seen.event = storage::listFeedbackOf(*event);
    seen.accepted = reply.status == 202;
    if (const QJsonValue value = reply.params.value(QStringLiteral("value")); value.isDouble())
        seen.value = value.toDouble();
    if (seen.accepted) {
        const QJsonObject attributed = QJsonDocument::fromJson(reply.body)
                                           .object()
                                           .value(QStringLiteral("attributed"))
                                           .toObject();
        seen.exposureId = attributed.value(QStringLiteral("exposure_id")).toInteger();
        seen.position = attributed.value(QStringLiteral("position")).toInt();
    } else if (reply.status != 404) {
        return;  // refused for another reason than an unknown title: nothing to count
    }
    monitor.recordFeedback(seen);
}

}  // namespace

void observeQuality(service::QualityMonitor& monitor, const QString& route, const ApiReply& reply) {
    if (route == QLatin1String("/feedback")) return observeFeedback(monitor, reply);
    const auto role = roleOfRoute(route);
    // Answers and unknown ids are counted; malformed requests (400, 413, 422) say nothing.
    if (!role || (reply.status != 200 && reply.status != 404)) return;
    service::ServedList list;
    list.route = route;
    list.role = service::roleName(*role);
    list.model = reply.model;
    list.version = reply.modelVersion;
    list.status = reply.status;
    list.cacheLookup = reply.cacheLookup;
    list.cacheHit = reply.cacheHit;
    list.sampledExposureId = reply.sampledExposureId;
    if (reply.status == 200) {
        list.strategy = strategyOfBody(reply.body);
        for (const service::RecommendedItem& item : itemsOfBody(reply.body))
            list.items.push_back(item.animeId);
    }
    if (const QJsonValue user = reply.params.value(QStringLiteral("user_id")); user.isDouble())
        list.userId = user.toInteger();
    if (const QJsonValue anime = reply.params.value(QStringLiteral("anime_id")); anime.isDouble())
        list.namedAnime.push_back(anime.toInteger());
    for (const QJsonValue id : reply.params.value(QStringLiteral("history")).toArray())
        if (id.isDouble()) list.namedAnime.push_back(id.toInteger());
    monitor.recordList(list);
}

}  // namespace animerec::http

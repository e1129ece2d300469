// ApiEndpoints: the A/B experiment routes (feedback, reports, admin changes) and the experiment
// takeover of the recommendation routes. Kept apart from api_endpoints.cpp to keep both short.
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <cmath>

#include "experiments/experiment_runtime.h"
#include "http/api_endpoints.h"
#include "service/metrics_registry.h"
#include "service/recent_history.h"

namespace animerec::http {

namespace {

const QStringList kFeedbackFields{QStringLiteral("user_id"), QStringLiteral("session_id"),
                                  QStringLiteral("anime_id"), QStringLiteral("event"),
                                  QStringLiteral("value")};
constexpr qsizetype kMaxFeedbackSessionLength = 128;
constexpr std::int64_t kMaxId = std::int64_t{1} << 53;

ApiReply refused(const RequestError& error, QJsonObject params = {}) {
    ApiReply reply = ApiReply::error(error);
    reply.params = std::move(params);
    return reply;
}

// The one place an experiment refusal's kind becomes an HTTP status.
int httpStatus(experiments::ErrorKind kind) {
    switch (kind) {
        case experiments::ErrorKind::Invalid:
            return 422;
        case experiments::ErrorKind::NotFound:
            return 404;
        case experiments::ErrorKind::Conflict:
            return 409;
        case experiments::ErrorKind::Unavailable:
            return 503;
        case experiments::ErrorKind::Failed:
            return 500;
    }
    return 500;
}

ApiReply refusedBy(const experiments::ExperimentError& error, QJsonObject params = {}) {
    const RequestError request{httpStatus(error.kind), error.field, error.message};
    if (error.retryAfterSeconds <= 0) return refused(request, std::move(params));
    // The database is away: tell the client when to try again.
    QJsonObject body = request.toJson();
    body.insert(QStringLiteral("retry_after"), error.retryAfterSeconds);
    ApiReply reply = ApiReply::json(body, request.status);
    reply.message = error.message;
    reply.params = std::move(params);
    return reply;
}

ApiReply unavailable() {
    return refused({503, QStringLiteral("body"),
                    QStringLiteral("experiments and feedback need the database: serve with --db")});
}

// A query parameter as a number in [min, max], or the fallback when absent.
Parsed<double> queryNumber(const QUrlQuery& query, const QString& name, double min, double max,
                           double fallback) {
    Parsed<double> parsed;
    if (!query.hasQueryItem(name)) {
        parsed.value = fallback;
        return parsed;
    }
    bool ok = false;
    const double value = query.queryItemValue(name).toDouble(&ok);
    if (ok && std::isfinite(value) && value >= min && value <= max) {
        parsed.value = value;
        return parsed;
    }
    parsed.error = {422, name,
                    QStringLiteral("%1 must be a number in [%2, %3], got '%4'")
                        .arg(name)
                        .arg(min)
                        .arg(max)
                        .arg(query.queryItemValue(name).left(50))};
    return parsed;
}

}  // namespace

QByteArray ApiEndpoints::userKey(std::int64_t userId) const {
    QByteArray key = QByteArray::number(static_cast<qlonglong>(userId));
    const auto* recent = service_.recentHistory();
    if (const std::uint64_t revision = recent ? recent->revisionOf(userId) : 0)
        key += 'r' + QByteArray::number(static_cast<qulonglong>(revision));
    return key;
}

std::vector<service::RecommendedItem> itemsOfBody(const QByteArray& body) {
    static const QByteArray key = QByteArrayLiteral("{\"anime_id\":");
    std::vector<service::RecommendedItem> items;
    for (qsizetype at = body.indexOf(key); at >= 0; at = body.indexOf(key, at + key.size())) {
        qsizetype end = at + key.size();
        while (end < body.size() && body[end] >= '0' && body[end] <= '9') ++end;
        service::RecommendedItem item;
        item.animeId = body.mid(at + key.size(), end - at - key.size()).toLongLong();
        items.push_back(item);
    }
    return items;
}

// The answer of the running experiment covering `route` when the unit is in one; else, for the
// sampled share of lists (ExperimentRuntime::sampleDefaultExposure), the default answer logged as
// an exposure of variant "default". Answers to a user come from the response cache like any
// other (keyed by variant, model and version), and every one of them is logged with the items
// it sent, cache hit or not.
std::optional<ApiReply> ApiEndpoints::fromExperiment(const QString& route,
                                                     std::optional<std::int64_t> userId,
                                                     const QString& sessionId,
                                                     const std::vector<std::int64_t>& history,
                                                     int topN, const QJsonObject& params) const {
    if (!experiments_) return std::nullopt;
    const bool collaborative = route == QLatin1String("/recommend_collaborative");
    const auto logged = [&](const experiments::Assignment& assignment, ApiReply reply) {
        if (reply.status == 200) {
            service::Recommendation served;
            served.model = reply.model;
            served.modelVersion = reply.modelVersion;
            served.items = itemsOfBody(reply.body);
            const qint64 exposureId =
                experiments_->recordExposure(assignment, route, userId, sessionId, served);
            // Lists sampled outside experiments feed the quality view's CTR.
            if (assignment.experimentId == 0) reply.sampledExposureId = exposureId;
        }
        return reply;
    };
    const auto assignment = experiments_->assign(route, userId, sessionId);
    if (!assignment) {
        if (!experiments_->sampleDefaultExposure()) return std::nullopt;
        const service::ModelRole role =
            collaborative ? service::ModelRole::Collaborative : service::ModelRole::Session;
        const auto defaultAssignment = experiments::defaultAssignment();
        if (!userId)
            return logged(defaultAssignment,
                          render(service_.forSession(role, history, topN), params));
        // The same key as the route's own answer: a sampled list shares its cache entry.
        const QByteArray key =
            collaborative ? collaborativeKey(*userId, topN) : sessionKey(*userId, topN);
        return logged(defaultAssignment,
                      cached(key, params, [&] { return service_.forUser(role, *userId, topN); }));
    }
    QJsonObject withVariant = params;
    withVariant.insert(QStringLiteral("experiment"), assignment->experiment);
    withVariant.insert(QStringLiteral("variant"), assignment->variant);
    // Exactly the variant's model: when it is gone (or reloaded at another version) the variant
    // answers 503 rather than silently serving another model.
    const auto model = experiments::modelFor(*assignment, service_.models());
    if (const auto* missing = std::get_if<experiments::ExperimentError>(&model))
        return refusedBy(*missing, withVariant);
    const auto& pinned = std::get<std::shared_ptr<const service::ServedModel>>(model);
    if (!userId)
        return logged(*assignment,
                      render(service_.forSession(assignment->role, history, topN, pinned),
                             withVariant, &*assignment));
    const QByteArray key = "ab:" + QByteArray::number(assignment->experimentId) + ':' +
                           assignment->variant.toUtf8() + ':' + pinned->family.toUtf8() + '@' +
                           pinned->version.toUtf8() + ':' + route.toUtf8() + ':' +
                           userKey(*userId) + ':' + QByteArray::number(topN);
    return logged(*assignment,
                  cached(
                      key, withVariant,
                      [&] { return service_.forUser(assignment->role, *userId, topN, pinned); },
                      &*assignment));
}

ApiReply ApiEndpoints::feedback(const QHttpServerRequest& request) const {
    const auto body = parseJsonObject(request.body(), kFeedbackFields);
    if (!body) return refused(body.error);
    // A known user's event, or an anonymous session's (the session_id its lists were served to).
    std::optional<std::int64_t> userId;
    QString sessionId;
    const QJsonValue session = body->value(QStringLiteral("session_id"));
    if (body->contains(QStringLiteral("user_id")) == !session.isUndefined())
        return refused({422, QStringLiteral("user_id"),
                        QStringLiteral("give either user_id or session_id (anonymous sessions)")},
                       *body);
    if (!session.isUndefined()) {
        if (!session.isString() || session.toString().isEmpty() ||
            session.toString().size() > kMaxFeedbackSessionLength)
            return refused({422, QStringLiteral("session_id"),
                            QStringLiteral("session_id must be a non-empty string of at most %1 "
                                           "characters")
                                .arg(kMaxFeedbackSessionLength)},
                           *body);
        sessionId = session.toString();
    } else {
        const auto user = integerField(*body, QStringLiteral("user_id"), 0, kMaxId);
        if (!user) return refused(user.error, *body);
        userId = *user;
    }
    const auto animeId = integerField(*body, QStringLiteral("anime_id"), 0, kMaxId);
    if (!animeId) return refused(animeId.error, *body);
    const QJsonValue eventValue = body->value(QStringLiteral("event"));
    const auto event = storage::parseFeedbackEvent(eventValue.toString());
    if (!eventValue.isString() || !event)
        return refused(
            {422, QStringLiteral("event"),
             QStringLiteral("event must be one of \"click\", \"watch\", \"complete\", \"rate\"")},
            *body);
    const QJsonValue value = body->value(QStringLiteral("value"));
    std::optional<double> number;
    if (!value.isUndefined() && !value.isNull()) {
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return refused({422, QStringLiteral("value"), QStringLiteral("value must be a number")},
                           *body);
        number = value.toDouble();
    }
    if (!experiments_) return unavailable();
    const auto outcome =
        experiments_->recordFeedback({userId, sessionId, *animeId, *event, number});
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*error, *body);
    const auto& receipt = std::get<experiments::FeedbackReceipt>(outcome);
    const QJsonValue attributed =
        receipt.exposureId > 0
            ? QJsonValue(QJsonObject{
                  {QStringLiteral("exposure_id"), receipt.exposureId},
                  {QStringLiteral("experiment"),
                   receipt.experiment.isEmpty() ? QJsonValue() : QJsonValue(receipt.experiment)},
                  {QStringLiteral("variant"), receipt.variant},
                  {QStringLiteral("position"), receipt.position}})
            : QJsonValue();
    ApiReply reply = ApiReply::json({{QStringLiteral("accepted"), true},
                                     {QStringLiteral("attributed"), attributed},
                                     {QStringLiteral("added_to_history"), receipt.addedToHistory}},
                                    202);
    reply.params = *body;
    return reply;
}

ApiReply ApiEndpoints::experimentList(const QHttpServerRequest&) const {
    if (!experiments_) return unavailable();
    QJsonArray list;
    for (const experiments::ExperimentDefinition& experiment : experiments_->catalogue().list()) {
        QJsonObject json = experiment.toJson();
        json.remove(QStringLiteral("salt"));  // with the salt anyone could predict assignments
        list.append(json);
    }
    return ApiReply::json({{QStringLiteral("experiments"), list}});
}

ApiReply ApiEndpoints::experimentReport(const QString& name,
                                        const QHttpServerRequest& request) const {
    if (!experiments_) return unavailable();
    const QUrlQuery query = request.query();
    const QJsonObject params{{QStringLiteral("experiment"), name}};
    const auto k =
        queryNumber(query, QStringLiteral("k"), 1, service::RecommendService::kMaxTopN, 10);
    if (!k || std::floor(*k) != *k)
        return refused(
            k ? RequestError{422, QStringLiteral("k"), QStringLiteral("k must be a whole number")}
              : k.error,
            params);
    const auto lift = queryNumber(query, QStringLiteral("lift"), -0.99, 10.0, 0.1);
    if (!lift) return refused(lift.error, params);
    const auto confidence = queryNumber(query, QStringLiteral("confidence"), 0.5, 0.999, 0.95);
    if (!confidence) return refused(confidence.error, params);
    const QString bucket = query.queryItemValue(QStringLiteral("bucket"));
    if (!bucket.isEmpty() && bucket != QLatin1String("hour") && bucket != QLatin1String("day") &&
        bucket != QLatin1String("auto"))
        return refused(
            {422, QStringLiteral("bucket"), QStringLiteral("bucket must be hour, day or auto")},
            params);
    experiments::ReportOptions options;
    options.k = static_cast<int>(*k);
    options.minimumLift = *lift;
    options.confidence = *confidence;
    if (!bucket.isEmpty()) options.bucket = bucket;
    const auto outcome = experiments_->report(name, options);
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*error, params);
    ApiReply reply = ApiReply::json(experiments::toJson(std::get<experiments::AbReport>(outcome)));
    reply.params = params;
    return reply;
}

ApiReply ApiEndpoints::defineExperiment(const QHttpServerRequest& request) const {
    if (auto refusal = refuseAdmin(request)) return std::move(*refusal);
    if (!experiments_) return unavailable();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError)
        return refused({400, QStringLiteral("body"),
                        QStringLiteral("malformed JSON at offset %1: %2")
                            .arg(error.offset)
                            .arg(error.errorString())});
    if (!document.isObject())
        return refused(
            {422, QStringLiteral("body"), QStringLiteral("the body must be a JSON object")});
    const auto outcome = experiments_->catalogue().define(document.object());
    if (const auto* failure = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*failure, document.object());
    ApiReply reply =
        ApiReply::json(std::get<experiments::ExperimentDefinition>(outcome).toJson(), 201);
    reply.params = document.object();
    return reply;
}

ApiReply ApiEndpoints::experimentAction(const QString& name, const QString& action,
                                        const QHttpServerRequest& request) const {
    if (auto refusal = refuseAdmin(request)) return std::move(*refusal);
    if (!experiments_) return unavailable();
    const QJsonObject params{{QStringLiteral("experiment"), name},
                             {QStringLiteral("action"), action}};
    // The server's own models decide whether a variant's model and version can be served.
    const auto outcome = experiments_->catalogue().transition(name, action, &service_.models());
    if (const auto* failure = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*failure, params);
    ApiReply reply = ApiReply::json(std::get<experiments::ExperimentDefinition>(outcome).toJson());
    reply.params = params;
    return reply;
}

}  // namespace animerec::http

// ApiEndpoints: the A/B experiment routes (feedback, reports, admin changes) and the experiment
// takeover of the recommendation routes. Kept apart from api_endpoints.cpp to keep both short.
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <cmath>

#include "experiments/experiment_service.h"
#include "experiments/recent_history.h"
#include "http/api_endpoints.h"

namespace animerec::http {

namespace {

const QStringList kFeedbackFields{QStringLiteral("user_id"), QStringLiteral("anime_id"),
                                  QStringLiteral("event"), QStringLiteral("value")};
constexpr std::int64_t kMaxId = std::int64_t{1} << 53;

ApiReply refused(const RequestError& error, QJsonObject params = {}) {
    ApiReply reply = ApiReply::error(error);
    reply.params = std::move(params);
    return reply;
}

ApiReply refusedBy(const experiments::ExperimentError& error, QJsonObject params = {}) {
    return refused(RequestError{error.status, error.field, error.message}, std::move(params));
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

std::optional<ApiReply> ApiEndpoints::fromExperiment(const QString& route,
                                                     std::optional<std::int64_t> userId,
                                                     const QString& sessionId,
                                                     const std::vector<std::int64_t>& history,
                                                     int topN, const QJsonObject& params) const {
    if (!experiments_) return std::nullopt;
    const auto assignment = experiments_->assign(route, userId, sessionId);
    if (!assignment) return std::nullopt;
    // Not cached: every served list must become an exposure with its items.
    const auto outcome = userId ? service_.forUser(assignment->role, *userId, topN)
                                : service_.forSession(assignment->role, history, topN);
    if (const auto* served = std::get_if<service::Recommendation>(&outcome))
        experiments_->recordExposure(*assignment, route, userId, sessionId, *served);
    QJsonObject logged = params;
    logged.insert(QStringLiteral("experiment"), assignment->experiment);
    logged.insert(QStringLiteral("variant"), assignment->variant);
    return render(outcome, logged, &*assignment);
}

ApiReply ApiEndpoints::feedback(const QHttpServerRequest& request) const {
    const auto body = parseJsonObject(request.body(), kFeedbackFields);
    if (!body) return refused(body.error);
    const auto userId = integerField(*body, QStringLiteral("user_id"), 0, kMaxId);
    if (!userId) return refused(userId.error, *body);
    const auto animeId = integerField(*body, QStringLiteral("anime_id"), 0, kMaxId);
    if (!animeId) return refused(animeId.error, *body);
    const QJsonValue eventValue = body->value(QStringLiteral("event"));
    const auto event = experiments::parseFeedbackEvent(eventValue.toString());
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
    const auto outcome = experiments_->recordFeedback({*userId, *animeId, *event, number});
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*error, *body);
    const auto& receipt = std::get<experiments::FeedbackReceipt>(outcome);
    const QJsonValue attributed =
        receipt.exposureId > 0
            ? QJsonValue(QJsonObject{{QStringLiteral("exposure_id"), receipt.exposureId},
                                     {QStringLiteral("experiment"), receipt.experiment},
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
    for (const experiments::ExperimentDefinition& experiment : experiments_->experiments()) {
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
    const auto outcome = experiments_->define(document.object());
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
    const auto outcome = experiments_->transition(name, action);
    if (const auto* failure = std::get_if<experiments::ExperimentError>(&outcome))
        return refusedBy(*failure, params);
    ApiReply reply = ApiReply::json(std::get<experiments::ExperimentDefinition>(outcome).toJson());
    reply.params = params;
    return reply;
}

}  // namespace animerec::http

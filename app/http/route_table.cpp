#include "http/route_table.h"

#include "http/api_endpoints.h"

namespace animerec::http {

namespace {

using Method = QHttpServerRequest::Method;
using Request = const QHttpServerRequest&;
using Arguments = const QStringList&;

bool isParameter(QStringView segment) {
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

}  // namespace

const std::vector<Route>& routes() {
    static const std::vector<Route> table{
        {QStringLiteral("/health"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.health(r); }},
        {QStringLiteral("/ready"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.ready(r); }},
        {QStringLiteral("/top"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.top(r); }},
        {QStringLiteral("/anime/{id}"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments a, Request) { return e.anime(a.at(0)); }},
        {QStringLiteral("/metrics"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.metrics(r); }},
        {QStringLiteral("/quality"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.quality(r); }},
        {QStringLiteral("/openapi.json"), Method::Get, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.openApi(r); }},
        {QStringLiteral("/recommend_content_based"), Method::Post, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.recommendContentBased(r); }},
        {QStringLiteral("/recommend_session_based"), Method::Post, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.recommendSessionBased(r); }},
        {QStringLiteral("/recommend_collaborative"), Method::Post, false,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.recommendCollaborative(r); }},
        {QStringLiteral("/admin/reload"), Method::Post, true,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.reload(r); }},
        {QStringLiteral("/feedback"), Method::Post, true,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.feedback(r); }},
        {QStringLiteral("/ab/experiments"), Method::Get, true,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.experimentList(r); }},
        {QStringLiteral("/ab/{experiment}/report"), Method::Get, true,
         [](const ApiEndpoints& e, Arguments a, Request r) {
             return e.experimentReport(a.at(0), r);
         }},
        {QStringLiteral("/admin/experiments"), Method::Post, true,
         [](const ApiEndpoints& e, Arguments, Request r) { return e.defineExperiment(r); }},
        {QStringLiteral("/admin/experiments/{experiment}/{action}"), Method::Post, true,
         [](const ApiEndpoints& e, Arguments a, Request r) {
             return e.experimentAction(a.at(0), a.at(1), r);
         }},
    };
    return table;
}

QString routeOf(const QString& path) {
    const QStringList parts = path.split(u'/');
    for (const Route& route : routes()) {
        const QStringList pattern = route.path.split(u'/');
        if (pattern.size() != parts.size()) continue;
        bool matches = true;
        for (qsizetype i = 0; i < parts.size() && matches; ++i)
            matches = isParameter(pattern[i]) ? !parts[i].isEmpty() : pattern[i] == parts[i];
        if (matches) return route.path;
    }
    return {};
}

QString serverPattern(const QString& path) {
    QStringList parts = path.split(u'/');
    for (QString& part : parts)
        if (isParameter(part)) part = QStringLiteral("<arg>");
    return parts.join(u'/');
}

int argumentCount(const QString& path) {
    int count = 0;
    for (const QString& part : path.split(u'/')) count += isParameter(part) ? 1 : 0;
    return count;
}

QString methodName(QHttpServerRequest::Method method) {
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

}  // namespace animerec::http

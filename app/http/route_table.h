#pragma once

#include <QHttpServerRequest>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

#include "http/api_reply.h"

namespace animerec::http {

class ApiEndpoints;

// One route of the API: its path template ("/anime/{id}": a {name} segment matches any one
// segment and is passed to `answer` in order), its method, whether the endpoint must run on the
// thread owning the server (admin, feedback and experiment routes share its database
// connection), and the endpoint call. The table is the one place routes are declared: the
// server registers them from it, answers 404/405 by it, and tests check /openapi.json against it.
struct Route {
    QString path;
    QHttpServerRequest::Method method;
    bool ownerThread = false;
    std::function<ApiReply(const ApiEndpoints&, const QStringList& arguments,
                           const QHttpServerRequest&)>
        answer;
};

const std::vector<Route>& routes();

// The template `path` belongs to ("/anime/12" -> "/anime/{id}"), or empty when no route has
// its shape (whatever the method).
QString routeOf(const QString& path);

// The {name} segments of a template replaced by QHttpServer's "<arg>" placeholder, and their
// count.
QString serverPattern(const QString& path);
int argumentCount(const QString& path);

// "GET", "POST", ...
QString methodName(QHttpServerRequest::Method method);

}  // namespace animerec::http

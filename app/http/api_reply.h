#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "http/json_request.h"

namespace animerec::http {

// What an endpoint produced, before ApiServer turns it into a QHttpServerResponse: the body, plus
// what the request log and the metrics record about the request.
struct ApiReply {
    int status = 200;
    QByteArray body;
    QByteArray mimeType = "application/json";
    QString model;  // family that answered; empty for non-model routes
    QString modelVersion;
    QJsonObject params;  // validated parameters, for the request log
    QString message;     // error text, for the request log
    // For the quality view (http/quality_tap.h): whether the answer cache was asked and had it,
    // and the exposure id when this list was sampled outside experiments.
    bool cacheLookup = false;
    bool cacheHit = false;
    qint64 sampledExposureId = 0;

    static ApiReply json(const QJsonObject& object, int status = 200);
    static ApiReply error(const RequestError& error);
};

}  // namespace animerec::http

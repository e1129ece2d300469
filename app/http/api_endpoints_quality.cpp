// ApiEndpoints: GET /quality and the quality part of GET /metrics. Kept apart from
// api_endpoints.cpp to keep both short.
#include <QHttpServerRequest>
#include <QUrlQuery>
#include <cmath>

#include "experiments/experiment_runtime.h"
#include "http/api_endpoints.h"
#include "service/quality_monitor.h"

namespace animerec::http {

ApiReply ApiEndpoints::quality(const QHttpServerRequest& request) const {
    const QUrlQuery query(request.url().query());
    double confidence = 0.95;
    if (query.hasQueryItem(QStringLiteral("confidence"))) {
        bool ok = false;
        const QString text = query.queryItemValue(QStringLiteral("confidence"));
        confidence = text.toDouble(&ok);
        if (!ok || !std::isfinite(confidence) || confidence < 0.5 || confidence > 0.999) {
            ApiReply reply = ApiReply::error(
                {422, QStringLiteral("confidence"),
                 QStringLiteral("confidence must be a number in [0.5, 0.999], got '%1'")
                     .arg(text.left(50))});
            return reply;
        }
    }
    if (!quality_)
        return ApiReply::error(
            {503, QStringLiteral("quality"), QStringLiteral("no quality view in this server")});
    ApiReply reply = ApiReply::json(quality_->toJson(confidence));
    reply.params = {{QStringLiteral("confidence"), confidence}};
    return reply;
}

QByteArray ApiEndpoints::qualityMetrics() const {
    QByteArray text = quality_ ? quality_->renderPrometheus() : QByteArray();
    if (experiments_) {
        // What "degraded" in GET /ready says, for an alert.
        const experiments::DatabaseHealth health = experiments_->databaseHealth();
        text +=
            "# HELP animerec_database_available 1 while feedback and exposures can be "
            "written.\n"
            "# TYPE animerec_database_available gauge\n"
            "animerec_database_available " +
            QByteArray::number(health.available ? 1 : 0) +
            "\n"
            "# HELP animerec_database_pending_events Exposures and feedback waiting to be "
            "written.\n"
            "# TYPE animerec_database_pending_events gauge\n"
            "animerec_database_pending_events " +
            QByteArray::number(health.pending) + "\n";
    }
    return text;
}

}  // namespace animerec::http

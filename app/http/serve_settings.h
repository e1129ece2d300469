#pragma once

// The HTTP service's settings, one set of defaults for both front ends that run it: `animerec
// serve` maps its flags onto them and Studio's Server panel its widgets, so the embedded server is
// the same service as the headless one.
#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <optional>

#include "http/api_server.h"
#include "models/cold_start.h"
#include "service/request_log.h"

namespace animerec::http {

struct ServeSettings {
    QHostAddress host{QHostAddress::AnyIPv4};
    quint16 port = 8000;
    QString logFile = QStringLiteral("var/log/requests.jsonl");  // empty = no file
    service::LogLevel logLevel = service::LogLevel::Info;
    bool logToStderr = true;
    qint64 maxBodyBytes = 64 * 1024;
    qint64 cacheMegabytes = 256;  // 0 = no answer cache
    int warmUsers = 100'000;      // answers computed before /ready (0 = none)
    int threads = 0;              // event loops; 0 = one per core
    double exploreShare = 0.0;    // of a new user's list (ColdStartConfig::explorationShare)
    int explorePool = 100;
    bool experiments = true;  // A/B tests and feedback on the serving database
    // Share of the lists served outside experiments logged as exposures (variant "default"): the
    // quality view's CTR is measured on them. Unset: $ANIMEREC_DEFAULT_EXPOSURE_SAMPLE or 0.01.
    std::optional<double> exposureSample;
};

// The server's options: the settings, the admin token from ANIMEREC_ADMIN_TOKEN and the A/B
// service (null: those routes answer 503).
ApiOptions apiOptions(const ServeSettings& settings, experiments::ExperimentRuntime* experiments);
ColdStartConfig coldStartConfig(const ServeSettings& settings);
service::RequestLogOptions requestLogOptions(const ServeSettings& settings);

}  // namespace animerec::http

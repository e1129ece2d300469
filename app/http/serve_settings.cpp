#include "http/serve_settings.h"

#include <QThread>

namespace animerec::http {

ApiOptions apiOptions(const ServeSettings& settings, experiments::ExperimentRuntime* experiments) {
    ApiOptions options;
    options.maxBodyBytes = settings.maxBodyBytes;
    options.cacheBytes = settings.cacheMegabytes << 20;
    options.warmUsers = settings.warmUsers;
    options.threads = settings.threads > 0 ? settings.threads : QThread::idealThreadCount();
    options.adminToken = qgetenv("ANIMEREC_ADMIN_TOKEN");
    options.experiments = experiments;
    return options;
}

ColdStartConfig coldStartConfig(const ServeSettings& settings) {
    ColdStartConfig config;
    config.explorationShare = settings.exploreShare;
    config.explorationPool = settings.explorePool;
    return config;
}

service::RequestLogOptions requestLogOptions(const ServeSettings& settings) {
    service::RequestLogOptions options;
    options.filePath = settings.logFile;
    options.level = settings.logLevel;
    options.toStderr = settings.logToStderr;
    return options;
}

}  // namespace animerec::http

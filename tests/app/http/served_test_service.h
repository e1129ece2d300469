#pragma once

// The service the HTTP route, bad-input and operations tests talk to: the tiny dataset of
// http_test_fixture.h with real popularity and content models, the two test-only personal models,
// a request log in a temporary directory, reloads from `modelsDir` and a real ApiServer on an
// ephemeral loopback port.

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <memory>

#include "http/api_server.h"
#include "http_test_fixture.h"
#include "models/content_based.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "service/metrics_registry.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "service/request_log.h"

namespace animerec::testing {

class ServedTestService {
public:
    static constexpr const char* kAdminToken = "s3cret";
    static constexpr int kMaxBodyBytes = 4096;

    // Returns an empty string when the server listens, otherwise what went wrong.
    QString start() {
        if (!dir_.isValid()) return "no temporary directory";
        data = makeDataset();
        // Ranked by interaction count: item 0 (in every history) leads, as the tests expect.
        popularity =
            std::make_shared<PopularityModel>(PopularityConfig{PopularityMode::InteractionCount});
        popularity->fit(*data);
        content = std::make_shared<ContentBasedModel>();
        content->fit(*data);
        modelsDir = dir_.filePath("models");
        if (!QDir().mkpath(modelsDir)) return "cannot create " + modelsDir;

        using service::ModelRole;
        registry = std::make_unique<service::ModelRegistry>(loadModelFile);
        registry->install(ModelRole::Popularity, popularity, "pop-v1");
        registry->install(ModelRole::Content, content, "content-v1");
        registry->install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(),
                          "fixed-v1");
        registry->install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
        service = std::make_unique<service::RecommendService>(data, *registry);
        metrics = std::make_unique<service::MetricsRegistry>();
        service::RequestLogOptions logOptions;
        logOptions.filePath = requestLogPath();
        logOptions.toStderr = false;
        log = std::make_unique<service::RequestLog>(logOptions);
        if (!log->fileError().isEmpty()) return log->fileError();
        http::ApiOptions options;
        options.adminToken = kAdminToken;
        options.maxBodyBytes = kMaxBodyBytes;
        server = std::make_unique<http::ApiServer>(
            *service, *metrics, *log, [this] { return registry->loadDirectory(modelsDir); },
            options);
        port = server->listen(QHostAddress::LocalHost, 0);
        return port != 0 ? QString() : QString("the server does not listen");
    }

    QString requestLogPath() const { return dir_.filePath("log/requests.jsonl"); }
    QByteArray adminHeader() const {
        return QByteArray("Authorization: Bearer ") + kAdminToken + "\r\n";
    }
    HttpReply get(const QByteArray& path) const { return request(port, "GET", path); }
    HttpReply post(const QByteArray& path, const QByteArray& body) const {
        return request(port, "POST", path, body);
    }

    std::shared_ptr<Dataset> data;
    std::shared_ptr<PopularityModel> popularity;
    std::shared_ptr<ContentBasedModel> content;
    std::unique_ptr<service::ModelRegistry> registry;
    std::unique_ptr<service::RecommendService> service;
    std::unique_ptr<service::MetricsRegistry> metrics;
    std::unique_ptr<service::RequestLog> log;
    std::unique_ptr<http::ApiServer> server;
    quint16 port = 0;
    QString modelsDir;

private:
    QTemporaryDir dir_;
};

// A server over `registry` alone: no request log file, no reloads, default options. The cases
// that need a registry of their own (no models, one real model) listen through it.
class BareServer {
public:
    BareServer(std::shared_ptr<const Dataset> data, const service::ModelRegistry& registry)
        : service_(std::move(data), registry), server_(service_, metrics_, log_, {}, {}) {}

    // The ephemeral loopback port, 0 when the server could not listen.
    quint16 listen() { return server_.listen(QHostAddress::LocalHost, 0); }

private:
    service::RecommendService service_;
    service::MetricsRegistry metrics_;
    service::RequestLog log_{service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false}};
    http::ApiServer server_;
};

// The anime ids of a recommendation reply, in rank order.
inline QList<qint64> replyIds(const QJsonObject& reply) {
    QList<qint64> result;
    for (const QJsonValue& item : reply.value("items").toArray())
        result << item.toObject().value("anime_id").toInteger();
    return result;
}

}  // namespace animerec::testing

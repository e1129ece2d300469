// Running the HTTP service: metrics, the answer cache, the request log and its rotation, model
// reloads that keep the old model on failure, worker threads on one port, the registry's choice of
// family and readiness without models.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <mutex>
#include <set>

#include "models/ease.h"
#include "served_test_service.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestHttpOperations : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        const QString failure = served_.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    void metricsCountRequests();
    void repeatedRequestsComeFromTheCache();
    void requestLogHasOneJsonLinePerRequest();
    void requestLogRotates();
    void reloadKeepsOldModelOnFailure();
    void reloadRefusesModelsOfAnotherCatalogue();
    void workerThreadsShareThePort();
    void registryPrefersTheChosenFamily();
    void notReadyWithoutModels();
    void explainsWithoutAPopularityModel();

private:
    ServedTestService served_;
};

namespace {
// Collaborative stand-in that remembers which threads scored.
class ThreadRecorder final : public Recommender {
public:
    std::string name() const override { return "thread_recorder"; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery&, std::span<float> scores) const override {
        {
            std::lock_guard lock(mutex_);
            threads_.insert(QThread::currentThread());
        }
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i);
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
    std::set<QThread*> threads() const {
        std::lock_guard lock(mutex_);
        return threads_;
    }

private:
    mutable std::mutex mutex_;
    mutable std::set<QThread*> threads_;
};
}  // namespace

void TestHttpOperations::metricsCountRequests() {
    QCOMPARE(served_.get("/nope").status, 404);  // counted as an error of no route
    const qint64 before = served_.metrics->requestCount("/top", 200);
    QCOMPARE(served_.get("/top").status, 200);
    QCOMPARE(served_.metrics->requestCount("/top", 200), before + 1);
    const HttpReply reply = served_.get("/metrics");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("text/plain"));
    const QString text = QString::fromUtf8(reply.body);
    QVERIFY(text.contains(
        QString("animerec_http_requests_total{route=\"/top\",method=\"GET\",status=\"200\"} %1")
            .arg(before + 1)));
    QVERIFY(
        text.contains("animerec_http_request_duration_seconds_bucket{route=\"/"
                      "top\",model=\"popularity\",le=\"+Inf\"}"));
    QVERIFY(text.contains("animerec_http_errors_total{route=\"unmatched\",status=\"404\"}"));
    QVERIFY(text.contains(
        "animerec_model_info{role=\"collaborative\",model=\"fixed\",version=\"fixed-v1\"} 1"));
    QVERIFY(text.contains("animerec_uptime_seconds "));
}

void TestHttpOperations::repeatedRequestsComeFromTheCache() {
    const auto hits = [this] {
        const QString text = QString::fromUtf8(served_.get("/metrics").body);
        const QString prefix = "animerec_response_cache_total{result=\"hit\"} ";
        const qsizetype at = text.indexOf(prefix);
        return at < 0 ? -1 : text.mid(at + prefix.size()).section('\n', 0, 0).toLongLong();
    };
    const qint64 before = hits();
    QVERIFY(before >= 0);
    const HttpReply first =
        served_.post("/recommend_collaborative", R"({"user_id": 3, "top_n": 6})");
    const HttpReply second =
        served_.post("/recommend_collaborative", R"({"top_n": 6, "user_id": 3})");
    QCOMPARE(first.status, 200);
    QCOMPARE(second.body, first.body);
    QCOMPARE(hits(), before + 1);
    // A different top_n is a different answer, not a truncated hit.
    QCOMPARE(
        replyIds(served_.post("/recommend_collaborative", R"({"user_id": 3, "top_n": 2})").json())
            .size(),
        qsizetype(2));
}

void TestHttpOperations::requestLogHasOneJsonLinePerRequest() {
    const auto loggedLines = [this] {
        served_.log->flush();
        QFile file(served_.requestLogPath());
        return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().split('\n')
                                              : QList<QByteArray>{};
    };
    QCOMPARE(served_.get("/top").status, 200);  // the log file exists from here on
    const qsizetype before = loggedLines().size();
    QVERIFY(before >= 1);
    QCOMPARE(served_.get("/nope").status, 404);
    QCOMPARE(served_.post("/recommend_content_based", R"({"anime_id": 104, "top_n": 2})").status,
             200);
    QCOMPARE(served_.post("/recommend_collaborative", R"({"user_id": 2, "top_n": 7})").status, 200);
    const QList<QByteArray> lines = loggedLines();
    QCOMPARE(lines.size(), before + 3);
    for (const QByteArray& line : lines)
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());

    const QJsonObject missing = QJsonDocument::fromJson(lines.at(before)).object();
    QCOMPARE(missing.value("route").toString(), QString("unmatched"));
    QCOMPARE(missing.value("status").toInt(), 404);
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value("route").toString(), QString("/recommend_collaborative"));
    QCOMPARE(last.value("status").toInt(), 200);
    QCOMPARE(last.value("model").toString(), QString("fixed"));
    QCOMPARE(last.value("model_version").toString(), QString("fixed-v1"));
    QCOMPARE(last.value("params").toObject().value("top_n").toInt(), 7);
    QVERIFY(last.value("latency_ms").toDouble() >= 0.0);
    QVERIFY(!last.value("time").toString().isEmpty());
}

void TestHttpOperations::requestLogRotates() {
    QTemporaryDir logs;
    service::RequestLogOptions options;
    options.filePath = logs.filePath("r.jsonl");
    options.maxFileBytes = 600;
    options.keepFiles = 2;
    options.toStderr = false;
    {
        service::RequestLog log(options);
        for (int i = 0; i < 40; ++i)
            log.record({"GET", "/top", {}, 200, 0.5, "popularity", "v1", {}});
    }
    QVERIFY(QFile::exists(options.filePath));
    QVERIFY(QFile::exists(options.filePath + ".1"));
    QVERIFY(QFile::exists(options.filePath + ".2"));
    QVERIFY(!QFile::exists(options.filePath + ".3"));
    QVERIFY(QFileInfo(options.filePath).size() <= 600);

    options.level = service::LogLevel::Warning;
    options.filePath = logs.filePath("w.jsonl");
    {
        service::RequestLog log(options);
        log.record({"GET", "/top", {}, 200, 0.5, "popularity", "v1", {}});
        log.record({"GET", "/nope", {}, 404, 0.1, {}, {}, "no route"});
    }
    QFile file(options.filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(1));
    QCOMPARE(QJsonDocument::fromJson(lines.first()).object().value("status").toInt(), 404);
}

void TestHttpOperations::reloadKeepsOldModelOnFailure() {
    const QByteArray auth = served_.adminHeader();
    QCOMPARE(request(served_.port, "POST", "/admin/reload", {}, "Authorization: Bearer wrong\r\n")
                 .status,
             401);

    saveModelFile(QDir(served_.modelsDir).filePath("popularity.model").toStdString(),
                  *served_.popularity);
    const HttpReply loaded = request(served_.port, "POST", "/admin/reload", {}, auth);
    QCOMPARE(loaded.status, 200);
    QVERIFY(loaded.json().value("ok").toBool());
    const QString version = served_.get("/top").json().value("model_version").toString();
    QVERIFY2(version != "pop-v1" && version.endsWith('Z'), qPrintable(version));

    // A corrupt file with a new timestamp: reload reports it, the old model keeps serving.
    QFile broken(QDir(served_.modelsDir).filePath("popularity.model"));
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
    broken.write("ANIMEREC but not really a model");
    broken.close();
    QVERIFY(broken.open(QIODevice::ReadWrite));
    QVERIFY(broken.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60),
                               QFileDevice::FileModificationTime));
    broken.close();
    const HttpReply failed = request(served_.port, "POST", "/admin/reload", {}, auth);
    QCOMPARE(failed.status, 500);
    QVERIFY(!failed.json().value("ok").toBool());
    QVERIFY(failed.json().value("failed").toArray().at(0).toString().contains("popularity.model"));
    const HttpReply top = served_.get("/top");
    QCOMPARE(top.status, 200);
    QCOMPARE(top.json().value("model_version").toString(), version);
    QCOMPARE(replyIds(top.json()).first(), qint64(100));
}

void TestHttpOperations::reloadRefusesModelsOfAnotherCatalogue() {
    const QByteArray auth = served_.adminHeader();
    QFile::remove(
        QDir(served_.modelsDir).filePath("popularity.model"));  // the corrupt one from above
    served_.registry->setCatalogueSize(served_.data->catalog.size());
    const QString contentPath = QDir(served_.modelsDir).filePath("content.model");

    // Trained before a re-import: the catalogue had one anime fewer.
    Dataset older;
    for (int i = 0; i + 1 < served_.data->catalog.size(); ++i)
        older.catalog.add(served_.data->catalog.at(i));
    ContentBasedModel stale;
    stale.fit(older);
    QCOMPARE(stale.itemCount(), 11);
    saveModelFile(contentPath.toStdString(), stale);
    const HttpReply refused = request(served_.port, "POST", "/admin/reload", {}, auth);
    QCOMPARE(refused.status, 500);
    const QString reason = refused.json().value("failed").toArray().at(0).toString();
    QVERIFY2(reason.contains("content.model") && reason.contains("11 items") &&
                 reason.contains("catalogue has 12 anime"),
             qPrintable(reason));
    const HttpReply kept =
        served_.post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QCOMPARE(kept.status, 200);
    QCOMPARE(kept.json().value("model_version").toString(), QString("content-v1"));

    // Retrained on the catalogue it serves: accepted.
    saveModelFile(contentPath.toStdString(), *served_.content);
    QFile file(contentPath);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(120),
                             QFileDevice::FileModificationTime));
    file.close();
    const HttpReply accepted = request(served_.port, "POST", "/admin/reload", {}, auth);
    QCOMPARE(accepted.status, 200);
    QVERIFY(accepted.json().value("loaded").toArray().at(0).toString().startsWith(
        "content: content.model"));
    const HttpReply fresh =
        served_.post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QVERIFY(fresh.json().value("model_version").toString() != "content-v1");
    QCOMPARE(replyIds(fresh.json()), replyIds(kept.json()));
}

// With threads = 3 the kernel spreads connections over three event loops on one port; answers
// are the same, and admin routes still run on the owning thread.
void TestHttpOperations::workerThreadsShareThePort() {
    auto recorder = std::make_shared<ThreadRecorder>();
    service::ModelRegistry registry;
    registry.install(ModelRole::Collaborative, recorder, "threads");
    service::RecommendService service(served_.data, registry);
    service::MetricsRegistry metrics;
    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    std::set<QThread*> reloadThreads;
    http::ApiOptions options;
    options.threads = 3;
    options.adminToken = "t";
    options.cacheBytes = 0;  // every request scores, so the recorder sees every thread
    http::ApiServer server(
        service, metrics, log,
        [&] {
            reloadThreads.insert(QThread::currentThread());
            return service::ReloadReport{};
        },
        options);
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QCOMPARE(server.threads(), 3);
    const QByteArray expected =
        request(port, "POST", "/recommend_collaborative", R"({"user_id": 5, "top_n": 4})").body;
    QVERIFY(expected.contains("thread_recorder"));
    for (int i = 0; i < 40; ++i) {
        // A new connection each time (the fixture closes it), so each may land on another loop.
        const HttpReply reply =
            request(port, "POST", "/recommend_collaborative", R"({"user_id": 5, "top_n": 4})");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, expected);
        QCOMPARE(request(port, "POST", "/admin/reload", {}, "Authorization: Bearer t\r\n").status,
                 200);
    }
    QVERIFY2(recorder->threads().size() >= 2, "40 connections all went to one event loop");
    QCOMPARE(reloadThreads, std::set<QThread*>{QThread::currentThread()});
    QCOMPARE(metrics.requestCount("/recommend_collaborative", 200), qint64(41));
}

void TestHttpOperations::registryPrefersTheChosenFamily() {
    // A loader that builds a test model named after the file (as real model files are); a file
    // holding "broken" fails.
    service::ModelRegistry registry([](const std::string& path) -> std::unique_ptr<Recommender> {
        QFile file(QString::fromStdString(path));
        if (!file.open(QIODevice::ReadOnly) || file.readAll() == "broken")
            throw std::runtime_error(path + ": broken");
        return std::make_unique<FixedCollaborative>(QFileInfo(file).baseName().toStdString());
    });
    QTemporaryDir models;
    const auto write = [&](const QString& name, const QByteArray& text) {
        QFile file(models.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write("als.model", "ok");
    write("ease.model", "broken");
    service::ReloadReport report = registry.loadDirectory(models.path());
    // ease is broken; with nothing serving yet, als (which loads) serves.
    QCOMPARE(report.failed.size(), qsizetype(1));
    QVERIFY(registry.get(ModelRole::Collaborative)->path.endsWith("als.model"));
    QVERIFY(report.missing.contains("session"));

    // No choice recorded: the first loaded, and /ready says so.
    QVERIFY(registry.reason(ModelRole::Collaborative).startsWith("no choice recorded"));

    write("ease.model", "ok");
    const QString why = "chosen by validation ndcg@10 on 9 users: als 0.5000 > ease 0.4000";
    write("collaborative.json", R"({"model": "als", "reason": ")" + why.toUtf8() + R"("})");
    report = registry.loadDirectory(models.path());
    QVERIFY(report.ok());
    QVERIFY(
        registry.get(ModelRole::Collaborative)->path.endsWith("als.model"));  // chosen by training
    QCOMPARE(registry.reason(ModelRole::Collaborative), why);
    // Only the repaired ease file was read; als is unchanged. Both are available to experiments.
    QCOMPARE(report.loaded.size(), qsizetype(1));
    QVERIFY2(report.loaded.first().contains("ease.model"), qPrintable(report.loaded.first()));
    QVERIFY(registry.get(ModelRole::Collaborative, "ease") != nullptr);
    QVERIFY(registry.loadDirectory(models.path()).loaded.isEmpty());  // nothing changed: no reads
}

void TestHttpOperations::notReadyWithoutModels() {
    service::ModelRegistry empty(loadModelFile);
    BareServer server(served_.data, empty);
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    QCOMPARE(request(port, "GET", "/ready").status, 503);
    // Without any model the count-based fallback still answers.
    const HttpReply reply = request(port, "POST", "/recommend_collaborative", R"({"user_id": 1})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("model").toString(), QString("interaction_counts"));
    QVERIFY(!replyIds(reply.json()).contains(100));
    QCOMPARE(request(port, "POST", "/admin/reload").status, 403);
}

// Only a collaborative model loaded: it still answers for a known user, with its "because".
void TestHttpOperations::explainsWithoutAPopularityModel() {
    auto ease = std::make_shared<Ease>(EaseConfig{.lambda = 1.0f});
    ease->fit(*served_.data);
    service::ModelRegistry registry;
    registry.install(ModelRole::Collaborative, ease, "ease-only");
    BareServer server(served_.data, registry);
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    const HttpReply reply =
        request(port, "POST", "/recommend_collaborative", R"({"user_id": 1, "top_n": 4})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("model").toString(), QString("ease"));
    // User 1 holds anime 100, 103, 106, 109, 101 and 104.
    const QSet<qint64> history{100, 103, 106, 109, 101, 104};
    int explained = 0;
    for (const QJsonValue& item : reply.json().value("items").toArray()) {
        const QJsonArray because = item.toObject().value("because").toArray();
        explained += !because.isEmpty();
        for (const QJsonValue& id : because) QVERIFY(history.contains(id.toInteger()));
    }
    QVERIFY(explained > 0);
}

QTEST_GUILESS_MAIN(TestHttpOperations)
#include "test_http_operations.moc"

// The HTTP service end to end: a real QHttpServer on an ephemeral loopback port, spoken to over
// real sockets, serving real popularity/content models and test-only personal models.
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
#include <sstream>

#include "data/csv_dataset.h"
#include "http/api_server.h"
#include "http/route_table.h"
#include "http_test_fixture.h"
#include "models/content_based.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "service/metrics_registry.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "service/request_log.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestHttpService : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void healthReadyAndOpenApi();
    void topIsThePopularityRanking();
    void topHonoursTopN();
    void coldStartTakesFavouriteGenres();
    void contentBasedMatchesTheModel();
    void collaborativeExcludesSeenItems();
    void unknownUserGetsColdStart();
    void sessionByUserAndByHistory();
    void badInputIsRefused_data();
    void badInputIsRefused();
    void malformedHttpDoesNotHurtTheServer();
    void metricsCountRequests();
    void repeatedRequestsComeFromTheCache();
    void requestLogHasOneJsonLinePerRequest();
    void reloadKeepsOldModelOnFailure();
    void reloadRefusesModelsOfAnotherCatalogue();
    void precomputedNeighboursMatchTheDirectScan();
    void workerThreadsShareThePort();
    void registryPrefersTheChosenFamily();
    void requestLogRotates();
    void notReadyWithoutModels();

private:
    HttpReply post(const QByteArray& path, const QByteArray& body) {
        return request(port_, "POST", path, body);
    }
    HttpReply get(const QByteArray& path) { return request(port_, "GET", path); }
    static QList<qint64> ids(const QJsonObject& reply) {
        QList<qint64> result;
        for (const QJsonValue& item : reply.value("items").toArray())
            result << item.toObject().value("anime_id").toInteger();
        return result;
    }

    QTemporaryDir dir_;
    std::shared_ptr<Dataset> data_;
    std::shared_ptr<PopularityModel> popularity_;
    std::shared_ptr<ContentBasedModel> content_;
    std::unique_ptr<service::ModelRegistry> registry_;
    std::unique_ptr<service::RecommendService> service_;
    std::unique_ptr<service::MetricsRegistry> metrics_;
    std::unique_ptr<service::RequestLog> log_;
    std::unique_ptr<http::ApiServer> server_;
    quint16 port_ = 0;
    QString modelsDir_;
};

void TestHttpService::initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = makeDataset();
    // Ranked by interaction count: item 0 (in every history) leads, as the assertions expect.
    popularity_ =
        std::make_shared<PopularityModel>(PopularityConfig{PopularityMode::InteractionCount});
    popularity_->fit(*data_);
    content_ = std::make_shared<ContentBasedModel>();
    content_->fit(*data_);
    modelsDir_ = dir_.filePath("models");
    QVERIFY(QDir().mkpath(modelsDir_));

    registry_ = std::make_unique<service::ModelRegistry>(loadModelFile);
    registry_->install(ModelRole::Popularity, popularity_, "pop-v1");
    registry_->install(ModelRole::Content, content_, "content-v1");
    registry_->install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(),
                       "fixed-v1");
    registry_->install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
    metrics_ = std::make_unique<service::MetricsRegistry>();
    service::RequestLogOptions logOptions;
    logOptions.filePath = dir_.filePath("log/requests.jsonl");
    logOptions.toStderr = false;
    log_ = std::make_unique<service::RequestLog>(logOptions);
    QVERIFY2(log_->fileError().isEmpty(), qPrintable(log_->fileError()));
    http::ApiOptions options;
    options.adminToken = "s3cret";
    options.maxBodyBytes = 4096;
    server_ = std::make_unique<http::ApiServer>(
        *service_, *metrics_, *log_, [this] { return registry_->loadDirectory(modelsDir_); },
        options);
    port_ = server_->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port_ != 0);
}

void TestHttpService::healthReadyAndOpenApi() {
    const HttpReply health = get("/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value("status").toString(), QString("ok"));

    const HttpReply ready = get("/ready");
    QCOMPARE(ready.status, 200);
    QVERIFY(ready.json().value("ready").toBool());
    QCOMPARE(ready.json()
                 .value("models")
                 .toObject()
                 .value("session")
                 .toObject()
                 .value("model")
                 .toString(),
             QString("next_item"));

    const HttpReply spec = get("/openapi.json");
    QCOMPARE(spec.status, 200);
    // The document and the route table agree both ways: every route is documented with its
    // method, and every documented path and method is served.
    const QJsonObject paths = spec.json().value("paths").toObject();
    QSet<QString> served;
    for (const http::Route& route : http::routes()) {
        const QString method = http::methodName(route.method).toLower();
        served.insert(route.path + u' ' + method);
        QVERIFY2(paths.value(route.path).toObject().contains(method),
                 qPrintable(route.path + u' ' + method));
    }
    for (auto path = paths.begin(); path != paths.end(); ++path)
        for (const QString& method : path.value().toObject().keys())
            QVERIFY2(served.contains(path.key() + u' ' + method),
                     qPrintable(path.key() + u' ' + method + " is documented but not served"));

    const HttpReply anime = get("/anime/103");
    QCOMPARE(anime.status, 200);
    QCOMPARE(anime.json().value("title").toString(), QString("Anime 3"));
    QCOMPARE(anime.json().value("genre").toString(), QString("Action, Shounen"));
}

void TestHttpService::topIsThePopularityRanking() {
    const HttpReply reply = get("/top");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("popularity"));
    QCOMPARE(body.value("model_version").toString(), QString("pop-v1"));
    const std::vector<ScoredItem> expected = popularity_->top(12);
    const QJsonArray items = body.value("items").toArray();
    QCOMPARE(items.size(), qsizetype(12));  // the whole (small) catalogue, capped at 100
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        QCOMPARE(item.value("anime_id").toInteger(),
                 data_->catalog.idAt(expected[static_cast<std::size_t>(i)].item));
        QCOMPARE(item.value("rank").toInt(), int(i) + 1);
        QVERIFY(item.contains("title") && item.contains("genre") && item.contains("type") &&
                item.contains("score"));
    }
    // Item 0 is in every history, so it must lead.
    QCOMPARE(items.at(0).toObject().value("anime_id").toInteger(), qint64(100));
}

void TestHttpService::contentBasedMatchesTheModel() {
    const HttpReply reply = post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("content"));
    QCOMPARE(body.value("strategy").toString(), QString("content_similarity"));
    QList<qint64> expected;
    for (const ScoredItem& item : content_->similarItems(4, 3))
        expected << data_->catalog.idAt(item.item);
    QCOMPARE(ids(body), expected);
    QVERIFY(!ids(body).contains(104));
    // Same genre group (index % 3 == 1) ranks first.
    QCOMPARE((ids(body).first() - 100) % 3, qint64(1));

    const HttpReply defaults = post("/recommend_content_based", R"({"anime_id": 104})");
    QCOMPARE(ids(defaults.json()).size(), qsizetype(10));
}

void TestHttpService::collaborativeExcludesSeenItems() {
    const HttpReply reply = post("/recommend_collaborative", R"({"user_id": 1, "top_n": 4})");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("fixed"));
    QCOMPARE(body.value("model_version").toString(), QString("fixed-v1"));
    QCOMPARE(body.value("strategy").toString(), QString("collaborative"));
    // User 1 saw items {0,3,6,9,1,4}; the fixed model prefers high indices.
    QCOMPARE(ids(body), (QList<qint64>{111, 110, 108, 107}));
}

void TestHttpService::topHonoursTopN() {
    const QList<qint64> whole = ids(get("/top").json());
    const HttpReply three = get("/top?top_n=3");
    QCOMPARE(three.status, 200);
    QCOMPARE(ids(three.json()), whole.mid(0, 3));
    QCOMPARE(three.json().value("items").toArray().at(2).toObject().value("rank").toInt(), 3);
    // Bad values get the same 422 as the POST routes, naming the parameter.
    for (const QByteArray path :
         {"/top?top_n=0", "/top?top_n=101", "/top?top_n=abc", "/top?top_n=2.5"}) {
        const HttpReply bad = get(path);
        QVERIFY2(bad.status == 422, path.constData());
        QCOMPARE(bad.json().value("field").toString(), QString("top_n"));
    }
    const HttpReply unknown = get("/top?limit=3");
    QCOMPARE(unknown.status, 422);
    QCOMPARE(unknown.json().value("field").toString(), QString("limit"));
}

void TestHttpService::coldStartTakesFavouriteGenres() {
    // Unknown user, favourite genre "comedy" (any case): the popular titles of that genre only.
    const HttpReply collaborative = post(
        "/recommend_collaborative", R"({"user_id": 987000, "genres": ["comedy"], "top_n": 3})");
    QCOMPARE(collaborative.status, 200);
    QVERIFY2(collaborative.json()
                 .value("strategy")
                 .toString()
                 .startsWith("cold_start:popular_in_genres"),
             qPrintable(collaborative.json().value("strategy").toString()));
    const QJsonArray items = collaborative.json().value("items").toArray();
    QCOMPARE(items.size(), qsizetype(3));
    for (const QJsonValue& item : items)
        QVERIFY2(item.toObject().value("genre").toString().contains("Comedy"),
                 qPrintable(item.toObject().value("title").toString()));
    // The same for an empty anonymous session.
    const HttpReply session =
        post("/recommend_session_based", R"({"history": [], "genres": ["Drama"], "top_n": 2})");
    QCOMPARE(session.status, 200);
    QVERIFY(session.json().value("strategy").toString().startsWith("cold_start:popular_in_genres"));
    for (const QJsonValue& item : session.json().value("items").toArray())
        QVERIFY(item.toObject().value("genre").toString().contains("Drama"));
    // A known user with a history keeps the personal answer: genres only steer cold start.
    const HttpReply known =
        post("/recommend_collaborative", R"({"user_id": 1, "genres": ["Comedy"]})");
    QCOMPARE(known.json().value("strategy").toString(), QString("collaborative"));
    // A genre the catalogue lacks, or a wrong type, is named.
    const HttpReply unknown =
        post("/recommend_collaborative", R"({"user_id": 987000, "genres": ["Comedy", "Isekai"]})");
    QCOMPARE(unknown.status, 422);
    QCOMPARE(unknown.json().value("field").toString(), QString("genres[1]"));
    const HttpReply notArray =
        post("/recommend_session_based", R"({"user_id": 987000, "genres": "Comedy"})");
    QCOMPARE(notArray.status, 422);
    QCOMPARE(notArray.json().value("field").toString(), QString("genres"));
}

void TestHttpService::unknownUserGetsColdStart() {
    for (const QByteArray path : {"/recommend_collaborative", "/recommend_session_based"}) {
        const HttpReply reply = post(path, R"({"user_id": 987654, "top_n": 5})");
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QVERIFY2(body.value("strategy").toString().startsWith("cold_start:popular"),
                 qPrintable(body.value("strategy").toString()));
        QVERIFY(body.value("strategy").toString().contains("unknown user"));
        QCOMPARE(body.value("model").toString(), QString("popularity"));
        QCOMPARE(ids(body).first(), qint64(100));
    }
    // A known user with a short history gets content from that history, not the personal model.
    const HttpReply shortHistory = post("/recommend_collaborative", R"({"user_id": 5})");
    QCOMPARE(shortHistory.json().value("model").toString(), QString("content"));
    QVERIFY(shortHistory.json()
                .value("strategy")
                .toString()
                .startsWith("cold_start:content_from_history"));
    QVERIFY(!ids(shortHistory.json()).contains(100) && !ids(shortHistory.json()).contains(103));
}

void TestHttpService::sessionByUserAndByHistory() {
    // User 4 ended on item 6: the next-item model puts 7 first.
    const HttpReply byUser = post("/recommend_session_based", R"({"user_id": 4, "top_n": 3})");
    QCOMPARE(byUser.status, 200);
    QCOMPARE(byUser.json().value("model").toString(), QString("next_item"));
    QCOMPARE(byUser.json().value("strategy").toString(), QString("session"));
    QCOMPARE(ids(byUser.json()).first(), qint64(107));

    const HttpReply anonymous =
        post("/recommend_session_based", R"({"history": [100, 101, 102, 103, 108], "top_n": 3})");
    QCOMPARE(anonymous.status, 200);
    QCOMPARE(ids(anonymous.json()), (QList<qint64>{109, 104, 105}));

    const HttpReply empty = post("/recommend_session_based", R"({"history": []})");
    QCOMPARE(empty.status, 200);
    QVERIFY(empty.json().value("strategy").toString().contains("empty history"));
}

void TestHttpService::badInputIsRefused_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    const QByteArray content = "/recommend_content_based";
    const QByteArray session = "/recommend_session_based";
    const QByteArray collaborative = "/recommend_collaborative";
    QTest::addRow("invalid json") << QByteArray("POST") << content
                                  << QByteArray(R"({"anime_id": 1, "top_n" = 10})") << 400
                                  << "body";
    QTest::addRow("truncated json")
        << QByteArray("POST") << content << QByteArray(R"({"anime_id": 1)") << 400 << "body";
    QTest::addRow("empty body") << QByteArray("POST") << content << QByteArray("") << 400 << "body";
    QTest::addRow("array body") << QByteArray("POST") << content << QByteArray("[1, 2]") << 422
                                << "body";
    QTest::addRow("missing anime_id")
        << QByteArray("POST") << content << QByteArray(R"({"top_n": 3})") << 422 << "anime_id";
    QTest::addRow("anime_id string") << QByteArray("POST") << content
                                     << QByteArray(R"({"anime_id": "100"})") << 422 << "anime_id";
    QTest::addRow("anime_id float") << QByteArray("POST") << content
                                    << QByteArray(R"({"anime_id": 100.5})") << 422 << "anime_id";
    QTest::addRow("unknown anime") << QByteArray("POST") << content
                                   << QByteArray(R"({"anime_id": 99999})") << 404 << "anime_id";
    QTest::addRow("top_n negative")
        << QByteArray("POST") << content << QByteArray(R"({"anime_id": 100, "top_n": -5})") << 422
        << "top_n";
    QTest::addRow("top_n zero") << QByteArray("POST") << content
                                << QByteArray(R"({"anime_id": 100, "top_n": 0})") << 422 << "top_n";
    QTest::addRow("top_n 101") << QByteArray("POST") << content
                               << QByteArray(R"({"anime_id": 100, "top_n": 101})") << 422
                               << "top_n";
    QTest::addRow("top_n huge") << QByteArray("POST") << content
                                << QByteArray(R"({"anime_id": 100, "top_n": 1e300})") << 422
                                << "top_n";
    QTest::addRow("top_n fraction")
        << QByteArray("POST") << content << QByteArray(R"({"anime_id": 100, "top_n": 2.5})") << 422
        << "top_n";
    QTest::addRow("top_n string") << QByteArray("POST") << content
                                  << QByteArray(R"({"anime_id": 100, "top_n": "10"})") << 422
                                  << "top_n";
    QTest::addRow("top_n bool") << QByteArray("POST") << content
                                << QByteArray(R"({"anime_id": 100, "top_n": true})") << 422
                                << "top_n";
    QTest::addRow("unknown field")
        << QByteArray("POST") << content << QByteArray(R"({"anime_id": 100, "topN": 5})") << 422
        << "topN";
    QTest::addRow("user_id missing")
        << QByteArray("POST") << collaborative << QByteArray(R"({"top_n": 5})") << 422 << "user_id";
    QTest::addRow("user_id negative") << QByteArray("POST") << collaborative
                                      << QByteArray(R"({"user_id": -1})") << 422 << "user_id";
    QTest::addRow("user_id null") << QByteArray("POST") << collaborative
                                  << QByteArray(R"({"user_id": null})") << 422 << "user_id";
    QTest::addRow("session neither")
        << QByteArray("POST") << session << QByteArray(R"({"top_n": 5})") << 422 << "user_id";
    QTest::addRow("session both") << QByteArray("POST") << session
                                  << QByteArray(R"({"user_id": 1, "history": [100]})") << 422
                                  << "history";
    QTest::addRow("history not array")
        << QByteArray("POST") << session << QByteArray(R"({"history": 100})") << 422 << "history";
    QTest::addRow("history bad element")
        << QByteArray("POST") << session << QByteArray(R"({"history": [100, "x"]})") << 422
        << "history[1]";
    QTest::addRow("history unknown anime")
        << QByteArray("POST") << session << QByteArray(R"({"history": [100, 5]})") << 404
        << "history[1]";
    QTest::addRow("oversized body")
        << QByteArray("POST") << content
        << QByteArray(R"({"anime_id": 100, "pad": ")" + QByteArray(8000, 'x') + "\"}") << 413
        << "body";
    QTest::addRow("unknown route")
        << QByteArray("GET") << QByteArray("/nope") << QByteArray() << 404 << "path";
    QTest::addRow("get on post route")
        << QByteArray("GET") << collaborative << QByteArray() << 405 << "method";
    QTest::addRow("post on get route")
        << QByteArray("POST") << QByteArray("/top") << QByteArray("{}") << 405 << "method";
    QTest::addRow("delete anime") << QByteArray("DELETE") << QByteArray("/anime/100")
                                  << QByteArray() << 405 << "method";
    QTest::addRow("anime id text")
        << QByteArray("GET") << QByteArray("/anime/abc") << QByteArray() << 400 << "id";
    QTest::addRow("anime id unknown")
        << QByteArray("GET") << QByteArray("/anime/99999") << QByteArray() << 404 << "id";
    QTest::addRow("reload without token") << QByteArray("POST") << QByteArray("/admin/reload")
                                          << QByteArray() << 401 << "Authorization";
}

void TestHttpService::badInputIsRefused() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    const HttpReply reply = request(port_, method, path, body);
    QVERIFY2(reply.complete, "no complete response");
    QCOMPARE(reply.status, status);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject error = reply.json();
    QCOMPARE(error.value("status").toInt(), status);
    QCOMPARE(error.value("field").toString(), field);
    QVERIFY(!error.value("message").toString().isEmpty());
    if (status == 405) QVERIFY(!reply.header("Allow").isEmpty());
    QCOMPARE(get("/health").status, 200);  // still serving
}

void TestHttpService::malformedHttpDoesNotHurtTheServer() {
    const HttpReply garbage = sendRaw(port_, "THIS IS NOT HTTP\r\n\r\n", 2000);
    QVERIFY(garbage.status == 0 || garbage.status == 400);
    {
        // A client that sends half a request and vanishes.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port_);
        QVERIFY(socket.waitForConnected(2000));
        socket.write("POST /recommend_collaborative HTTP/1.1\r\nContent-Length: 500\r\n\r\n{\"us");
        socket.flush();
        QTest::qWait(50);
    }
    QCOMPARE(get("/health").status, 200);
}

void TestHttpService::metricsCountRequests() {
    const qint64 before = metrics_->requestCount("/top", 200);
    QCOMPARE(get("/top").status, 200);
    QCOMPARE(metrics_->requestCount("/top", 200), before + 1);
    const HttpReply reply = get("/metrics");
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

void TestHttpService::repeatedRequestsComeFromTheCache() {
    const auto hits = [this] {
        const QString text = QString::fromUtf8(get("/metrics").body);
        const QString prefix = "animerec_response_cache_total{result=\"hit\"} ";
        const qsizetype at = text.indexOf(prefix);
        return at < 0 ? -1 : text.mid(at + prefix.size()).section('\n', 0, 0).toLongLong();
    };
    const qint64 before = hits();
    QVERIFY(before >= 0);
    const HttpReply first = post("/recommend_collaborative", R"({"user_id": 3, "top_n": 6})");
    const HttpReply second = post("/recommend_collaborative", R"({"top_n": 6, "user_id": 3})");
    QCOMPARE(first.status, 200);
    QCOMPARE(second.body, first.body);
    QCOMPARE(hits(), before + 1);
    // A different top_n is a different answer, not a truncated hit.
    QCOMPARE(ids(post("/recommend_collaborative", R"({"user_id": 3, "top_n": 2})").json()).size(),
             qsizetype(2));
}

void TestHttpService::requestLogHasOneJsonLinePerRequest() {
    QCOMPARE(post("/recommend_collaborative", R"({"user_id": 2, "top_n": 7})").status, 200);
    log_->flush();
    QFile file(dir_.filePath("log/requests.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QVERIFY(lines.size() > 20);
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value("route").toString(), QString("/recommend_collaborative"));
    QCOMPARE(last.value("status").toInt(), 200);
    QCOMPARE(last.value("model").toString(), QString("fixed"));
    QCOMPARE(last.value("model_version").toString(), QString("fixed-v1"));
    QCOMPARE(last.value("params").toObject().value("top_n").toInt(), 7);
    QVERIFY(last.value("latency_ms").toDouble() >= 0.0);
    QVERIFY(!last.value("time").toString().isEmpty());
    for (const QByteArray& line : lines)
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
}

void TestHttpService::reloadKeepsOldModelOnFailure() {
    const QByteArray auth = "Authorization: Bearer s3cret\r\n";
    QCOMPARE(request(port_, "POST", "/admin/reload", {}, "Authorization: Bearer wrong\r\n").status,
             401);

    saveModelFile(QDir(modelsDir_).filePath("popularity.model").toStdString(), *popularity_);
    const HttpReply loaded = request(port_, "POST", "/admin/reload", {}, auth);
    QCOMPARE(loaded.status, 200);
    QVERIFY(loaded.json().value("ok").toBool());
    const QString version = get("/top").json().value("model_version").toString();
    QVERIFY2(version != "pop-v1" && version.endsWith('Z'), qPrintable(version));

    // A corrupt file with a new timestamp: reload reports it, the old model keeps serving.
    QFile broken(QDir(modelsDir_).filePath("popularity.model"));
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
    broken.write("ANIMEREC but not really a model");
    broken.close();
    QVERIFY(broken.open(QIODevice::ReadWrite));
    QVERIFY(broken.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60),
                               QFileDevice::FileModificationTime));
    broken.close();
    const HttpReply failed = request(port_, "POST", "/admin/reload", {}, auth);
    QCOMPARE(failed.status, 500);
    QVERIFY(!failed.json().value("ok").toBool());
    QVERIFY(failed.json().value("failed").toArray().at(0).toString().contains("popularity.model"));
    const HttpReply top = get("/top");
    QCOMPARE(top.status, 200);
    QCOMPARE(top.json().value("model_version").toString(), version);
    QCOMPARE(ids(top.json()).first(), qint64(100));
}

void TestHttpService::reloadRefusesModelsOfAnotherCatalogue() {
    const QByteArray auth = "Authorization: Bearer s3cret\r\n";
    QFile::remove(QDir(modelsDir_).filePath("popularity.model"));  // the corrupt one from above
    registry_->setCatalogueSize(data_->catalog.size());
    const QString contentPath = QDir(modelsDir_).filePath("content.model");

    // Trained before a re-import: the catalogue had one anime fewer.
    Dataset older;
    for (int i = 0; i + 1 < data_->catalog.size(); ++i) older.catalog.add(data_->catalog.at(i));
    ContentBasedModel stale;
    stale.fit(older);
    QCOMPARE(stale.itemCount(), 11);
    saveModelFile(contentPath.toStdString(), stale);
    const HttpReply refused = request(port_, "POST", "/admin/reload", {}, auth);
    QCOMPARE(refused.status, 500);
    const QString reason = refused.json().value("failed").toArray().at(0).toString();
    QVERIFY2(reason.contains("content.model") && reason.contains("11 items") &&
                 reason.contains("catalogue has 12 anime"),
             qPrintable(reason));
    const HttpReply kept = post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QCOMPARE(kept.status, 200);
    QCOMPARE(kept.json().value("model_version").toString(), QString("content-v1"));

    // Retrained on the catalogue it serves: accepted.
    saveModelFile(contentPath.toStdString(), *content_);
    QFile file(contentPath);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(120),
                             QFileDevice::FileModificationTime));
    file.close();
    const HttpReply accepted = request(port_, "POST", "/admin/reload", {}, auth);
    QCOMPARE(accepted.status, 200);
    QVERIFY(accepted.json().value("loaded").toArray().at(0).toString().startsWith(
        "content: content.model"));
    const HttpReply fresh = post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QVERIFY(fresh.json().value("model_version").toString() != "content-v1");
    QCOMPARE(ids(fresh.json()), ids(kept.json()));
}

// On the real 12,294-anime catalogue the content model answers from its precomputed top-100
// table; the lists must be exactly those of a scan over every item, over HTTP and after a reload.
void TestHttpService::precomputedNeighboursMatchTheDirectScan() {
    auto data =
        std::make_shared<Dataset>(loadCsvDataset(ANIMEREC_SAMPLE_DATA_DIR "/anime.csv", {}));
    QCOMPARE(data->catalog.size(), 12294);
    auto content = std::make_shared<ContentBasedModel>();
    content->fit(*data);
    std::stringstream file;
    content->save(file);
    ContentBasedModel loaded;
    loaded.load(file);

    const int last = data->catalog.size() - 1;
    const int width = ContentBasedModel::kPrecomputedNeighbours;
    const auto same = [](const std::vector<ScoredItem>& a, const std::vector<ScoredItem>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].item != b[i].item || a[i].score != b[i].score) return false;
        return true;
    };
    for (const int item : {0, 1, 77, 1000, 4321, 6147, 9999, last})
        for (const int n : {1, 10, 37, width, width + 1}) {
            const std::vector<ScoredItem> direct = content->computeSimilarItems(item, n);
            QCOMPARE(direct.size(), std::size_t(n));
            QVERIFY2(same(content->similarItems(item, n), direct),
                     qPrintable(QString("item %1 n %2").arg(item).arg(n)));
            QVERIFY2(same(loaded.similarItems(item, n), direct),
                     qPrintable(QString("loaded: item %1 n %2").arg(item).arg(n)));
        }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, content->similarItems(last + 1, 10));

    service::ModelRegistry registry;
    registry.install(ModelRole::Content, content, "real");
    service::RecommendService service(data, registry);
    service::MetricsRegistry metrics;
    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiServer server(service, metrics, log, {}, {});
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    for (const int item : {0, 77, 4321, 9999, last})
        for (const int n : {10, width}) {
            const QByteArray body =
                QByteArray(R"({"anime_id": )") +
                QByteArray::number(static_cast<qint64>(data->catalog.idAt(item))) +
                R"(, "top_n": )" + QByteArray::number(n) + '}';
            const HttpReply reply = request(port, "POST", "/recommend_content_based", body);
            QCOMPARE(reply.status, 200);
            QList<qint64> expected;
            for (const ScoredItem& scored : content->computeSimilarItems(item, n))
                expected << data->catalog.idAt(scored.item);
            QCOMPARE(ids(reply.json()), expected);
        }
}

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

// With threads = 3 the kernel spreads connections over three event loops on one port; answers
// are the same, and admin routes still run on the owning thread.
void TestHttpService::workerThreadsShareThePort() {
    auto recorder = std::make_shared<ThreadRecorder>();
    service::ModelRegistry registry;
    registry.install(ModelRole::Collaborative, recorder, "threads");
    service::RecommendService service(data_, registry);
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

void TestHttpService::registryPrefersTheChosenFamily() {
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

void TestHttpService::requestLogRotates() {
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

void TestHttpService::notReadyWithoutModels() {
    service::ModelRegistry empty(loadModelFile);
    service::RecommendService service(data_, empty);
    service::MetricsRegistry metrics;
    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiServer server(service, metrics, log, {}, {});
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QCOMPARE(request(port, "GET", "/ready").status, 503);
    // Without any model the count-based fallback still answers.
    const HttpReply reply = request(port, "POST", "/recommend_collaborative", R"({"user_id": 1})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("model").toString(), QString("interaction_counts"));
    QVERIFY(!ids(reply.json()).contains(100));
    QCOMPARE(request(port, "POST", "/admin/reload").status, 403);
}

QTEST_GUILESS_MAIN(TestHttpService)
#include "test_http_service.moc"

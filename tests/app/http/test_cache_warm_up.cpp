// serve --warm-users: the answers computed ahead of requests (CacheWarmer) through a real
// ApiServer on a loopback port: /ready waits for the first pass, warmed answers are cache hits
// identical to computed ones, the pass stops at half the cache, and a reload warms again.
#include <QDir>
#include <QJsonDocument>
#include <QTest>
#include <QThread>
#include <atomic>

#include "http/api_server.h"
#include "http_test_fixture.h"
#include "models/content_based.h"
#include "service/metrics_registry.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "service/request_log.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestCacheWarmUp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void warmUpPrecomputesAnswersBeforeReady();
    void warmUpStopsAtHalfTheCacheAndRestartsAfterAReload();

private:
    std::shared_ptr<Dataset> data_;
    std::shared_ptr<ContentBasedModel> content_;
};

namespace {
// animerec_response_cache_total{result="hit"|"miss"} from the server's /metrics.
qint64 cacheLookups(quint16 port, const char* result) {
    const QString text = QString::fromUtf8(request(port, "GET", "/metrics").body);
    const QString prefix = QString("animerec_response_cache_total{result=\"%1\"} ").arg(result);
    return text.mid(text.indexOf(prefix) + prefix.size()).section('\n', 0, 0).toLongLong();
}
}  // namespace

void TestCacheWarmUp::initTestCase() {
    data_ = makeDataset();
    content_ = std::make_shared<ContentBasedModel>();
    content_->fit(*data_);
}

namespace {
// Scores like FixedCollaborative once opened; until then every call waits (a slow model).
class GatedCollaborative final : public Recommender {
public:
    std::string name() const override { return "gated"; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery&, std::span<float> scores) const override {
        while (!open_.load()) QThread::msleep(1);
        ++calls_;
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i);
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
    void open() { open_ = true; }
    int calls() const { return calls_.load(); }

private:
    std::atomic<bool> open_{false};
    mutable std::atomic<int> calls_{0};
};
}  // namespace

// serve --warm-users: /ready waits until the default answers of the known users and anime are
// computed; they then come from the cache, identical to freshly computed ones; a reload warms
// the new models' answers.
void TestCacheWarmUp::warmUpPrecomputesAnswersBeforeReady() {
    auto gated = std::make_shared<GatedCollaborative>();
    service::ModelRegistry registry;
    registry.install(ModelRole::Content, content_, "content-v1");
    registry.install(ModelRole::Collaborative, gated, "gated-v1");
    registry.install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
    service::RecommendService service(data_, registry);
    service::MetricsRegistry metrics;
    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiOptions options;
    options.warmUsers = 1000;
    http::ApiServer warmed(service, metrics, log, {}, options);
    const quint16 port = warmed.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    options.warmUsers = 0;
    options.cacheBytes = 0;
    service::MetricsRegistry plainMetrics;
    http::ApiServer plain(service, plainMetrics, log, {}, options);
    const quint16 plainPort = plain.listen(QHostAddress::LocalHost, 0);
    QVERIFY(plainPort != 0);

    const HttpReply warming = request(port, "GET", "/ready");
    QCOMPARE(warming.status, 503);
    QVERIFY2(warming.json().value("reason").toString().startsWith("warming the answer cache"),
             warming.body.constData());
    QCOMPARE(warming.json().value("warm_up").toObject().value("finished").toBool(), false);
    gated->open();
    QTRY_COMPARE_WITH_TIMEOUT(request(port, "GET", "/ready").status, 200, 120000);
    const QJsonObject warmUp = request(port, "GET", "/ready").json().value("warm_up").toObject();
    const int users = data_->interactions.userCount();
    // Two routes per user and one per anime.
    QCOMPARE(warmUp.value("total").toInteger(), qint64(2 * users + data_->catalog.size()));
    QCOMPARE(warmUp.value("done").toInteger(), warmUp.value("total").toInteger());
    QVERIFY(warmUp.value("cached_bytes").toInteger() > 0);
    QCOMPARE(gated->calls(), users);

    const auto cacheCount = [&](const char* result) { return cacheLookups(port, result); };
    QCOMPARE(cacheCount("miss"), qint64(0));
    for (int user = 0; user < users; ++user) {
        const QByteArray body = QByteArray(R"({"user_id": )") +
                                QByteArray::number(qint64(data_->interactions.userIdAt(user))) +
                                "}";
        for (const QByteArray& route :
             {QByteArray("/recommend_collaborative"), QByteArray("/recommend_session_based")}) {
            const HttpReply cached = request(port, "POST", route, body);
            QCOMPARE(cached.status, 200);
            QCOMPARE(cached.body, request(plainPort, "POST", route, body).body);
        }
    }
    const QByteArray content = R"({"anime_id": 105})";
    QCOMPARE(request(port, "POST", "/recommend_content_based", content).body,
             request(plainPort, "POST", "/recommend_content_based", content).body);
    QCOMPARE(cacheCount("hit"), qint64(2 * users + 1));
    QCOMPARE(cacheCount("miss"), qint64(0));
    QCOMPARE(gated->calls(), 2 * users);  // the plain server's requests only

    // A new model generation empties the cache; the warmer computes the new answers unasked.
    registry.install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(), "fixed-v2");
    QTRY_COMPARE_WITH_TIMEOUT(
        request(port, "GET", "/ready").json().value("warm_up").toObject().value("passes").toInt(),
        2, 120000);
    QCOMPARE(request(port, "GET", "/ready").status, 200);
    const HttpReply reloaded =
        request(port, "POST", "/recommend_collaborative", R"({"user_id": 2})");
    QCOMPARE(reloaded.json().value("model_version").toString(), QString("fixed-v2"));
    QCOMPARE(cacheCount("hit"), qint64(2 * users + 2));
    QCOMPARE(cacheCount("miss"), qint64(0));
}

// The warm-up fills at most half the cache budget, most active users first; a reload's pass starts
// from an empty cache again (the previous models' answers do not count against it).
void TestCacheWarmUp::warmUpStopsAtHalfTheCacheAndRestartsAfterAReload() {
    service::ModelRegistry registry;
    registry.install(ModelRole::Content, content_, "content-v1");
    registry.install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(), "fixed-v1");
    registry.install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
    service::RecommendService service(data_, registry);
    service::MetricsRegistry metrics;
    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiOptions options;
    options.warmUsers = 1000;
    options.cacheBytes = 8 * 1024;  // half of it holds about 5 answers of ~800 bytes, not all 22
    options.warmThreads = 1;        // the answers warmed are then exactly the first ones
    http::ApiServer server(service, metrics, log, {}, options);
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QTRY_COMPARE_WITH_TIMEOUT(request(port, "GET", "/ready").status, 200, 120000);
    const QJsonObject first = request(port, "GET", "/ready").json().value("warm_up").toObject();
    QVERIFY2(first.value("cached_bytes").toInteger() >= options.cacheBytes / 2,
             "the warm-up stopped early");
    QVERIFY2(first.value("cached_bytes").toInteger() < options.cacheBytes,
             "the warm-up overfilled the cache");

    // The most active user (user 4: 7 titles) is warmed first; the shortest history (user 5,
    // jobs 9 and 10 of 22) is not.
    const auto hits = [&] { return cacheLookups(port, "hit"); };
    const qint64 before = hits();
    QCOMPARE(request(port, "POST", "/recommend_collaborative", R"({"user_id": 4})").status, 200);
    QCOMPARE(hits(), before + 1);
    QCOMPARE(request(port, "POST", "/recommend_collaborative", R"({"user_id": 5})").status, 200);
    QCOMPARE(hits(), before + 1);

    registry.install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>("fixed_again"),
                     "fixed-v2");
    QTRY_COMPARE_WITH_TIMEOUT(
        request(port, "GET", "/ready").json().value("warm_up").toObject().value("passes").toInt(),
        2, 120000);
    const HttpReply reloaded =
        request(port, "POST", "/recommend_collaborative", R"({"user_id": 4})");
    QCOMPARE(reloaded.json().value("model_version").toString(), QString("fixed-v2"));
    QCOMPARE(hits(), before + 2);
}

QTEST_GUILESS_MAIN(TestCacheWarmUp)
#include "test_cache_warm_up.moc"

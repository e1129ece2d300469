// The answer cache changes nothing but speed: through two real ApiServers on loopback sockets,
// one caching (its answers precomputed by the warm-up, then cache hits) and one computing every
// answer for its request (`serve --cache-mb 0 --warm-users 0`), every recommendation route gives
// the same bytes for every user, anime and session of a generated dataset, with EASE and with ALS
// serving the collaborative role, SASRec the session role, and the real popularity and content
// models behind the cold-start answers. Some users carry events added after the snapshot
// (POST /feedback's path into the history), so the merged-history answers are compared too.
#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "data/csv_dataset.h"
#include "data/generator.h"
#include "http/api_server.h"
#include "http_test_fixture.h"
#include "models/als.h"
#include "models/content_based.h"
#include "models/ease.h"
#include "models/popularity.h"
#include "models/sasrec.h"
#include "service/metrics_registry.h"
#include "service/model_registry.h"
#include "service/recent_history.h"
#include "service/recommend_service.h"
#include "service/request_log.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestCacheOffAnswers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cachedAndComputedAnswersAreTheSameBytes_data();
    void cachedAndComputedAnswersAreTheSameBytes();

private:
    std::shared_ptr<Dataset> data_;
    std::shared_ptr<const Recommender> popularity_, content_, ease_, als_, sasrec_;
};

void TestCacheOffAnswers::initTestCase() {
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    GeneratorConfig config;
    config.users = 400;
    config.anime = 500;
    config.meanInteractionsPerUser = 40.0;
    generateDatasetFiles(config, directory.path().toStdString());
    data_ = std::make_shared<Dataset>(
        loadCsvDataset(QDir(directory.path()).filePath("anime.csv").toStdString(),
                       {QDir(directory.path()).filePath("animelist.csv").toStdString()}));
    QVERIFY(data_->interactions.userCount() > 300);

    const auto fitted = [&](auto model) {
        model->fit(*data_);
        return std::shared_ptr<const Recommender>(std::move(model));
    };
    popularity_ = fitted(std::make_unique<PopularityModel>());
    content_ = fitted(std::make_unique<ContentBasedModel>());
    ease_ = fitted(std::make_unique<Ease>());
    AlsConfig als;
    als.factors = 40;  // not a multiple of any vector width: kernels' tails are exercised too
    als.iterations = 4;
    als_ = fitted(std::make_unique<Als>(als));
    SasrecConfig sasrec;
    sasrec.dim = 24;
    sasrec.training.epochs = 2;
    sasrec.training.validationUsers = 0;
    sasrec_ = fitted(std::make_unique<SasrecModel>(sasrec));
}

void TestCacheOffAnswers::cachedAndComputedAnswersAreTheSameBytes_data() {
    QTest::addColumn<QString>("collaborative");
    QTest::newRow("ease") << "ease";
    QTest::newRow("als") << "als";
}

namespace {
QByteArray numbers(const std::vector<std::int64_t>& ids) {
    QByteArray list = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        list += (i > 0 ? "," : "") + QByteArray::number(static_cast<qlonglong>(ids[i]));
    return list + ']';
}
}  // namespace

void TestCacheOffAnswers::cachedAndComputedAnswersAreTheSameBytes() {
    QFETCH(QString, collaborative);
    service::ModelRegistry registry;
    registry.install(ModelRole::Popularity, popularity_, "popularity-v1");
    registry.install(ModelRole::Content, content_, "content-v1");
    registry.install(ModelRole::Collaborative, collaborative == "ease" ? ease_ : als_,
                     collaborative + "-v1");
    registry.install(ModelRole::Session, sasrec_, "sasrec-v1");
    service::RecommendService service(data_, registry);
    // Every third user watched two more titles since the snapshot: their history is merged.
    auto recent = std::make_shared<service::RecentHistory>();
    const int users = data_->interactions.userCount();
    for (int user = 0; user < users; user += 3)
        for (int k = 0; k < 2; ++k) {
            Event event;
            event.item = (user * 7 + k * 13) % data_->catalog.size();
            event.status = WatchStatus::Completed;
            recent->append(data_->interactions.userIdAt(user), event);
        }
    service.setRecentHistory(recent);

    service::RequestLog log(service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    service::MetricsRegistry cachedMetrics, computedMetrics;
    http::ApiOptions options;
    options.warmUsers = 100'000;
    options.threads = 2;  // answers computed on two event-loop threads and the warm-up's
    http::ApiServer cached(service, cachedMetrics, log, {}, options);
    const quint16 cachedPort = cached.listen(QHostAddress::LocalHost, 0);
    QVERIFY(cachedPort != 0);
    options.warmUsers = 0;
    options.cacheBytes = 0;
    http::ApiServer computed(service, computedMetrics, log, {}, options);
    const quint16 computedPort = computed.listen(QHostAddress::LocalHost, 0);
    QVERIFY(computedPort != 0);
    QTRY_COMPARE_WITH_TIMEOUT(request(cachedPort, "GET", "/ready").status, 200, 120000);

    int compared = 0;
    const auto same = [&](const QByteArray& route, const QByteArray& body) {
        const HttpReply fromCache = request(cachedPort, "POST", route, body);
        const HttpReply fresh = request(computedPort, "POST", route, body);
        QCOMPARE(fresh.status, 200);
        QVERIFY2(fresh.body.contains("\"items\":[{"), (route + ' ' + body).constData());
        QCOMPARE(fromCache.status, fresh.status);
        QVERIFY2(
            fromCache.body == fresh.body,
            (route + ' ' + body + "\ncached:   " + fromCache.body + "\ncomputed: " + fresh.body)
                .constData());
        ++compared;
    };
    // Every user (warmed answers), a top_n other than the warmed one (a miss, then a hit), and
    // an unknown user (the cold-start answer).
    for (int user = 0; user < users; ++user) {
        const QByteArray id = QByteArray::number(qint64(data_->interactions.userIdAt(user)));
        for (const QByteArray route : {"/recommend_collaborative", "/recommend_session_based"}) {
            same(route, R"({"user_id": )" + id + "}");
            if (user % 5 == 0)
                for (int repeat = 0; repeat < 2; ++repeat)
                    same(route, R"({"user_id": )" + id + R"(, "top_n": 37})");
        }
        if (QTest::currentTestFailed()) return;
    }
    for (const QByteArray route : {"/recommend_collaborative", "/recommend_session_based"})
        same(route, R"({"user_id": 987654321})");
    // Every anime's similar titles.
    for (int item = 0; item < data_->catalog.size(); ++item) {
        same("/recommend_content_based",
             R"({"anime_id": )" + QByteArray::number(qint64(data_->catalog.idAt(item))) + "}");
        if (QTest::currentTestFailed()) return;
    }
    // Sessions posted as history: each user's latest 1, 3 and 15 titles (cold start, short and
    // personal), asked twice so the second answer comes from the cache.
    for (int user = 0; user < users; user += 2) {
        const auto events = data_->interactions.historyOf(user);
        for (const std::size_t length : {std::size_t{1}, std::size_t{3}, std::size_t{15}}) {
            std::vector<std::int64_t> ids;
            for (std::size_t i = events.size() > length ? events.size() - length : 0;
                 i < events.size(); ++i)
                ids.push_back(data_->catalog.idAt(events[i].item));
            for (int repeat = 0; repeat < 2; ++repeat)
                same("/recommend_session_based", R"({"history": )" + numbers(ids) + "}");
        }
        if (QTest::currentTestFailed()) return;
    }
    QVERIFY(compared > 2 * users + data_->catalog.size());
}

QTEST_MAIN(TestCacheOffAnswers)
#include "test_cache_off_answers.moc"

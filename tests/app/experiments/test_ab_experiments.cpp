// A/B experiments: sticky assignment, lifecycle, feedback over HTTP (validation, history overlay,
// database rows) and nothing lost under concurrent load. Report numbers and the replay simulator
// are in test_ab_report.cpp.
#include <QDir>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>

#include "experiments/ab_report.h"
#include "experiments/experiment_runtime.h"
#include "experiments/experiment_store.h"
#include "http/api_server.h"
#include "http_test_fixture.h"
#include "service/metrics_registry.h"
#include "service/request_log.h"
#include "storage/database.h"
#include "storage_test_backend.h"

using namespace animerec;
using namespace animerec::testing;
using experiments::ExperimentRuntime;
using service::ModelRole;

namespace {

QJsonObject twoArms(const QString& name, double controlShare = 0.5) {
    return {
        {"name", name},
        {"variants",
         QJsonArray{
             QJsonObject{{"name", "control"}, {"role", "collaborative"}, {"share", controlShare}},
             QJsonObject{
                 {"name", "session"}, {"role", "session"}, {"share", 1.0 - controlShare}}}}};
}

// Opens `count` connections at once, sends one request on each and waits for every answer.
std::vector<int> sendConcurrently(quint16 port, const std::vector<QByteArray>& requests,
                                  int timeoutMs = 20000) {
    std::vector<int> statuses(requests.size(), 0);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> received(requests.size());
    std::size_t finished = 0;
    QEventLoop loop;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket* raw = socket.get();
        QObject::connect(raw, &QTcpSocket::connected,
                         [raw, &requests, i] { raw->write(requests[i]); });
        QObject::connect(raw, &QTcpSocket::readyRead, [&, raw, i] {
            received[i] += raw->readAll();
            const qsizetype end = received[i].indexOf("\r\n\r\n");
            if (end < 0 || statuses[i] != 0) return;
            HttpReply reply;
            reply.head = received[i].left(end);
            if (received[i].size() - (end + 4) < reply.header("Content-Length").toLongLong())
                return;
            statuses[i] = reply.head.mid(reply.head.indexOf(' ') + 1, 3).toInt();
            if (++finished == requests.size()) loop.quit();
        });
        raw->connectToHost(QHostAddress::LocalHost, port);
        sockets.push_back(std::move(socket));
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (finished < requests.size()) loop.exec();
    return statuses;
}

QByteArray post(const QByteArray& path, const QByteArray& body, const QByteArray& headers = {}) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers +
           "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}

// Threads of this process (Linux).
int threadCount() {
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

qint64 countRows(storage::Database& database, const QString& sql) {
    QSqlQuery query(database.connection());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

}  // namespace

class TestAbExperiments : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void assignmentIsStickyAndFollowsShares_data();
    void assignmentIsStickyAndFollowsShares();
    void definitionValidation_data();
    void definitionValidation();
    void lifecycleStartPauseStop();
    void catalogueAloneStartsNoWriterAndReservesNoIds();
    void adminRoutesNeedToken();
    void feedbackValidation_data();
    void feedbackValidation();
    void feedbackChangesRecommendationsAtOnce();
    void exposuresAndFeedbackSurviveConcurrentLoad();

private:
    HttpReply call(const QByteArray& method, const QByteArray& path, const QByteArray& body = {},
                   const QByteArray& headers = {}) {
        return request(port_, method, path, body, headers);
    }

    QTemporaryDir dir_;
    testing::StorageTestBackend backend_;  // SQLite, or PostgreSQL under the `postgres` fixture
    std::shared_ptr<Dataset> data_;
    std::unique_ptr<service::ModelRegistry> registry_;
    std::unique_ptr<service::RecommendService> service_;
    QString location_;
    std::unique_ptr<ExperimentRuntime> experiments_;
    std::unique_ptr<service::MetricsRegistry> metrics_;
    std::unique_ptr<service::RequestLog> log_;
    std::unique_ptr<http::ApiServer> server_;
    quint16 port_ = 0;
};

void TestAbExperiments::initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = makeDataset();
    registry_ = std::make_unique<service::ModelRegistry>();
    registry_->install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(),
                       "fixed-v1");
    registry_->install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
    QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
    qInfo("backend: %s", qPrintable(backend_.name()));
    location_ = backend_.freshLocation(dir_, "ab_experiments.sqlite");
    experiments_ = std::make_unique<ExperimentRuntime>(location_, data_);
    const QString error = experiments_->open();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString stored = testing::StorageTestBackend::storeCatalogIds(
        experiments_->database().connection(), data_->catalog);
    QVERIFY2(stored.isEmpty(), qPrintable(stored));
    service_->setRecentHistory(experiments_->recentHistory());
    metrics_ = std::make_unique<service::MetricsRegistry>();
    log_ = std::make_unique<service::RequestLog>(
        service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiOptions options;
    options.adminToken = "s3cret";
    options.experiments = experiments_.get();
    server_ = std::make_unique<http::ApiServer>(*service_, *metrics_, *log_, nullptr, options);
    port_ = server_->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port_ != 0);
}

void TestAbExperiments::cleanupTestCase() {
    server_.reset();
    experiments_.reset();
}

void TestAbExperiments::assignmentIsStickyAndFollowsShares_data() {
    QTest::addColumn<QList<double>>("shares");
    QTest::addRow("50/50") << QList<double>{0.5, 0.5};
    QTest::addRow("20/80") << QList<double>{0.2, 0.8};
    QTest::addRow("10/30/60") << QList<double>{0.1, 0.3, 0.6};
}

void TestAbExperiments::assignmentIsStickyAndFollowsShares() {
    QFETCH(QList<double>, shares);
    experiments::ExperimentDefinition experiment;
    experiment.salt = "salt-1";
    for (qsizetype i = 0; i < shares.size(); ++i)
        experiment.variants.push_back(
            {QStringLiteral("v%1").arg(i), ModelRole::Collaborative, {}, {}, shares[i]});
    constexpr int kUsers = 10000;
    std::vector<int> counts(static_cast<std::size_t>(shares.size()), 0);
    int moved = 0;
    experiments::ExperimentDefinition resalted = experiment;
    resalted.salt = "salt-2";
    for (int user = 1; user <= kUsers; ++user) {
        const int variant = experiments::assignVariant(experiment, experiments::userUnit(user));
        QVERIFY(variant >= 0 && variant < shares.size());
        QCOMPARE(experiments::assignVariant(experiment, experiments::userUnit(user)),
                 variant);  // sticky
        ++counts[static_cast<std::size_t>(variant)];
        moved += experiments::assignVariant(resalted, experiments::userUnit(user)) != variant;
    }
    for (qsizetype i = 0; i < shares.size(); ++i) {
        // 4 standard deviations of a binomial share at n = 10,000 is at most 0.02.
        const double observed = counts[static_cast<std::size_t>(i)] / double(kUsers);
        QVERIFY2(
            std::fabs(observed - shares[i]) < 0.02,
            qPrintable(QStringLiteral("variant %1: %2 vs %3").arg(i).arg(observed).arg(shares[i])));
    }
    // A new salt reshuffles: about 1 - sum(share^2) of the users change variant.
    double stay = 0.0;
    for (const double share : shares) stay += share * share;
    QVERIFY2(std::fabs(moved / double(kUsers) - (1.0 - stay)) < 0.03,
             qPrintable(QString::number(moved)));
    // Sessions hash apart from users with the same number.
    int same = 0;
    for (int id = 1; id <= 1000; ++id)
        same += experiments::assignmentPoint("s", experiments::userUnit(id)) ==
                experiments::assignmentPoint("s", experiments::sessionUnit(QString::number(id)));
    QCOMPARE(same, 0);
}

void TestAbExperiments::definitionValidation_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addRow("one variant")
        << QByteArray(R"({"name":"x","variants":[{"name":"a","role":"session"}]})") << "variants";
    QTest::addRow("unknown role")
        << QByteArray(
               R"({"name":"x","variants":[{"name":"a","role":"ease"},{"name":"b","role":"session"}]})")
        << "variants[0].role";
    QTest::addRow("shares not 1")
        << QByteArray(
               R"({"name":"x","variants":[{"name":"a","role":"session","share":0.5},{"name":"b","role":"collaborative","share":0.6}]})")
        << "variants";
    QTest::addRow("duplicate variant")
        << QByteArray(
               R"({"name":"x","variants":[{"name":"a","role":"session"},{"name":"a","role":"collaborative"}]})")
        << "variants[1].name";
    QTest::addRow("bad name") << QByteArray(R"({"name":"a b","variants":[]})") << "name";
    QTest::addRow("bad route")
        << QByteArray(
               R"({"name":"x","routes":["/top"],"variants":[{"name":"a","role":"session"},{"name":"b","role":"collaborative"}]})")
        << "routes";
    QTest::addRow("unknown field") << QByteArray(R"({"name":"x","status":"running"})") << "status";
}

void TestAbExperiments::definitionValidation() {
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto result = experiments::definitionFromJson(QJsonDocument::fromJson(json).object());
    const auto* error = std::get_if<experiments::DefinitionError>(&result);
    QVERIFY(error);
    QCOMPARE(error->field, field);
    // The admin route answers the same problem with 422.
    const HttpReply reply =
        call("POST", "/admin/experiments", json, "Authorization: Bearer s3cret\r\n");
    QCOMPARE(reply.status, 422);
    QCOMPARE(reply.json().value("field").toString(), field);
}

// `animerec ab` and Studio's Experiments panel hold a catalogue only: defining, listing and
// reporting start no writer thread and reserve no exposure ids, and the serving runtime picks
// the new definition up on its next maintenance tick.
void TestAbExperiments::catalogueAloneStartsNoWriterAndReservesNoIds() {
    const QString nextId = "SELECT next_id FROM IdBlocks WHERE name = 'exposure'";
    const qint64 reserved = countRows(experiments_->database(), nextId);
    QVERIFY(reserved > 0);
    const int threads = threadCount();
    {
        experiments::ExperimentCatalogue catalogue(location_, nullptr);
        const QString error = catalogue.open();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
            catalogue.define(twoArms("catalogue_only"))));
        bool listed = false;
        for (const auto& experiment : catalogue.list())
            listed = listed || experiment.name == "catalogue_only";
        QVERIFY(listed);
        QVERIFY(
            std::holds_alternative<experiments::AbReport>(catalogue.report("catalogue_only", {})));
        QCOMPARE(threadCount(), threads);
    }
    QCOMPARE(countRows(experiments_->database(), nextId), reserved);
    experiments_->maintain();
    bool seen = false;
    for (const auto& experiment : *experiments_->catalogue().snapshot())
        seen = seen || experiment.name == "catalogue_only";
    QVERIFY(seen);
}

void TestAbExperiments::lifecycleStartPauseStop() {
    ExperimentRuntime& ab = *experiments_;
    experiments::ExperimentCatalogue& catalogue = ab.catalogue();
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.define(twoArms("life"))));
    const QString route = "/recommend_collaborative";
    QVERIFY(!ab.assign(route, 1, {}));  // draft: not serving
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.transition("life", "start")));
    const auto assigned = ab.assign(route, 1, {});
    QVERIFY(assigned);
    QCOMPARE(assigned->experiment, QString("life"));
    QVERIFY(!ab.assign(route, std::nullopt, {}));  // anonymous without a session id: not in it
    QVERIFY(ab.assign("/recommend_session_based", std::nullopt, "sess-1"));
    // A second experiment on the same routes cannot start while this one runs; a running one
    // cannot be redefined.
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.define(twoArms("other"))));
    QCOMPARE(std::get<experiments::ExperimentError>(catalogue.transition("other", "start")).kind,
             experiments::ErrorKind::Conflict);
    QCOMPARE(std::get<experiments::ExperimentError>(catalogue.define(twoArms("life", 0.3))).kind,
             experiments::ErrorKind::Conflict);

    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.transition("life", "pause")));
    QVERIFY(!ab.assign(route, 1, {}));
    QCOMPARE(std::get<experiments::ExperimentError>(catalogue.transition("life", "pause")).kind,
             experiments::ErrorKind::Conflict);
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.transition("life", "start")));
    QCOMPARE(ab.assign(route, 1, {})->variant, assigned->variant);  // sticky across a pause
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.transition("life", "stop")));
    QVERIFY(!ab.assign(route, 1, {}));
    QCOMPARE(std::get<experiments::ExperimentError>(catalogue.transition("life", "start")).kind,
             experiments::ErrorKind::Conflict);
    QCOMPARE(std::get<experiments::ExperimentError>(catalogue.transition("nope", "start")).kind,
             experiments::ErrorKind::NotFound);
    QVERIFY(std::holds_alternative<experiments::ExperimentDefinition>(
        catalogue.transition("other", "stop")));

    // Served by HTTP with no running experiment: no experiment in the body.
    const HttpReply plain = call("POST", "/recommend_collaborative", R"({"user_id": 1})");
    QCOMPARE(plain.status, 200);
    QVERIFY(!plain.json().contains("experiment"));
    // The definitions are in the database.
    experiments::ExperimentStore store(ab.database());
    const auto stored = store.find("life");
    QVERIFY(stored);
    QCOMPARE(stored->status, experiments::ExperimentStatus::Stopped);
    QVERIFY(stored->startedAtMs > 0 && stored->stoppedAtMs >= stored->startedAtMs);
}

void TestAbExperiments::adminRoutesNeedToken() {
    const QByteArray body = QJsonDocument(twoArms("token-test")).toJson(QJsonDocument::Compact);
    QCOMPARE(call("POST", "/admin/experiments", body).status, 401);
    QCOMPARE(call("POST", "/admin/experiments", body, "Authorization: Bearer wrong\r\n").status,
             401);
    QCOMPARE(call("POST", "/admin/experiments", body, "Authorization: Bearer s3cret\r\n").status,
             201);
    QCOMPARE(call("POST", "/admin/experiments/token-test/start", {}).status, 401);
    QCOMPARE(call("POST", "/admin/experiments/token-test/launch", {}, "X-Admin-Token: s3cret\r\n")
                 .status,
             404);
    QCOMPARE(
        call("POST", "/admin/experiments/token-test/stop", {}, "X-Admin-Token: s3cret\r\n").status,
        200);
    QCOMPARE(call("GET", "/admin/experiments").status, 405);
    const HttpReply list = call("GET", "/ab/experiments");
    QCOMPARE(list.status, 200);
    QVERIFY(!list.json().value("experiments").toArray().isEmpty());
    QVERIFY(!list.json().value("experiments").toArray().first().toObject().contains("salt"));
    const QJsonObject paths = call("GET", "/openapi.json").json().value("paths").toObject();
    for (const char* path : {"/feedback", "/ab/experiments", "/ab/{experiment}/report",
                             "/admin/experiments", "/admin/experiments/{experiment}/{action}"})
        QVERIFY2(paths.contains(path), path);
}

void TestAbExperiments::feedbackValidation_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::addRow("malformed JSON") << QByteArray(R"({"user_id": 1,)") << 400 << "body";
    QTest::addRow("unknown field")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"click","extra":1})") << 422
        << "extra";
    QTest::addRow("missing user") << QByteArray(R"({"anime_id":100,"event":"click"})") << 422
                                  << "user_id";
    QTest::addRow("string user") << QByteArray(R"({"user_id":"1","anime_id":100,"event":"click"})")
                                 << 422 << "user_id";
    QTest::addRow("unknown anime")
        << QByteArray(R"({"user_id":1,"anime_id":999,"event":"click"})") << 404 << "anime_id";
    QTest::addRow("unknown event")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"like"})") << 422 << "event";
    QTest::addRow("rate without value")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"rate"})") << 422 << "value";
    QTest::addRow("rating out of range")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"rate","value":11})") << 422
        << "value";
    QTest::addRow("value on click")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"click","value":3})") << 422
        << "value";
    QTest::addRow("value not a number")
        << QByteArray(R"({"user_id":1,"anime_id":100,"event":"rate","value":"9"})") << 422
        << "value";
    QTest::addRow("valid click") << QByteArray(R"({"user_id":1,"anime_id":100,"event":"click"})")
                                 << 202 << "";
    QTest::addRow("valid rating") << QByteArray(
                                         R"({"user_id":2,"anime_id":100,"event":"rate","value":9})")
                                  << 202 << "";
}

void TestAbExperiments::feedbackValidation() {
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    const HttpReply reply = call("POST", "/feedback", body);
    QCOMPARE(reply.status, status);
    if (status >= 400) {
        QCOMPARE(reply.json().value("field").toString(), field);
        QVERIFY(!reply.json().value("message").toString().isEmpty());
    } else {
        QCOMPARE(reply.json().value("accepted").toBool(), true);
    }
}

void TestAbExperiments::feedbackChangesRecommendationsAtOnce() {
    // NextItemSession ranks the item after the last one watched first. User 1's history ends
    // with item 4, so 105 leads; after watching 107 (item 7) the next answer must lead with 108.
    const QByteArray ask = R"({"user_id": 1, "top_n": 3})";
    QCOMPARE(call("POST", "/recommend_session_based", ask)
                 .json()
                 .value("items")
                 .toArray()
                 .first()
                 .toObject()
                 .value("anime_id")
                 .toInt(),
             105);
    QCOMPARE(call("POST", "/feedback", R"({"user_id":1,"anime_id":107,"event":"watch"})").status,
             202);
    const QJsonArray after =
        call("POST", "/recommend_session_based", ask).json().value("items").toArray();
    QCOMPARE(after.first().toObject().value("anime_id").toInt(), 108);
    for (const QJsonValue& item : after)
        QVERIFY(item.toObject().value("anime_id").toInt() != 107);  // now seen
    // A brand-new user's completed title is a history the models use at once.
    QVERIFY(QSqlQuery(experiments_->database().connection())
                .exec(QStringLiteral("UPDATE Anime SET episodes = 14 WHERE anime_id = 102")));
    QCOMPARE(
        call("POST", "/feedback", R"({"user_id":4242,"anime_id":102,"event":"complete"})").status,
        202);
    const QJsonObject fresh =
        call("POST", "/recommend_session_based", R"({"user_id":4242})").json();
    QCOMPARE(fresh.value("items").toArray().first().toObject().value("anime_id").toInt(), 103);
    // ... and rows in the user's history in the database.
    QVERIFY2(experiments_->flush(), qPrintable(experiments_->writerStats().lastError));
    QCOMPARE(countRows(experiments_->database(),
                       "SELECT count(*) FROM UserAnimeInteractions WHERE user_id = 4242 AND "
                       "anime_id = 102 AND status = 2 AND watched_episodes = 14"),
             1);
    // Watching says nothing of how far: no episode count (storage/user_history.h).
    QCOMPARE(countRows(experiments_->database(),
                       "SELECT count(*) FROM UserAnimeInteractions WHERE user_id = 1 AND "
                       "anime_id = 107 AND status = 1 AND watched_episodes IS NULL"),
             1);
    QCOMPARE(countRows(experiments_->database(), "SELECT count(*) FROM Users WHERE user_id = 4242"),
             1);
}

void TestAbExperiments::exposuresAndFeedbackSurviveConcurrentLoad() {
    const QByteArray admin = "Authorization: Bearer s3cret\r\n";
    QCOMPARE(call("POST", "/admin/experiments",
                  QJsonDocument(twoArms("load")).toJson(QJsonDocument::Compact), admin)
                 .status,
             201);
    QCOMPARE(call("POST", "/admin/experiments/load/start", {}, admin).status, 200);
    // Every answer names the experiment and the user's variant.
    const QJsonObject one = call("POST", "/recommend_collaborative", R"({"user_id": 3})").json();
    QCOMPARE(one.value("experiment").toObject().value("name").toString(), QString("load"));
    const QString variant = one.value("experiment").toObject().value("variant").toString();
    QCOMPARE(variant == "session" ? one.value("model").toString() : QString("fixed"),
             one.value("model").toString());
    experiments::ExperimentStore store(experiments_->database());
    QVERIFY2(experiments_->flush(), qPrintable(experiments_->writerStats().lastError));
    const qint64 exposuresBefore = store.exposureCount();
    const qint64 feedbackBefore = store.feedbackCount();

    constexpr int kRounds = 4, kPerRound = 150;
    qint64 served = 0, accepted = 0;
    for (int round = 0; round < kRounds; ++round) {
        std::vector<QByteArray> requests;
        for (int i = 0; i < kPerRound; ++i) {
            const int user = 1 + (round * kPerRound + i) % 5000;
            if (i % 3 == 2)
                requests.push_back(post(
                    "/feedback", QStringLiteral(R"({"user_id":%1,"anime_id":%2,"event":"click"})")
                                     .arg(user)
                                     .arg(100 + i % 12)
                                     .toUtf8()));
            else if (i % 3 == 1)
                requests.push_back(
                    post("/recommend_session_based",
                         QStringLiteral(R"({"history":[100,101],"session_id":"s%1"})")
                             .arg(user)
                             .toUtf8()));
            else
                requests.push_back(post("/recommend_collaborative",
                                        QStringLiteral(R"({"user_id":%1})").arg(user).toUtf8()));
        }
        const std::vector<int> statuses = sendConcurrently(port_, requests);
        for (std::size_t i = 0; i < statuses.size(); ++i) {
            QVERIFY2(statuses[i] == 200 || statuses[i] == 202,
                     qPrintable(QString::number(statuses[i])));
            (statuses[i] == 202 ? accepted : served) += 1;
        }
    }
    QCOMPARE(served + accepted, qint64(kRounds * kPerRound));
    QVERIFY2(experiments_->flush(), qPrintable(experiments_->writerStats().lastError));
    QCOMPARE(store.exposureCount() - exposuresBefore, served);
    QCOMPARE(store.feedbackCount() - feedbackBefore, accepted);
    const auto stats = experiments_->writerStats();
    QVERIFY2(stats.transactions * 5 < served + accepted,
             qPrintable(QStringLiteral("%1 transactions for %2 rows")
                            .arg(stats.transactions)
                            .arg(served + accepted)));
    qInfo("load: %lld exposures + %lld feedback rows in %lld transactions", served, accepted,
          static_cast<long long>(stats.transactions));

    // The report route sees all of them, split between the two variants.
    const HttpReply report = call("GET", "/ab/load/report?k=5");
    QCOMPARE(report.status, 200);
    qint64 reported = 0;
    for (const QJsonValue& v : report.json().value("variants").toArray())
        reported += v.toObject().value("exposures").toInteger();
    QCOMPARE(reported, served + 1);
    QCOMPARE(report.json().value("k").toInt(), 5);
    QVERIFY(!report.json().value("timeline").toObject().value("series").toArray().isEmpty());
    QCOMPARE(call("GET", "/ab/missing/report").status, 404);
    QCOMPARE(call("GET", "/ab/load/report?k=0").status, 422);
    QCOMPARE(call("POST", "/admin/experiments/load/stop", {}, admin).status, 200);
}

QTEST_MAIN(TestAbExperiments)
#include "test_ab_experiments.moc"

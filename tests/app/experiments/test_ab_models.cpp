// A/B variants that name a model and version: the registry holds every family of a role, an
// experiment of ALS against EASE serves each user exactly their variant's model (over real
// sockets, under concurrent load, never from the response cache), a version mismatch refuses to
// start or answers 503, anonymous sessions' feedback is attributed, and lists served outside an
// experiment are logged at the sampled share.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <istream>
#include <map>

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

constexpr int kItems = 12;
constexpr int kUsers = 60;

// 12 anime; users 1..60 each watched six of them, so every user gets a personal answer.
std::shared_ptr<Dataset> makeUsers() {
    auto data = std::make_shared<Dataset>();
    for (int i = 0; i < kItems; ++i) {
        AnimeRecord record;
        record.animeId = 100 + i;
        record.title = "Anime " + std::to_string(i);
        record.genres = splitGenres("Action");
        record.type = "TV";
        data->catalog.add(record);
    }
    Interactions::Builder builder(kItems);
    std::int64_t order = 0;
    for (int user = 1; user <= kUsers; ++user)
        for (int k = 0; k < 6; ++k) {
            Event event;
            event.item = (user + k * 2) % kItems;
            event.order = order++;
            builder.add(user, event);
        }
    data->interactions = std::move(builder).build();
    return data;
}

// A collaborative stand-in named like a real family; `rising` decides the order of its answers,
// so the two families recommend different lists.
class Named final : public Recommender {
public:
    Named(std::string name, bool rising) : name_(std::move(name)), rising_(rising) {}
    std::string name() const override { return name_; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery&, std::span<float> scores) const override {
        for (std::size_t i = 0; i < scores.size(); ++i)
            scores[i] = rising_ ? static_cast<float>(i) : -static_cast<float>(i);
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}

private:
    std::string name_;
    bool rising_;
};

QByteArray post(const QByteArray& path, const QByteArray& body) {
    return "POST " + path +
           " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Sends every request on its own connection at once; the bodies of the answers, in order.
std::vector<HttpReply> sendConcurrently(quint16 port, const std::vector<QByteArray>& requests) {
    std::vector<HttpReply> replies(requests.size());
    std::vector<QByteArray> received(requests.size());
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
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
            if (end < 0 || replies[i].complete) return;
            HttpReply& reply = replies[i];
            reply.head = received[i].left(end);
            if (received[i].size() - (end + 4) < reply.header("Content-Length").toLongLong())
                return;
            reply.body = received[i].mid(end + 4);
            reply.status = reply.head.mid(reply.head.indexOf(' ') + 1, 3).toInt();
            reply.complete = true;
            if (++finished == requests.size()) loop.quit();
        });
        raw->connectToHost(QHostAddress::LocalHost, port);
        sockets.push_back(std::move(socket));
    }
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (finished < requests.size()) loop.exec();
    return replies;
}

qint64 countRows(storage::Database& database, const QString& sql) {
    QSqlQuery query(database.connection());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

const QByteArray kAdmin = "Authorization: Bearer s3cret\r\n";

}  // namespace

class TestAbModels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void registryLoadsEveryFamily();
    void definitionNamesModel_data();
    void definitionNamesModel();
    void alsVsEaseServesEachUserTheirModel();
    void versionMismatch();
    void anonymousFeedbackIsAttributed();
    void defaultListsAreSampled();

private:
    HttpReply call(const QByteArray& method, const QByteArray& path, const QByteArray& body = {},
                   const QByteArray& headers = {}) {
        return request(port_, method, path, body, headers);
    }
    void define(const QJsonObject& definition) {
        const HttpReply reply =
            call("POST", "/admin/experiments",
                 QJsonDocument(definition).toJson(QJsonDocument::Compact), kAdmin);
        QVERIFY2(reply.status == 201, reply.body.constData());
    }

    QTemporaryDir dir_;
    testing::StorageTestBackend backend_;  // SQLite, or PostgreSQL under the `postgres` fixture
    std::shared_ptr<Dataset> data_;
    std::unique_ptr<service::ModelRegistry> registry_;
    std::unique_ptr<service::RecommendService> service_;
    std::unique_ptr<ExperimentRuntime> experiments_;
    std::unique_ptr<service::MetricsRegistry> metrics_;
    std::unique_ptr<service::RequestLog> log_;
    std::unique_ptr<http::ApiServer> server_;
    quint16 port_ = 0;
};

void TestAbModels::initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = makeUsers();
    registry_ = std::make_unique<service::ModelRegistry>();
    registry_->install(ModelRole::Collaborative, std::make_shared<Named>("ease", true), "ease-v1");
    registry_->install(ModelRole::Collaborative, std::make_shared<Named>("als", false), "als-v1",
                       false);
    registry_->install(ModelRole::Session, std::make_shared<NextItemSession>(), "next-v1");
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
    QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
    qInfo("backend: %s", qPrintable(backend_.name()));
    experiments_ = std::make_unique<ExperimentRuntime>(
        backend_.freshLocation(dir_, "ab_models.sqlite"), data_);
    const QString error = experiments_->open();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString stored = testing::StorageTestBackend::storeCatalogIds(
        experiments_->database().connection(), data_->catalog);
    QVERIFY2(stored.isEmpty(), qPrintable(stored));
    experiments_->setDefaultExposureSample(0.0);
    service_->setRecentHistory(experiments_->recentHistory());
    metrics_ = std::make_unique<service::MetricsRegistry>();
    log_ = std::make_unique<service::RequestLog>(
        service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    http::ApiOptions options;
    options.adminToken = "s3cret";
    options.experiments = experiments_.get();
    options.cacheBytes = 4 << 20;  // experiment answers must still be logged every time
    server_ = std::make_unique<http::ApiServer>(*service_, *metrics_, *log_, nullptr, options);
    port_ = server_->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port_ != 0);
}

void TestAbModels::cleanupTestCase() {
    server_.reset();
    experiments_.reset();
}

void TestAbModels::registryLoadsEveryFamily() {
    // Files hold their family's name; the loader builds a stand-in of that name.
    QTemporaryDir models;
    const auto write = [&](const QString& file, const QByteArray& content) {
        QFile out(models.filePath(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(content);
    };
    write("ease.model", "ease");
    write("als.model", "als");
    write("mf.model", "broken");
    write("sasrec.model", "sasrec");
    write("gru.model", "gru");
    write("collaborative.json", R"({"model": "als"})");
    service::ModelRegistry registry([](const std::string& path) -> std::unique_ptr<Recommender> {
        QFile file(QString::fromStdString(path));
        if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot open");
        const std::string family = file.readAll().toStdString();
        if (family == "broken") throw std::runtime_error("bad magic");
        return std::make_unique<Named>(family, true);
    });
    const service::ReloadReport report = registry.loadDirectory(models.path());
    QCOMPARE(report.failed.size(), 1);
    QVERIFY(report.failed.first().contains("mf.model"));
    QCOMPARE(registry.get(ModelRole::Collaborative)->family, QString("als"));  // chosen default
    QCOMPARE(registry.get(ModelRole::Collaborative, "ease")->family, QString("ease"));
    QVERIFY(!registry.get(ModelRole::Collaborative, "mf"));
    QCOMPARE(registry.all(ModelRole::Collaborative).size(), std::size_t(2));
    QCOMPARE(registry.get(ModelRole::Session)->family, QString("sasrec"));
    QCOMPARE(registry.get(ModelRole::Session, "gru")->family, QString("gru"));
    // Another preference moves the default without losing the other family.
    const quint64 before = registry.generation();
    write("collaborative.json", R"({"model": "ease"})");
    QVERIFY(registry.loadDirectory(models.path()).failed.size() == 1);
    QCOMPARE(registry.get(ModelRole::Collaborative)->family, QString("ease"));
    QVERIFY(registry.get(ModelRole::Collaborative, "als"));
    QVERIFY(registry.generation() > before);
}

void TestAbModels::definitionNamesModel_data() {
    QTest::addColumn<QByteArray>("variant");
    QTest::addColumn<QString>("field");  // empty: valid
    QTest::addColumn<QString>("role");
    QTest::addRow("family implies role") << QByteArray(R"({"name":"a","model":"gru"})") << ""
                                         << "session";
    QTest::addRow("family and version")
        << QByteArray(R"({"name":"a","model":"als","model_version":"v1"})") << ""
        << "collaborative";
    QTest::addRow("custom family with role")
        << QByteArray(R"({"name":"a","model":"fixed","role":"collaborative"})") << ""
        << "collaborative";
    QTest::addRow("custom family without role")
        << QByteArray(R"({"name":"a","model":"fixed"})") << "variants[0].role"
        << "";
    QTest::addRow("family of another role")
        << QByteArray(R"({"name":"a","model":"ease","role":"session"})") << "variants[0].model"
        << "";
    QTest::addRow("version without model")
        << QByteArray(R"({"name":"a","role":"session","model_version":"v1"})")
        << "variants[0].model_version"
        << "";
    QTest::addRow("bad family") << QByteArray(R"({"name":"a","model":"../x"})")
                                << "variants[0].model"
                                << "";
    QTest::addRow("unknown variant field")
        << QByteArray(R"({"name":"a","model":"als","version":"v1"})") << "variants[0].version"
        << "";
}

void TestAbModels::definitionNamesModel() {
    QFETCH(QByteArray, variant);
    QFETCH(QString, field);
    QFETCH(QString, role);
    const QJsonObject json{
        {"name", "x"},
        {"variants", QJsonArray{QJsonDocument::fromJson(variant).object(),
                                QJsonObject{{"name", "b"}, {"role", "session"}}}}};
    const auto result = experiments::definitionFromJson(json);
    if (field.isEmpty()) {
        const auto* definition = std::get_if<experiments::ExperimentDefinition>(&result);
        QVERIFY(definition);
        QCOMPARE(service::roleName(definition->variants[0].role), role);
        // The model survives the round trip through the stored JSON.
        QCOMPARE(definition->toJson()
                     .value("variants")
                     .toArray()[0]
                     .toObject()
                     .value("model")
                     .toString(),
                 QJsonDocument::fromJson(variant).object().value("model").toString());
    } else {
        const auto* error = std::get_if<experiments::DefinitionError>(&result);
        QVERIFY(error);
        QCOMPARE(error->field, field);
    }
}

void TestAbModels::alsVsEaseServesEachUserTheirModel() {
    define({{"name", "als-vs-ease"},
            {"routes", QJsonArray{"/recommend_collaborative"}},
            {"variants",
             QJsonArray{
                 QJsonObject{{"name", "als"}, {"model", "als"}},
                 QJsonObject{{"name", "ease"}, {"model", "ease"}, {"model_version", "ease-v1"}}}}});
    QCOMPARE(call("POST", "/admin/experiments/als-vs-ease/start", {}, kAdmin).status, 200);
    experiments::ExperimentDefinition local;
    local.salt = "als-vs-ease";
    local.variants = {{"als", ModelRole::Collaborative, "als", {}, 0.5},
                      {"ease", ModelRole::Collaborative, "ease", "ease-v1", 0.5}};
    QVERIFY(experiments_->flush());
    experiments::ExperimentStore store(experiments_->database());
    const qint64 before = store.exposureCount();

    // Each user asks three times at once (the cache must not swallow any of them).
    std::vector<QByteArray> requests;
    for (int round = 0; round < 3; ++round)
        for (int user = 1; user <= kUsers; ++user)
            requests.push_back(
                post("/recommend_collaborative",
                     QStringLiteral(R"({"user_id":%1,"top_n":3})").arg(user).toUtf8()));
    const std::vector<HttpReply> replies = sendConcurrently(port_, requests);
    std::map<QString, int> perVariant;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        QCOMPARE(replies[i].status, 200);
        const int user = 1 + static_cast<int>(i) % kUsers;
        const QJsonObject json = replies[i].json();
        const QString expected = local
                                     .variants[static_cast<std::size_t>(experiments::assignVariant(
                                         local, experiments::userUnit(user)))]
                                     .name;
        QCOMPARE(json.value("experiment").toObject().value("variant").toString(), expected);
        QCOMPARE(json.value("model").toString(), expected);  // variant names equal model names
        QCOMPARE(json.value("model_version").toString(), expected + "-v1");
        // als ranks low indices first, ease high ones: the list itself comes from that model.
        const int first =
            json.value("items").toArray().first().toObject().value("anime_id").toInt();
        QVERIFY2(expected == "als" ? first < 106 : first >= 106,
                 qPrintable(QString::number(first)));
        ++perVariant[expected];
    }
    QVERIFY(perVariant["als"] > 0 && perVariant["ease"] > 0);
    QVERIFY(experiments_->flush());
    QCOMPARE(store.exposureCount() - before, qint64(replies.size()));
    QCOMPARE(countRows(experiments_->database(),
                       "SELECT count(*) FROM Exposures WHERE variant <> model"),
             0);
    // The report names the model behind each variant.
    const QJsonArray variants =
        call("GET", "/ab/als-vs-ease/report").json().value("variants").toArray();
    QCOMPARE(variants.size(), 2);
    for (const QJsonValue& v : variants)
        QCOMPARE(v.toObject().value("models").toArray().first().toString(),
                 v.toObject().value("name").toString() + ' ' +
                     v.toObject().value("name").toString() + "-v1");
    QCOMPARE(call("POST", "/admin/experiments/als-vs-ease/stop", {}, kAdmin).status, 200);
}

void TestAbModels::versionMismatch() {
    // Refused at start: a version the server does not have, a family it has not loaded.
    define({{"name", "old-ease"},
            {"variants",
             QJsonArray{
                 QJsonObject{{"name", "a"}, {"model", "als"}},
                 QJsonObject{{"name", "b"}, {"model", "ease"}, {"model_version", "ease-v0"}}}}});
    HttpReply start = call("POST", "/admin/experiments/old-ease/start", {}, kAdmin);
    QCOMPARE(start.status, 409);
    QCOMPARE(start.json().value("field").toString(), QString("model_version"));
    QVERIFY(start.json().value("message").toString().contains("ease-v1"));
    define({{"name", "no-mf"},
            {"variants", QJsonArray{QJsonObject{{"name", "a"}, {"model", "als"}},
                                    QJsonObject{{"name", "b"}, {"model", "mf"}}}}});
    start = call("POST", "/admin/experiments/no-mf/start", {}, kAdmin);
    QCOMPARE(start.status, 409);
    QCOMPARE(start.json().value("field").toString(), QString("model"));

    // Started with the right version; a reload brings another: the pinned variant answers 503
    // (and logs nothing) instead of serving the new model, the other variant keeps serving.
    define({{"name", "pinned"},
            {"routes", QJsonArray{"/recommend_collaborative"}},
            {"variants",
             QJsonArray{
                 QJsonObject{{"name", "a"}, {"model", "als"}},
                 QJsonObject{{"name", "b"}, {"model", "ease"}, {"model_version", "ease-v1"}}}}});
    QCOMPARE(call("POST", "/admin/experiments/pinned/start", {}, kAdmin).status, 200);
    registry_->install(ModelRole::Collaborative, std::make_shared<Named>("ease", true), "ease-v2");
    QVERIFY(experiments_->flush());
    experiments::ExperimentStore store(experiments_->database());
    const qint64 before = store.exposureCount();
    int refused = 0, served = 0;
    for (int user = 1; user <= 20; ++user) {
        const HttpReply reply = call("POST", "/recommend_collaborative",
                                     QStringLiteral(R"({"user_id":%1})").arg(user).toUtf8());
        const auto assigned = experiments_->assign("/recommend_collaborative", user, {});
        QVERIFY(assigned);
        if (assigned->variant == "b") {
            QCOMPARE(reply.status, 503);
            QCOMPARE(reply.json().value("field").toString(), QString("model_version"));
            QVERIFY(reply.json().value("message").toString().contains("ease-v2"));
            ++refused;
        } else {
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.json().value("model").toString(), QString("als"));
            ++served;
        }
    }
    QVERIFY(refused > 0 && served > 0);
    QVERIFY(experiments_->flush());
    QCOMPARE(store.exposureCount() - before, qint64(served));
    QCOMPARE(call("POST", "/admin/experiments/pinned/stop", {}, kAdmin).status, 200);
    registry_->install(ModelRole::Collaborative, std::make_shared<Named>("ease", true), "ease-v1");
}

void TestAbModels::anonymousFeedbackIsAttributed() {
    define({{"name", "anon"},
            {"routes", QJsonArray{"/recommend_session_based"}},
            {"variants", QJsonArray{QJsonObject{{"name", "next"}, {"role", "session"}},
                                    QJsonObject{{"name", "collab"}, {"model", "ease"}}}}});
    QCOMPARE(call("POST", "/admin/experiments/anon/start", {}, kAdmin).status, 200);
    int attributed = 0;
    for (int s = 0; s < 6; ++s) {
        const QByteArray session = "anon-" + QByteArray::number(s);
        const HttpReply list =
            call("POST", "/recommend_session_based",
                 R"({"history":[100,101],"top_n":3,"session_id":")" + session + "\"}");
        QCOMPARE(list.status, 200);
        const QString variant =
            list.json().value("experiment").toObject().value("variant").toString();
        const int second =
            list.json().value("items").toArray()[1].toObject().value("anime_id").toInt();
        const HttpReply feedback = call("POST", "/feedback",
                                        R"({"session_id":")" + session + R"(","anime_id":)" +
                                            QByteArray::number(second) + R"(,"event":"click"})");
        QCOMPARE(feedback.status, 202);
        const QJsonObject receipt = feedback.json().value("attributed").toObject();
        QCOMPARE(receipt.value("experiment").toString(), QString("anon"));
        QCOMPARE(receipt.value("variant").toString(), variant);
        QCOMPARE(receipt.value("position").toInt(), 2);
        QCOMPARE(feedback.json().value("added_to_history").toBool(), false);
        ++attributed;
    }
    // Another session's click on the same title is not attributed to these lists.
    const HttpReply stranger = call(
        "POST", "/feedback", R"({"session_id":"someone-else","anime_id":102,"event":"click"})");
    QCOMPARE(stranger.status, 202);
    QVERIFY(stranger.json().value("attributed").isNull());
    QCOMPARE(call("POST", "/feedback",
                  R"({"session_id":"x","user_id":1,"anime_id":102,"event":"click"})")
                 .status,
             422);
    QCOMPARE(
        call("POST", "/feedback", R"({"session_id":"","anime_id":102,"event":"click"})").status,
        422);

    const QJsonObject report = call("GET", "/ab/anon/report").json();
    qint64 clicked = 0;
    for (const QJsonValue& v : report.value("variants").toArray())
        clicked += v.toObject().value("clicked").toInteger();
    QCOMPARE(clicked, qint64(attributed));
    QCOMPARE(countRows(
                 experiments_->database(),
                 "SELECT count(*) FROM Feedback WHERE session_id LIKE 'anon-%' AND user_id IS NULL "
                 "AND position = 2"),
             qint64(attributed));
    QCOMPARE(call("POST", "/admin/experiments/anon/stop", {}, kAdmin).status, 200);
}

void TestAbModels::defaultListsAreSampled() {
    // No experiment runs: one list in four is logged as variant "default", the same user's
    // repeated (cached) request included.
    experiments_->setDefaultExposureSample(0.25);
    QVERIFY(experiments_->flush());
    const QString countDefault =
        "SELECT count(*) FROM Exposures WHERE experiment_id = 0 AND variant = 'default'";
    const qint64 before = countRows(experiments_->database(), countDefault);
    for (int i = 0; i < 40; ++i)
        QCOMPARE(call("POST", "/recommend_collaborative", R"({"user_id":7,"top_n":3})").status,
                 200);
    QVERIFY(experiments_->flush());
    QCOMPARE(countRows(experiments_->database(), countDefault) - before, 10);
    // A click on a sampled list is attributed to it, with no experiment name.
    experiments_->setDefaultExposureSample(1.0);
    const HttpReply list = call("POST", "/recommend_collaborative", R"({"user_id":8,"top_n":3})");
    experiments_->setDefaultExposureSample(0.0);
    QCOMPARE(list.status, 200);
    QVERIFY(!list.json().contains("experiment"));
    const int first =
        list.json().value("items").toArray().first().toObject().value("anime_id").toInt();
    const HttpReply click =
        call("POST", "/feedback",
             R"({"user_id":8,"event":"click","anime_id":)" + QByteArray::number(first) + '}');
    QCOMPARE(click.status, 202);
    const QJsonObject receipt = click.json().value("attributed").toObject();
    QCOMPARE(receipt.value("variant").toString(), QString("default"));
    QVERIFY(receipt.value("experiment").isNull());
    QCOMPARE(receipt.value("position").toInt(), 1);
}

QTEST_MAIN(TestAbModels)
#include "test_ab_models.moc"

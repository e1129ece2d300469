// The HTTP routes end to end: a real QHttpServer on an ephemeral loopback port, spoken to over
// real sockets, serving real popularity/content models and test-only personal models; every
// answer is compared with the model behind it.
#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <sstream>

#include "data/csv_dataset.h"
#include "http/route_table.h"
#include "served_test_service.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestHttpRoutes : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        const QString failure = served_.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    void healthReadyAndOpenApi();
    void topIsThePopularityRanking();
    void topHonoursTopN();
    void coldStartTakesFavouriteGenres();
    void contentBasedMatchesTheModel();
    void collaborativeExcludesSeenItems();
    void unknownUserGetsColdStart();
    void sessionByUserAndByHistory();
    void precomputedNeighboursMatchTheDirectScan();

private:
    ServedTestService served_;
};

void TestHttpRoutes::healthReadyAndOpenApi() {
    const HttpReply health = served_.get("/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value("status").toString(), QString("ok"));

    const HttpReply ready = served_.get("/ready");
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

    const HttpReply spec = served_.get("/openapi.json");
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

    const HttpReply anime = served_.get("/anime/103");
    QCOMPARE(anime.status, 200);
    QCOMPARE(anime.json().value("title").toString(), QString("Anime 3"));
    QCOMPARE(anime.json().value("genre").toString(), QString("Action, Shounen"));
}

void TestHttpRoutes::topIsThePopularityRanking() {
    const HttpReply reply = served_.get("/top");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("popularity"));
    QCOMPARE(body.value("model_version").toString(), QString("pop-v1"));
    const std::vector<ScoredItem> expected = served_.popularity->top(12);
    const QJsonArray items = body.value("items").toArray();
    QCOMPARE(items.size(), qsizetype(12));  // the whole (small) catalogue, capped at 100
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        QCOMPARE(item.value("anime_id").toInteger(),
                 served_.data->catalog.idAt(expected[static_cast<std::size_t>(i)].item));
        QCOMPARE(item.value("rank").toInt(), int(i) + 1);
        QVERIFY(item.contains("title") && item.contains("genre") && item.contains("type") &&
                item.contains("score"));
    }
    // Item 0 is in every history, so it must lead.
    QCOMPARE(items.at(0).toObject().value("anime_id").toInteger(), qint64(100));
}

void TestHttpRoutes::topHonoursTopN() {
    const QList<qint64> whole = replyIds(served_.get("/top").json());
    const HttpReply three = served_.get("/top?top_n=3");
    QCOMPARE(three.status, 200);
    QCOMPARE(replyIds(three.json()), whole.mid(0, 3));
    QCOMPARE(three.json().value("items").toArray().at(2).toObject().value("rank").toInt(), 3);
    // Bad values get the same 422 as the POST routes, naming the parameter.
    for (const QByteArray path :
         {"/top?top_n=0", "/top?top_n=101", "/top?top_n=abc", "/top?top_n=2.5"}) {
        const HttpReply bad = served_.get(path);
        QVERIFY2(bad.status == 422, path.constData());
        QCOMPARE(bad.json().value("field").toString(), QString("top_n"));
    }
    const HttpReply unknown = served_.get("/top?limit=3");
    QCOMPARE(unknown.status, 422);
    QCOMPARE(unknown.json().value("field").toString(), QString("limit"));
}

void TestHttpRoutes::coldStartTakesFavouriteGenres() {
    // Unknown user, favourite genre "comedy" (any case): the popular titles of that genre only.
    const HttpReply collaborative = served_.post(
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
    const HttpReply session = served_.post("/recommend_session_based",
                                           R"({"history": [], "genres": ["Drama"], "top_n": 2})");
    QCOMPARE(session.status, 200);
    QVERIFY(session.json().value("strategy").toString().startsWith("cold_start:popular_in_genres"));
    for (const QJsonValue& item : session.json().value("items").toArray())
        QVERIFY(item.toObject().value("genre").toString().contains("Drama"));
    // A known user with a history keeps the personal answer: genres only steer cold start.
    const HttpReply known =
        served_.post("/recommend_collaborative", R"({"user_id": 1, "genres": ["Comedy"]})");
    QCOMPARE(known.json().value("strategy").toString(), QString("collaborative"));
    // A genre the catalogue lacks, or a wrong type, is named.
    const HttpReply unknown = served_.post(
        "/recommend_collaborative", R"({"user_id": 987000, "genres": ["Comedy", "Isekai"]})");
    QCOMPARE(unknown.status, 422);
    QCOMPARE(unknown.json().value("field").toString(), QString("genres[1]"));
    const HttpReply notArray =
        served_.post("/recommend_session_based", R"({"user_id": 987000, "genres": "Comedy"})");
    QCOMPARE(notArray.status, 422);
    QCOMPARE(notArray.json().value("field").toString(), QString("genres"));
}

void TestHttpRoutes::contentBasedMatchesTheModel() {
    const HttpReply reply =
        served_.post("/recommend_content_based", R"({"anime_id": 104, "top_n": 3})");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("content"));
    QCOMPARE(body.value("strategy").toString(), QString("content_similarity"));
    QList<qint64> expected;
    for (const ScoredItem& item : served_.content->similarItems(4, 3))
        expected << served_.data->catalog.idAt(item.item);
    QCOMPARE(replyIds(body), expected);
    QVERIFY(!replyIds(body).contains(104));
    // Same genre group (index % 3 == 1) ranks first.
    QCOMPARE((replyIds(body).first() - 100) % 3, qint64(1));

    const HttpReply defaults = served_.post("/recommend_content_based", R"({"anime_id": 104})");
    QCOMPARE(replyIds(defaults.json()).size(), qsizetype(10));
}

void TestHttpRoutes::collaborativeExcludesSeenItems() {
    const HttpReply reply =
        served_.post("/recommend_collaborative", R"({"user_id": 1, "top_n": 4})");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("model").toString(), QString("fixed"));
    QCOMPARE(body.value("model_version").toString(), QString("fixed-v1"));
    QCOMPARE(body.value("strategy").toString(), QString("collaborative"));
    // User 1 saw items {0,3,6,9,1,4}; the fixed model prefers high indices.
    QCOMPARE(replyIds(body), (QList<qint64>{111, 110, 108, 107}));
}

void TestHttpRoutes::unknownUserGetsColdStart() {
    for (const QByteArray path : {"/recommend_collaborative", "/recommend_session_based"}) {
        const HttpReply reply = served_.post(path, R"({"user_id": 987654, "top_n": 5})");
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json();
        QVERIFY2(body.value("strategy").toString().startsWith("cold_start:popular"),
                 qPrintable(body.value("strategy").toString()));
        QVERIFY(body.value("strategy").toString().contains("unknown user"));
        QCOMPARE(body.value("model").toString(), QString("popularity"));
        QCOMPARE(replyIds(body).first(), qint64(100));
    }
    // A known user with a short history gets content from that history, not the personal model.
    const HttpReply shortHistory = served_.post("/recommend_collaborative", R"({"user_id": 5})");
    QCOMPARE(shortHistory.json().value("model").toString(), QString("content"));
    QVERIFY(shortHistory.json()
                .value("strategy")
                .toString()
                .startsWith("cold_start:content_from_history"));
    QVERIFY(!replyIds(shortHistory.json()).contains(100) &&
            !replyIds(shortHistory.json()).contains(103));
}

void TestHttpRoutes::sessionByUserAndByHistory() {
    // User 4 ended on item 6: the next-item model puts 7 first.
    const HttpReply byUser =
        served_.post("/recommend_session_based", R"({"user_id": 4, "top_n": 3})");
    QCOMPARE(byUser.status, 200);
    QCOMPARE(byUser.json().value("model").toString(), QString("next_item"));
    QCOMPARE(byUser.json().value("strategy").toString(), QString("session"));
    QCOMPARE(replyIds(byUser.json()).first(), qint64(107));

    const HttpReply anonymous = served_.post(
        "/recommend_session_based", R"({"history": [100, 101, 102, 103, 108], "top_n": 3})");
    QCOMPARE(anonymous.status, 200);
    QCOMPARE(replyIds(anonymous.json()), (QList<qint64>{109, 104, 105}));

    const HttpReply empty = served_.post("/recommend_session_based", R"({"history": []})");
    QCOMPARE(empty.status, 200);
    QVERIFY(empty.json().value("strategy").toString().contains("empty history"));
}

// On the real 12,294-anime catalogue the content model answers from its precomputed top-100
// table; the lists must be exactly those of a scan over every item, over HTTP and after a reload.
void TestHttpRoutes::precomputedNeighboursMatchTheDirectScan() {
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
    BareServer server(data, registry);
    const quint16 port = server.listen();
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
            QCOMPARE(replyIds(reply.json()), expected);
        }
}

QTEST_GUILESS_MAIN(TestHttpRoutes)
#include "test_http_routes.moc"

// Bad requests to the HTTP service: each gets a JSON error naming the status and the field at
// fault, and the server keeps serving, also after bytes that are not HTTP or a request cut short.
#include <QTcpSocket>
#include <QTest>

#include "served_test_service.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

class TestHttpBadInput : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        const QString failure = served_.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    void badInputIsRefused_data();
    void badInputIsRefused();
    void malformedHttpDoesNotHurtTheServer();

private:
    ServedTestService served_;
};

void TestHttpBadInput::badInputIsRefused_data() {
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

void TestHttpBadInput::badInputIsRefused() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    const HttpReply reply = request(served_.port, method, path, body);
    QVERIFY2(reply.complete, "no complete response");
    QCOMPARE(reply.status, status);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject error = reply.json();
    QCOMPARE(error.value("status").toInt(), status);
    QCOMPARE(error.value("field").toString(), field);
    QVERIFY(!error.value("message").toString().isEmpty());
    if (status == 405) QVERIFY(!reply.header("Allow").isEmpty());
    QCOMPARE(served_.get("/health").status, 200);  // still serving
}

void TestHttpBadInput::malformedHttpDoesNotHurtTheServer() {
    const HttpReply garbage = sendRaw(served_.port, "THIS IS NOT HTTP\r\n\r\n", 2000);
    QVERIFY(garbage.status == 0 || garbage.status == 400);
    {
        // A client that sends half a request and vanishes.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, served_.port);
        QVERIFY(socket.waitForConnected(2000));
        socket.write("POST /recommend_collaborative HTTP/1.1\r\nContent-Length: 500\r\n\r\n{\"us");
        socket.flush();
        QTest::qWait(50);
    }
    QCOMPARE(served_.get("/health").status, 200);
}

QTEST_GUILESS_MAIN(TestHttpBadInput)
#include "test_http_bad_input.moc"

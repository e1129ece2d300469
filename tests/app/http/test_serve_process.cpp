// End to end: the real `animerec` executable imports a small generated dataset, trains, serves
// on a free port, and answers every route over a socket; SIGHUP reloads, SIGTERM stops cleanly.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <limits>

#include "models/model_factory.h"

namespace {

struct Reply {
    int status = 0;
    QJsonDocument body;
    QByteArray raw;
};

}  // namespace

class TestServeProcess : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QFileInfo(ANIMEREC_BIN).isExecutable());
        run({"generate", "--users", "300", "--anime", "400", "--seed", "5", "--out",
             dir_.filePath("data")});
        run({"import", "--anime", dir_.filePath("data/anime.csv"), "--interactions",
             dir_.filePath("data/animelist.csv"), "--db", dir_.filePath("db.sqlite")});
        // No --models: every family, the collaborative one chosen on a validation split.
        run({"train", "--db", dir_.filePath("db.sqlite"), "--param", "sasrec.epochs=2", "--param",
             "gru.epochs=2", "--out-dir", dir_.filePath("models"), "--top100",
             dir_.filePath("top100.json")});
        QVERIFY(QFileInfo::exists(dir_.filePath("top100.json")));

        server_.setProgram(ANIMEREC_BIN);
        server_.setArguments({"serve", "--host", "127.0.0.1", "--port", "0", "--db",
                              dir_.filePath("db.sqlite"), "--models-dir", dir_.filePath("models"),
                              "--top100", dir_.filePath("top100.json")});
        server_.setProcessChannelMode(QProcess::SeparateChannels);
        server_.start();
        QVERIFY(server_.waitForStarted());
        // The server logs "listening on http://127.0.0.1:PORT" once ready.
        const QRegularExpression listening(
            QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QTRY_VERIFY_WITH_TIMEOUT(listening.match(log_ += server_.readAllStandardError()).hasMatch(),
                                 120000);
        port_ = listening.match(log_).captured(1).toInt();
        QVERIFY(port_ > 0);
        // Listening is not ready: the answer cache warms up first (503 meanwhile). A loaded
        // machine may take long; the test waits for the server's own word, not for luck.
        QTRY_VERIFY_WITH_TIMEOUT(get("/ready").status == 200, 180000);
    }

    void trainsEveryFamilyAndServesTheChosenOne() {
        for (const std::string& family : animerec::knownModelNames())
            QVERIFY2(QFileInfo::exists(dir_.filePath(
                         QStringLiteral("models/%1.model").arg(QString::fromStdString(family)))),
                     family.c_str());
        QFile file(dir_.filePath("models/collaborative.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject choice = QJsonDocument::fromJson(file.readAll()).object();
        // Every collaborative family competed; the one with the best validation NDCG@10 won.
        const QJsonArray candidates = choice.value("candidates").toArray();
        QCOMPARE(candidates.size(),
                 qsizetype(animerec::modelNamesOfKind(animerec::ModelKind::Collaborative).size()));
        QString best;
        double bestScore = -1.0;
        for (const QJsonValue& candidate : candidates) {
            const double score =
                candidate.toObject().value("validation").toObject().value("ndcg@10").toDouble();
            if (score > bestScore) {
                bestScore = score;
                best = candidate.toObject().value("model").toString();
            }
        }
        QCOMPARE(choice.value("model").toString(), best);
        QCOMPARE(choice.value("validation_protocol").toObject().value("purpose").toString(),
                 QString("validation"));
        // The service serves that family and says why.
        const QJsonObject collaborative = get("/ready")
                                              .body.object()
                                              .value("models")
                                              .toObject()
                                              .value("collaborative")
                                              .toObject();
        QCOMPARE(collaborative.value("model").toString(), best);
        QVERIFY2(
            collaborative.value("reason").toString().startsWith("chosen by validation ndcg@10"),
            qPrintable(collaborative.value("reason").toString()));
        QCOMPARE(post("/recommend_collaborative", "{\"user_id\": 1}")
                     .body.object()
                     .value("model")
                     .toString(),
                 best);
    }

    void answersEveryRoute() {
        const Reply top = get("/top");
        QCOMPARE(top.status, 200);
        const QJsonArray items = top.body.object().value("items").toArray();
        QVERIFY(items.size() >= 3);
        const qint64 first = items[0].toObject().value("anime_id").toInteger();
        const qint64 second = items[1].toObject().value("anime_id").toInteger();
        for (const char* field : {"anime_id", "title", "genre", "type", "score", "rank"})
            QVERIFY2(items[0].toObject().contains(field), field);
        // top100.json and GET /top rank alike (by members): the same ids in the same order.
        QFile file(dir_.filePath("top100.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray saved = QJsonDocument::fromJson(file.readAll()).array();
        QCOMPARE(saved.size(), items.size());
        for (qsizetype i = 0; i < items.size(); ++i)
            QCOMPARE(saved[i].toObject().value("anime_id").toInteger(),
                     items[i].toObject().value("anime_id").toInteger());
        // And the members column decides: non-increasing down the list.
        const Reply three = get("/top?top_n=3");
        QCOMPARE(three.body.object().value("items").toArray().size(), qsizetype(3));
        double previous = std::numeric_limits<double>::infinity();
        for (const QJsonValue& item : items) {
            const qint64 id = item.toObject().value("anime_id").toInteger();
            const double members =
                get(QStringLiteral("/anime/%1").arg(id)).body.object().value("members").toDouble();
            QVERIFY2(members <= previous, qPrintable(QString::number(id)));
            previous = members;
            if (item.toObject().value("rank").toInt() == 20) break;  // the first 20 are enough
        }

        QCOMPARE(get("/health").status, 200);
        QCOMPARE(get("/ready").status, 200);
        QCOMPARE(get(QStringLiteral("/anime/%1").arg(first)).status, 200);
        QCOMPARE(get("/openapi.json").status, 200);
        QVERIFY(get("/metrics").raw.contains("animerec_http_requests_total"));

        const Reply content = post("/recommend_content_based",
                                   QStringLiteral("{\"anime_id\": %1, \"top_n\": 5}").arg(first));
        QCOMPARE(content.status, 200);
        QCOMPARE(content.body.object().value("items").toArray().size(), 5);
        QCOMPARE(content.body.object().value("model").toString(), QStringLiteral("content"));

        const Reply collaborative = post("/recommend_collaborative", "{\"user_id\": 1}");
        QCOMPARE(collaborative.status, 200);
        QCOMPARE(collaborative.body.object().value("items").toArray().size(), 10);  // default top_n
        QVERIFY(!collaborative.body.object().value("model_version").toString().isEmpty());

        const Reply session = post("/recommend_session_based", "{\"user_id\": 1, \"top_n\": 3}");
        QCOMPARE(session.status, 200);
        QCOMPARE(session.body.object().value("model").toString(), QStringLiteral("sasrec"));

        const Reply anonymous =
            post("/recommend_session_based",
                 QStringLiteral("{\"history\": [%1, %2]}").arg(first).arg(second));
        QCOMPARE(anonymous.status, 200);

        const Reply unknownUser = post("/recommend_collaborative", "{\"user_id\": 987654321}");
        QCOMPARE(unknownUser.status, 200);
        QVERIFY(unknownUser.body.object().value("strategy").toString().startsWith("cold_start"));

        QCOMPARE(post("/recommend_content_based", "{\"anime_id\": 987654321}").status, 404);
        QCOMPARE(post("/recommend_content_based", "{\"anime_id\": 1, \"top_n\" = 10}").status, 400);
        QCOMPARE(post("/recommend_collaborative", "{\"user_id\": 1, \"top_n\": 0}").status, 422);
        QCOMPARE(get("/no_such_route").status, 404);
    }

    void sighupReloadsChangedModels() {
        // Retrain the popularity model, signal, and see its version change.
        const QString before = popularityVersion();
        QTest::qWait(1100);  // versions have one-second resolution
        run({"train", "--db", dir_.filePath("db.sqlite"), "--models", "popularity", "--out-dir",
             dir_.filePath("models"), "--top100", ""});
        ::kill(static_cast<pid_t>(server_.processId()), SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT(popularityVersion() != before, 60000);
    }

    void cleanupTestCase() {
        if (server_.state() == QProcess::NotRunning) return;
        server_.terminate();  // SIGTERM: a clean shutdown with exit code 0
        QVERIFY(server_.waitForFinished(60000));
        QCOMPARE(server_.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server_.exitCode(), 0);
    }

private:
    // The version of the popularity model /ready reports.
    QString popularityVersion() {
        return get("/ready")
            .body.object()
            .value("models")
            .toObject()
            .value("popularity")
            .toObject()
            .value("version")
            .toString();
    }

    void run(const QStringList& arguments) {
        QProcess process;
        process.start(ANIMEREC_BIN, arguments);
        QVERIFY(process.waitForFinished(300000));
        QVERIFY2(process.exitCode() == 0,
                 qPrintable(arguments.first() + ": " + process.readAllStandardError()));
    }

    Reply send(QNetworkReply* reply) {
        // A status of 0 below (no reply within 10 s) fails the caller's comparison.
        for (int waited = 0; waited < 10000 && !reply->isFinished(); waited += 10) QTest::qWait(10);
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.raw = reply->readAll();
        result.body = QJsonDocument::fromJson(result.raw);
        reply->deleteLater();
        return result;
    }
    QNetworkRequest request(const QString& path) const {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port_).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        return request;
    }
    Reply get(const QString& path) { return send(network_.get(request(path))); }
    Reply post(const QString& path, const QString& body) {
        return send(network_.post(request(path), body.toUtf8()));
    }

    QTemporaryDir dir_;
    QProcess server_;
    QByteArray log_;
    int port_ = 0;
    QNetworkAccessManager network_;
};

QTEST_MAIN(TestServeProcess)
#include "test_serve_process.moc"

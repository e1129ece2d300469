// Two real `animerec serve` processes on one PostgreSQL database (a private throwaway cluster
// from scripts/postgres-test-cluster.sh): an experiment started through one replica reaches the
// other, both assign every user the same variant, concurrent load on both loses no exposure or
// feedback row and no exposure id collides; then PostgreSQL restarts mid-run: /feedback answers
// 503 with retry_after fast while it is down, everything recovers without a restart of the
// replicas, and every acknowledged feedback row is in the database.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>
#include <functional>

#include "storage/database.h"

namespace {

constexpr int kUsers = 300;
const QByteArray kToken = "replica-token";

struct Reply {
    int status = 0;
    QJsonObject body;
    qint64 ms = 0;
};

}  // namespace

class TestServeReplicas : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        state_ = dir_.filePath("pg");
        QProcess cluster;
        cluster.start(ANIMEREC_PG_SCRIPT, {"start", state_});
        QVERIFY(cluster.waitForFinished(120000));
        QVERIFY2(cluster.exitCode() == 0, cluster.readAllStandardError().constData());
        url_ = QString::fromUtf8(cluster.readAllStandardOutput()).trimmed();
        QVERIFY(url_.startsWith("postgresql://"));

        run({"generate", "--users", QString::number(kUsers), "--anime", "300", "--seed", "9",
             "--out", dir_.filePath("data")});
        run({"import", "--anime", dir_.filePath("data/anime.csv"), "--interactions",
             dir_.filePath("data/animelist.csv"), "--db", url_});
        run({"train", "--db", url_, "--models", "popularity,ease", "--out-dir",
             dir_.filePath("models"), "--top100", dir_.filePath("top100.json")});
        for (int i = 0; i < 2 && !QTest::currentTestFailed(); ++i) startReplica(i);
    }

    void cleanupTestCase() {
        for (auto& replica : replicas_)
            if (replica.state() != QProcess::NotRunning) {
                replica.kill();
                replica.waitForFinished(5000);
            }
        QProcess::execute(ANIMEREC_PG_SCRIPT, {"stop", state_});
    }

    // Models published by `train` reach both replicas, which report one version for each.
    void replicasServeThePublishedModels() {
        QJsonObject models[2];
        for (int i = 0; i < 2; ++i) {
            const Reply ready = call(i, "GET", "/ready");
            QCOMPARE(ready.status, 200);
            models[i] = ready.body.value("models").toObject();
            QVERIFY(
                QFile::exists(dir_.filePath(QStringLiteral("replica%1-models/ease.model").arg(i))));
            QVERIFY(QFile::exists(
                dir_.filePath(QStringLiteral("replica%1-models/top100.json").arg(i))));
        }
        const QString version =
            models[0].value("collaborative").toObject().value("version").toString();
        QVERIFY(!version.isEmpty());
        QCOMPARE(models[0].value("collaborative").toObject().value("model").toString(),
                 QString("ease"));
        QCOMPARE(models[1], models[0]);
        QCOMPARE(call(1, "GET", "/top").body.value("items").toArray().size(), 100);
    }

    // The quality view of either replica covers both: each writes its counts to QualityCounts
    // and reads every replica's back, so /quality of one equals the sum of the two /metrics.
    void qualityFiguresAddUpAcrossReplicas() {
        const QString route = QStringLiteral("/recommend_session_based");
        const int lists[2] = {12, 7};
        for (int i = 0; i < 2; ++i)
            for (int n = 0; n < lists[i]; ++n)
                QCOMPARE(call(i, "POST", route.toUtf8(),
                              QStringLiteral("{\"user_id\": %1}").arg(1 + n).toUtf8())
                             .status,
                         200);
        // One new user on replica 1: the drift share is over both replicas' requests.
        QCOMPARE(call(1, "POST", route.toUtf8(), "{\"user_id\": 99999}").status, 200);
        const int total = lists[0] + lists[1] + 1;
        // The route's counts over its groups (whichever model answered) since start.
        const auto sessionCounts = [&](int replica, const char* count) {
            const Reply quality = call(replica, "GET", "/quality");
            qint64 sum = 0;
            for (const QJsonValue& group : quality.body.value("groups").toArray())
                if (group.toObject().value("route").toString() == route)
                    sum += group.toObject()
                               .value("windows")
                               .toObject()
                               .value("total")
                               .toObject()
                               .value(count)
                               .toInteger();
            return sum;
        };
        // Flushed every second (--metrics-flush-seconds 1).
        QTRY_COMPARE_WITH_TIMEOUT(sessionCounts(0, "lists"), qint64(total), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(sessionCounts(1, "lists"), qint64(total), 15000);
        QCOMPARE(call(0, "GET", "/quality").body.value("scope").toString(), QString("replicas"));
        QCOMPARE(sessionCounts(0, "user_requests"), qint64(total));
        QCOMPARE(sessionCounts(0, "new_users"), qint64(1));
        // Distinct titles do not add up: both replicas count them in the database, alike.
        const auto titles = [&](int replica) {
            const QJsonObject quality = call(replica, "GET", "/quality").body;
            return quality.value("coverage_scope").toString() +
                   QStringLiteral(" %1").arg(quality.value("overall")
                                                 .toObject()
                                                 .value("total")
                                                 .toObject()
                                                 .value("distinct_items")
                                                 .toInteger());
        };
        QTRY_COMPARE_WITH_TIMEOUT(titles(0), titles(1), 15000);
        QVERIFY2(titles(0).startsWith("replicas ") && !titles(0).endsWith(" 0"),
                 qPrintable(titles(0)));
        // Each replica's /metrics counts its own lists; together they are the shared figure.
        const QRegularExpression counter(
            QStringLiteral("^animerec_quality_lists_total\\{route=\"%1\"[^}]*\\} (\\d+)$")
                .arg(route),
            QRegularExpression::MultilineOption);
        for (int i = 0; i < 2; ++i) {
            QNetworkRequest request(
                QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(ports_[i])));
            QNetworkReply* reply = network_.get(request);
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
            const QString text = QString::fromUtf8(reply->readAll());
            reply->deleteLater();
            qint64 own = 0;
            for (auto match = counter.globalMatch(text); match.hasNext();)
                own += match.next().captured(1).toLongLong();
            QCOMPARE(own, qint64(lists[i] + i));
        }
    }

    // A/B assignment is a pure function of the experiment's salt and the user, and the
    // definition reaches the other replica through the database.
    void assignmentIsConsistentAcrossReplicas() {
        const QByteArray definition = R"({"name":"replicas","routes":["/recommend_collaborative"],
            "variants":[{"name":"control","role":"collaborative","share":0.5},
                        {"name":"treatment","role":"collaborative","share":0.5}]})";
        QCOMPARE(call(0, "POST", "/admin/experiments", definition).status, 201);
        QCOMPARE(call(0, "POST", "/admin/experiments/replicas/start", "").status, 200);
        // Replica 1 learns it from its once-a-second poll, not from a request of its own.
        QElapsedTimer seen;
        seen.start();
        while (variantOf(1, 1).isEmpty() && seen.elapsed() < 5000) QTest::qWait(100);
        QVERIFY2(!variantOf(1, 1).isEmpty(), "replica 1 never picked up the experiment");
        qInfo("replica 1 saw the experiment after %lld ms", seen.elapsed());
        QSet<QString> variants;
        for (int user = 1; user <= 60; ++user) {
            const QString a = variantOf(0, user);
            QVERIFY(!a.isEmpty());
            QCOMPARE(variantOf(1, user), a);
            variants << a;
        }
        QCOMPARE(variants.size(), 2);
    }

    // Both replicas under concurrent load; then SIGTERM, and every acknowledged row is stored.
    void noRowLostUnderLoadFromBoth() {
        animeId(0);  // fetch the ids now: no request may run inside drive()
        std::vector<std::function<void()>> requests;
        int served = 0, acknowledged = 0, failed = 0;
        for (int i = 0; i < 3000; ++i) {
            const int replica = i % 2;
            const int user = 1 + (i / 2) % kUsers;
            requests.push_back([=, this, &served, &failed] {
                send(replica, "POST", "/recommend_collaborative",
                     QStringLiteral("{\"user_id\": %1}").arg(user).toUtf8(), [&](const Reply& r) {
                         // Every user is in the experiment: every list is an exposure.
                         r.status == 200 && r.body.contains("experiment") ? ++served : ++failed;
                     });
            });
            if (i % 3 == 0)
                requests.push_back([=, this, &acknowledged, &failed] {
                    send(replica, "POST", "/feedback",
                         QStringLiteral(R"({"user_id": %1, "anime_id": %2, "event": "click"})")
                             .arg(user)
                             .arg(animeId(i))
                             .toUtf8(),
                         [&](const Reply& r) { r.status == 202 ? ++acknowledged : ++failed; });
                });
        }
        QElapsedTimer timer;
        timer.start();
        drive(requests);
        qInfo("%d lists and %d feedback events over two replicas in %lld ms", served, acknowledged,
              timer.elapsed());
        QCOMPARE(failed, 0);
        exposures_ += served;
        stopReplicas();
        QCOMPARE(count("SELECT count(*) FROM Exposures"), exposures_);
        // Each replica left its request metrics in the shared database (the last window at exit).
        QCOMPARE(count("SELECT count(DISTINCT replica) FROM RequestMetrics"), qint64(2));
        QVERIFY(count("SELECT sum(requests) FROM RequestMetrics WHERE route = "
                      "'/recommend_collaborative'") >= served);
        QCOMPARE(count("SELECT count(*) FROM Feedback"), qint64(acknowledged));
        acknowledged_ = acknowledged;
        // Ids came from disjoint blocks; feedback names only exposures that exist.
        QCOMPARE(count("SELECT count(DISTINCT exposure_id) FROM Exposures"),
                 count("SELECT count(*) FROM Exposures"));
        QVERIFY(count("SELECT count(*) FROM Feedback WHERE exposure_id IS NOT NULL") > 0);
        QCOMPARE(count("SELECT count(*) FROM Feedback f WHERE exposure_id IS NOT NULL AND NOT "
                       "EXISTS (SELECT 1 FROM Exposures e WHERE e.exposure_id = f.exposure_id)"),
                 qint64(0));
    }

    // PostgreSQL restarts under the running replicas.
    void survivesDatabaseRestart() {
        for (int i = 0; i < 2 && !QTest::currentTestFailed(); ++i) startReplica(i);
        QCOMPARE(call(0, "GET", "/ready").status, 200);
        QProcess restart;
        restart.start(ANIMEREC_PG_SCRIPT, {"restart", state_, "3"});
        QVERIFY(restart.waitForStarted());
        int acknowledged = 0, refused = 0, slowRefusals = 0, listsDuringOutage = 0;
        bool readySaidWhy = false;
        for (int i = 0; restart.state() != QProcess::NotRunning || i < 20; ++i) {
            const int replica = i % 2;
            const Reply r =
                call(replica, "POST", "/feedback",
                     QStringLiteral(R"({"user_id": %1, "anime_id": %2, "event": "watch"})")
                         .arg(1 + i % kUsers)
                         .arg(animeId(i))
                         .toUtf8());
            if (r.status == 202) {
                ++acknowledged;
            } else {
                if (r.status != 503)
                    qWarning("replica %d answered %d after %lld ms; its log ends with:\n%s",
                             replica, r.status, r.ms,
                             replicas_[replica].readAllStandardError().right(3000).constData());
                QCOMPARE(r.status, 503);
                QVERIFY(r.body.value("retry_after").toInt() > 0);
                ++refused;
                if (r.ms > 1000) ++slowRefusals;
                const Reply ready = call(replica, "GET", "/ready");
                // Still ready (lists are served from memory), but degraded, and says why.
                if (ready.status == 200 && ready.body.value("degraded").toBool() &&
                    !ready.body.value("reason").toString().isEmpty())
                    readySaidWhy = true;
                // Lists need no database: they are still served (from memory).
                // Lists need no database: still served, and still inside the running
                // experiment (each one an exposure, written once the database is back).
                if (!variantOf(replica, 2).isEmpty()) ++listsDuringOutage;
            }
            QTest::qWait(20);
            QVERIFY(i < 2000);
        }
        QCOMPARE(restart.exitCode(), 0);
        qInfo("during the restart: %d feedback acknowledged, %d refused (503)", acknowledged,
              refused);
        QVERIFY2(refused > 0, "no request noticed the database was down");
        QCOMPARE(slowRefusals, 0);
        QVERIFY(readySaidWhy);
        QCOMPARE(listsDuringOutage, refused);
        // Back: both replicas acknowledge again without a restart of their own.
        const QByteArray click = R"({"user_id": 3, "event": "click", "anime_id": )" +
                                 QByteArray::number(animeId(0)) + "}";
        for (int replica = 0; replica < 2; ++replica) {
            QElapsedTimer back;
            back.start();
            int status = 0;
            while ((status = call(replica, "POST", "/feedback", click).status) != 202 &&
                   back.elapsed() < 15000)
                QTest::qWait(100);
            QCOMPARE(status, 202);
            ++acknowledged;
            QTRY_VERIFY_WITH_TIMEOUT(
                !call(replica, "GET", "/ready").body.value("degraded").toBool(), 15000);
            qInfo("replica %d acknowledged again %lld ms after the restart", replica,
                  back.elapsed());
        }
        QCOMPARE(call(1, "POST", "/admin/experiments/replicas/pause", "").status, 200);
        stopReplicas();
        QCOMPARE(count("SELECT count(*) FROM Feedback"), qint64(acknowledged_ + acknowledged));
        QCOMPARE(count("SELECT count(*) FROM Exposures"), exposures_);
    }

private:
    void run(const QStringList& arguments) {
        QElapsedTimer timer;
        timer.start();
        QProcess process;
        process.start(ANIMEREC_BIN, arguments);
        QVERIFY(process.waitForFinished(300000));
        QVERIFY2(process.exitCode() == 0,
                 qPrintable(arguments.first() + ": " + process.readAllStandardError()));
        qInfo("%s: %lld ms", qPrintable(arguments.first()), timer.elapsed());
    }

    void startReplica(int i) {
        QProcess& replica = replicas_[i];
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("ANIMEREC_ADMIN_TOKEN", kToken);
        environment.insert("ANIMEREC_DEFAULT_EXPOSURE_SAMPLE", "0");
        environment.insert("ANIMEREC_DB", url_);  // the environment variable, as in a container
        replica.setProcessEnvironment(environment);
        replica.setProgram(ANIMEREC_BIN);
        // Each replica starts from an empty models directory of its own (as in a Kubernetes
        // pod): its models and top100.json come from the database's model store.
        replica.setArguments({"serve", "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                              "--models-dir",
                              dir_.filePath(QStringLiteral("replica%1-models").arg(i)), "--replica",
                              QStringLiteral("replica-%1").arg(i), "--log-file", "",
                              "--metrics-flush-seconds", "1"});
        replica.start();
        QVERIFY(replica.waitForStarted());
        const QRegularExpression listening(
            QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray log;
        QTRY_VERIFY_WITH_TIMEOUT(listening.match(log += replica.readAllStandardError()).hasMatch(),
                                 120000);
        ports_[i] = listening.match(log).captured(1).toInt();
        // Listening is not ready (models synced, answer cache warmed): wait for /ready itself.
        QTRY_VERIFY_WITH_TIMEOUT(call(i, "GET", "/ready").status == 200, 180000);
    }

    void stopReplicas() {
        for (auto& replica : replicas_) replica.terminate();  // SIGTERM: flush, then exit 0
        for (auto& replica : replicas_) {
            QVERIFY(replica.waitForFinished(40000));
            QCOMPARE(replica.exitStatus(), QProcess::NormalExit);
            QVERIFY2(replica.exitCode() == 0, replica.readAllStandardError().constData());
        }
    }

    qint64 animeId(int i) {
        if (anime_.isEmpty()) {
            for (const QJsonValue& item : call(0, "GET", "/top").body.value("items").toArray())
                anime_.push_back(item.toObject().value("anime_id").toInteger());
        }
        return anime_.isEmpty() ? 1 : anime_[i % anime_.size()];
    }

    QString variantOf(int replica, int user) {
        const Reply r = call(replica, "POST", "/recommend_collaborative",
                             QStringLiteral("{\"user_id\": %1}").arg(user).toUtf8());
        const QString variant = r.body.value("experiment").toObject().value("variant").toString();
        if (r.status == 200 && !variant.isEmpty()) ++exposures_;
        return variant;
    }

    qint64 count(const QString& sql) {
        animerec::storage::Database database(url_, QStringLiteral("replicas-count"));
        if (database.open().isValid()) return -1;
        QSqlQuery query(database.connection());
        if (!query.exec(sql) || !query.next()) return -2;
        return query.value(0).toLongLong();
    }

    void send(int replica, const QByteArray& method, const QString& path, const QByteArray& body,
              std::function<void(const Reply&)> done) {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(ports_[replica]).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        request.setRawHeader("Authorization", "Bearer " + kToken);
        request.setTransferTimeout(10000);
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        QNetworkReply* reply = network_.sendCustomRequest(request, method, body);
        connect(reply, &QNetworkReply::finished, this, [reply, timer, done = std::move(done)] {
            Reply result;
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = QJsonDocument::fromJson(reply->readAll()).object();
            result.ms = timer->elapsed();
            reply->deleteLater();
            done(result);
        });
    }

    Reply call(int replica, const QByteArray& method, const QString& path,
               const QByteArray& body = {}) {
        Reply result;
        bool finished = false;
        send(replica, method, path, body, [&](const Reply& r) {
            result = r;
            finished = true;
        });
        QElapsedTimer waited;
        waited.start();
        while (!finished && waited.elapsed() < 15000) QTest::qWait(2);
        return result;  // status 0 when no answer came: the caller's comparison fails
    }

    // Runs every request with up to 32 in flight (QNetworkAccessManager opens 6 connections per
    // replica, so both replicas stay busy).
    void drive(std::vector<std::function<void()>>& requests) {
        std::size_t next = 0;
        for (; next < requests.size() && next < 32; ++next) requests[next]();
        int done = 0;
        const int total = static_cast<int>(requests.size());
        auto connection = connect(&network_, &QNetworkAccessManager::finished, this, [&] {
            ++done;
            if (next < requests.size()) requests[next++]();
        });
        QTRY_VERIFY_WITH_TIMEOUT(done >= total, 60000);
        disconnect(connection);
    }

    QTemporaryDir dir_;
    QString state_;
    QString url_;
    QProcess replicas_[2];
    int ports_[2] = {0, 0};
    QList<qint64> anime_;
    int acknowledged_ = 0;  // feedback acknowledged by the load test
    qint64 exposures_ = 0;  // lists served inside the experiment
    QNetworkAccessManager network_;
};

QTEST_MAIN(TestServeReplicas)
#include "test_serve_replicas.moc"

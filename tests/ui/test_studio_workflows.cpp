// Studio end to end, offscreen: the workflows an analyst runs, each through the real widgets,
// the real database and (for the server) a real socket.
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "main_window.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "panels/compare_panel.h"
#include "panels/data_panel.h"
#include "panels/experiments_panel.h"
#include "panels/import_dialog.h"
#include "panels/new_user_panel.h"
#include "panels/recommendation_list.h"
#include "panels/server_panel.h"
#include "panels/user_browser.h"
#include "service/recommend_service.h"
#include "storage/browsing_connections.h"
#include "storage/dataset_loader.h"
#include "studio_context.h"
#include "studio_test_data.h"
#include "widgets/chart_widget.h"

using namespace animerec;

namespace {

// Trains one model per family into <db dir>/models, as the Train panel or `animerec train` does.
void trainModels(const QString& databasePath) {
    storage::Database database(databasePath, QStringLiteral("fixture-train"));
    QVERIFY(!database.open().isValid());
    const Dataset data = storage::loadDataset(database);
    const QString models = QFileInfo(databasePath).absoluteDir().filePath(QStringLiteral("models"));
    QDir().mkpath(models);
    const std::pair<const char*, ModelParameters> families[] = {
        {"popularity", {}},
        {"content", {}},
        {"ease", {}},
        {"sasrec", {{"epochs", 2}, {"dim", 16}}}};
    for (const auto& [family, parameters] : families) {
        auto model = createRecommender(family, parameters);
        model->fit(data);
        saveModelFile(QDir(models).filePath(QString::fromLatin1(family) + ".model").toStdString(),
                      *model);
    }
}

// A user with a long history (personal answers from every family).
qint64 activeUser(const QString& databasePath) {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
    db.setDatabaseName(databasePath);
    qint64 user = -1;
    if (db.open()) {
        QSqlQuery query(db);
        query.exec(
            QStringLiteral("SELECT user_id FROM UserAnimeInteractions GROUP BY user_id "
                           "HAVING COUNT(*) >= 20 ORDER BY user_id LIMIT 1"));
        if (query.next()) user = query.value(0).toLongLong();
        db.close();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return user;
}

}  // namespace

class TestStudioWorkflows : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        databasePath_ = studio_test::makeDatabase(QDir(dir_.path()));
        trainModels(databasePath_);
    }

    void selectingAUserFillsTheFourLists() {
        ui::MainWindow window(databasePath_);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        const qint64 user = activeUser(databasePath_);
        QVERIFY(user > 0);
        QVERIFY(window.dataPanel()->users()->showUser(user));
        auto* compare = window.comparePanel();
        for (int family = 0; family < ui::ComparePanel::kFamilies; ++family)
            QCOMPARE(compare->list(family)->rowCount(), 10);
        // Enough history for every family to answer personally.
        QCOMPARE(compare->list(2)->strategy(), QStringLiteral("collaborative"));
        QCOMPARE(compare->list(3)->strategy(), QStringLiteral("session"));
        // An unknown user gets cold-start answers, and the lists say so.
        QVERIFY(compare->compare(ui::ComparePanel::QueryKind::User, QStringLiteral("987654321")));
        QVERIFY(compare->list(2)->strategy().startsWith(QStringLiteral("cold_start:")));
        studio_test::screenshot(window, QStringLiteral("compare"),
                                dir_.filePath(QStringLiteral("shots")));
    }

    void startedServerAnswersOverARealSocket() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        auto* server = window.serverPanel();
        const quint16 port = server->start(0);
        QVERIFY(port != 0);
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/top").arg(port)));
        QNetworkReply* reply = network.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 60000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QVERIFY(body.value(QStringLiteral("items")).toArray().size() > 0);
        reply->deleteLater();
        QTRY_VERIFY(server->loggedRequests() >= 1);
        // The same service as `animerec serve`: /top?top_n, and feedback (A/B on) is accepted,
        // not refused with 503 as by a server without experiments.
        const auto call = [&](const QString& path, const QByteArray& json = {}) {
            QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
            r.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
            QNetworkReply* answer = json.isEmpty() ? network.get(r) : network.post(r, json);
            // A status of 0 (no answer within a minute) fails the caller's comparison.
            for (int waited = 0; waited < 60000 && !answer->isFinished(); waited += 10)
                QTest::qWait(10);
            const int status = answer->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject object = QJsonDocument::fromJson(answer->readAll()).object();
            answer->deleteLater();
            return std::make_pair(status, object);
        };
        const auto top2 = call(QStringLiteral("/top?top_n=2"));
        QCOMPARE(top2.first, 200);
        QCOMPARE(top2.second.value(QStringLiteral("items")).toArray().size(), qsizetype(2));
        const qint64 anime = top2.second.value(QStringLiteral("items"))
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("anime_id"))
                                 .toInteger();
        const auto feedback =
            call(QStringLiteral("/feedback"),
                 QStringLiteral(R"({"user_id": 1, "anime_id": %1, "event": "watch"})")
                     .arg(anime)
                     .toUtf8());
        QVERIFY2(
            feedback.first >= 200 && feedback.first < 300,
            qPrintable(QString::number(feedback.first) + QJsonDocument(feedback.second).toJson()));
        server->stop();
        QVERIFY(!server->isRunning());
        // The port is closed once stopped.
        QNetworkReply* refused = network.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(refused->isFinished(), 60000);
        QVERIFY(refused->error() != QNetworkReply::NoError);
        refused->deleteLater();
    }

    void importOfAMalformedFileListsTheBadLines() {
        QTemporaryDir dir;
        QFile anime(dir.filePath("anime.csv"));
        QVERIFY(anime.open(QIODevice::WriteOnly));
        anime.write(
            "anime_id,name,genre,type,episodes,rating,members\n"
            "1,Cowboy Bebop,\"Action, Sci-Fi\",TV,26,8.82,486824\n"
            "5,Cowboy Bebop: Tengoku no Tobira,\"Action, Space\",Movie,1,8.40,137636\n");
        anime.close();
        QFile ratings(dir.filePath("rating.csv"));
        QVERIFY(ratings.open(QIODevice::WriteOnly));
        ratings.write(
            "user_id,anime_id,rating\n"
            "1,1,10\n"   // line 2
            "x,5,8\n"    // line 3: non-numeric user id
            "2,5,9\n"    // line 4
            "3,999,7\n"  // line 5: unknown anime id
            "3,1,-1\n"   // line 6
            "4,1,8\n4,5,7\n5,1,9\n5,5,6\n6,1,10\n6,5,9\n7,1,8\n");
        ratings.close();
        ui::StudioContext context(dir.filePath("studio.sqlite"));
        ui::ImportDialog dialog(&context);
        dialog.setFiles(anime.fileName(), ratings.fileName());
        dialog.setMaxRejectShare(0.5);
        QSignalSpy imported(&dialog, &ui::ImportDialog::imported);
        QVERIFY(dialog.startImport() != nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 20000);
        const QString report = dialog.report();
        QVERIFY2(report.contains(QStringLiteral("rating.csv:3")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("rating.csv:5")), qPrintable(report));
        QVERIFY2(!report.contains(QStringLiteral("rating.csv:6")), qPrintable(report));
        QVERIFY(context.hasData());
    }

    void newUserMovesFromColdStartToPersonal() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        auto* panel = window.newUserPanel();
        const qint64 id = panel->createUser(QStringLiteral("Ann"));
        QVERIFY(id > 0);
        auto* collaborative =
            studio_test::child<ui::RecommendationList>(*panel, "list-collaborative");
        QVERIFY(collaborative->strategy().startsWith(QStringLiteral("cold_start:popular")));
        panel->setFavouriteGenres({QStringLiteral("Comedy")});
        QVERIFY(studio_test::child<ui::RecommendationList>(*panel, "list-popularity")
                    ->strategy()
                    .contains(QStringLiteral("popular_in_genres")));
        // A few ratings: content from the history; past the threshold: the personal models.
        const auto service = window.context()->service();
        for (int item = 0; item < 6; ++item)
            QVERIFY(panel->addTitle(service->dataset().catalog.idAt(item), 8));
        QCOMPARE(collaborative->strategy(), QStringLiteral("collaborative"));
        QCOMPARE(studio_test::rows(*panel, "ratedTitles"), 6);
        // The user and the ratings are in the database (read on the write connection: the
        // browsing connection may still hold the snapshot its lazily fetched tables began).
        // Each as storage/user_history.h says: completed, so every episode watched.
        QSqlQuery query(window.context()->connections().writer());
        QVERIFY(query.exec(
            QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN i.status = 2 AND i.rating = 8 AND "
                           "i.watched_episodes IS a.episodes THEN 1 ELSE 0 END) "
                           "FROM UserAnimeInteractions i JOIN Anime a ON a.anime_id = i.anime_id "
                           "WHERE i.user_id = %1")
                .arg(id)));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), 6);
        QCOMPARE(query.value(1).toInt(), 6);
    }

    void experimentsPanelRunsTheLifecycleAndAReplay() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        auto* panel = window.experimentsPanel();
        const int before = studio_test::rows(*panel, "experiments");
        QCOMPARE(panel->createExperiment(QStringLiteral("collab-vs-session"),
                                         {QStringLiteral("control=collaborative:0.5"),
                                          QStringLiteral("treatment=session:0.5")}),
                 QString());
        QCOMPARE(studio_test::rows(*panel, "experiments"), before + 1);
        // A bad definition is refused with a reason, and nothing is added.
        QVERIFY(!panel
                     ->createExperiment(QStringLiteral("bad name!"),
                                        {QStringLiteral("a=collaborative")})
                     .isEmpty());
        QCOMPARE(studio_test::rows(*panel, "experiments"), before + 1);
        QCOMPARE(panel->transition(QStringLiteral("collab-vs-session"), QStringLiteral("start")),
                 QString());
        QVERIFY(panel->showReport(QStringLiteral("collab-vs-session")));
        QCOMPARE(studio_test::rows(*panel, "variants"), 2);
        QCOMPARE(panel->transition(QStringLiteral("collab-vs-session"), QStringLiteral("stop")),
                 QString());

        // Offline replay: EASE beats popularity on held-out interactions.
        QSignalSpy done(panel, &ui::ExperimentsPanel::simulationFinished);
        QVERIFY(panel->simulate(QStringLiteral("popularity"), QStringLiteral("ease")));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
        QCOMPARE(panel->winner(), QStringLiteral("ease"));
        QVERIFY(studio_test::child<ui::ChartWidget>(*panel, "timelineChart")->plottableCount() ==
                2);
    }

private:
    QTemporaryDir dir_;
    QString databasePath_;
};

QTEST_MAIN(TestStudioWorkflows)
#include "test_studio_workflows.moc"

// The explorer in Studio over real widgets: Compare shows the user's history beside the four
// lists (rows equal the database's) and focusing a recommendation marks exactly the history titles
// that explain it; a title page lists each model's neighbours (equal to the service's answers) and
// a rating histogram; the map projects the ALS factors with the user's history and
// recommendations drawn over it, every point whole inside the axes and the legend beside them.
#include <qcustomplot.h>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "background_task.h"
#include "data/dataset.h"
#include "main_window.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "panels/compare_panel.h"
#include "panels/history_view.h"
#include "panels/map_panel.h"
#include "panels/recommendation_list.h"
#include "panels/title_page.h"
#include "service/recommend_service.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "studio_context.h"
#include "studio_test_data.h"
#include "widgets/chart_widget.h"

using namespace animerec;

namespace {

QVector<qint64> idsOf(const service::Outcome<service::Recommendation>& outcome) {
    QVector<qint64> ids;
    if (const auto* answer = std::get_if<service::Recommendation>(&outcome))
        for (const auto& item : answer->items) ids << item.animeId;
    return ids;
}

// A title page's neighbours by content (0), the collaborative model (1) or the session model (2).
ui::RecommendationList* neighbours(const ui::TitlePage& page, int family) {
    const char* const names[] = {"neighbours-content", "neighbours-collaborative",
                                 "neighbours-session"};
    return studio_test::child<ui::RecommendationList>(page, names[family]);
}

// Inside the range and at least 1% of its size from either end.
bool insideWithMargin(const QCPRange& range, double value) {
    const double margin = 0.01 * range.size();
    return value > range.lower + margin && value < range.upper - margin;
}

}  // namespace

class TestStudioExplorer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        databasePath_ = studio_test::makeDatabase(QDir(dir_.path()));
        storage::Database database(databasePath_, QStringLiteral("fixture-train"));
        QVERIFY(!database.open().isValid());
        const Dataset data = storage::loadDataset(database);
        const QString models = QDir(dir_.path()).filePath(QStringLiteral("models"));
        QDir().mkpath(models);
        const std::pair<const char*, ModelParameters> families[] = {
            {"popularity", {}},
            {"content", {}},
            {"als", {{"factors", 16}}},
            {"sasrec", {{"epochs", 2}, {"dim", 16}}}};
        for (const auto& [family, parameters] : families) {
            auto model = createRecommender(family, parameters);
            model->fit(data);
            saveModelFile(
                QDir(models).filePath(QString::fromLatin1(family) + ".model").toStdString(),
                *model);
        }
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(databasePath_);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral(
                    "SELECT user_id, COUNT(*) FROM UserAnimeInteractions GROUP BY user_id "
                    "HAVING COUNT(*) >= 20 ORDER BY user_id LIMIT 1")) &&
                query.next());
        user_ = query.value(0).toLongLong();
        historyLength_ = query.value(1).toInt();
        QSqlQuery first(db);
        QVERIFY(first.exec(
                    QStringLiteral("SELECT anime_id FROM UserAnimeInteractions WHERE user_id = %1 "
                                   "ORDER BY interaction_id LIMIT 1")
                        .arg(user_)) &&
                first.next());
        firstWatched_ = first.value(0).toLongLong();
    }

    void compareShowsTheHistoryAndWhy() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        ui::ComparePanel* compare = window.comparePanel();
        QVERIFY(compare->compare(ui::ComparePanel::QueryKind::User, QString::number(user_)));
        ui::HistoryView* history = studio_test::child<ui::HistoryView>(*compare, "history");
        QCOMPARE(history->rowCount(), historyLength_);
        QCOMPARE(history->animeIds().first(), firstWatched_);
        // The collaborative list (ALS) explains its titles: focusing one marks those history rows.
        const auto answer =
            window.context()->service()->forUser(service::ModelRole::Collaborative, user_, 10);
        const auto& list = std::get<service::Recommendation>(answer);
        QCOMPARE(compare->list(2)->animeIds().first(), list.items.front().animeId);
        QSet<qint64> because(list.items.front().because.begin(), list.items.front().because.end());
        QVERIFY(!because.isEmpty());
        QCOMPARE(compare->focusRecommendation(list.items.front().animeId), int(because.size()));
        const QVector<qint64> marked = history->highlighted();
        QCOMPARE(QSet<qint64>(marked.begin(), marked.end()), because);
        window.showPanel(1);
        studio_test::screenshot(window, QStringLiteral("compare-history"),
                                dir_.filePath(QStringLiteral("shots")));
    }

    void titlePageListsEachModelsNeighbours() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        const auto service = window.context()->service();
        ui::TitlePage* page = window.openTitle(firstWatched_);
        QCOMPARE(neighbours(*page, 0)->animeIds(), idsOf(service->contentBased(firstWatched_, 10)));
        QCOMPARE(neighbours(*page, 1)->animeIds(),
                 idsOf(service->itemToItem(service::ModelRole::Collaborative, firstWatched_, 10)));
        QCOMPARE(neighbours(*page, 2)->animeIds(),
                 idsOf(service->itemToItem(service::ModelRole::Session, firstWatched_, 10)));
        for (int family = 0; family < ui::TitlePage::kNeighbourFamilies; ++family) {
            QCOMPARE(neighbours(*page, family)->rowCount(), 10);
            QVERIFY(!neighbours(*page, family)->animeIds().contains(firstWatched_));
        }
        QVERIFY(studio_test::child<ui::ChartWidget>(*page, "ratingChart")->plottableCount() > 0);
        QVERIFY(page->windowTitle().contains(
            QString::fromStdString(service->anime(firstWatched_)->title)));
        studio_test::screenshot(*page, QStringLiteral("title-page"),
                                dir_.filePath(QStringLiteral("shots")));
        page->close();
    }

    void mapDrawsTheCatalogueWithTheUser() {
        ui::MainWindow window(databasePath_);
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        ui::MapPanel* map = window.mapPanel();
        map->overlayUser(user_);
        ui::BackgroundTask* task = map->compute(ui::MapPanel::Source::AlsFactors);
        QVERIFY(task);
        QSignalSpy finished(task, &ui::BackgroundTask::finished);
        QVERIFY(finished.wait(120000));
        const Dataset& data = window.context()->service()->dataset();
        QSet<int> listed;
        for (int user = 0; user < data.interactions.userCount(); ++user)
            for (const Event& event : data.interactions.historyOf(user)) listed.insert(event.item);
        QCOMPARE(int(map->map().items.size()), int(listed.size()));
        QCOMPARE(map->overlaidHistory(), historyLength_);
        QCOMPARE(map->overlaidRecommendations(), 20);
        QVERIFY(map->plottedGroups() >= 4);  // genre groups + history + recommendations
        QVERIFY(map->map().explainedShare > 0.0 && map->map().explainedShare <= 1.0);
        window.showPanel(static_cast<int>(window.panelNames().indexOf(QStringLiteral("Map"))));
        studio_test::screenshot(window, QStringLiteral("map"),
                                dir_.filePath(QStringLiteral("shots")));
        // Every point inside the axes, clear of their edges, and the legend outside them.
        const QCustomPlot* plot = map->findChild<QCustomPlot*>();
        QVERIFY(plot);
        QVERIFY(!plot->legend->outerRect().intersects(plot->axisRect()->rect()));
        for (int i = 0; i < plot->graphCount(); ++i)
            for (const QCPGraphData& point : *plot->graph(i)->data()) {
                QVERIFY(insideWithMargin(plot->xAxis->range(), point.key));
                QVERIFY(insideWithMargin(plot->yAxis->range(), point.value));
            }
    }

    // Popularity's scores are members counts: read in full with digit grouping, not "1.014e+06".
    void scoresReadAsNumbers() {
        const QLocale english(QLocale::English);
        QLocale::setDefault(english);
        ui::RecommendationList list(QStringLiteral("Popularity"));
        list.showRows(
            QStringLiteral("popularity"), QStringLiteral("v1"), QStringLiteral("popularity"),
            {{1535, QStringLiteral("Death Note"), QStringLiteral("Mystery"), 1013917.0, {}},
             {1, QStringLiteral("Cowboy Bebop"), QStringLiteral("Action"), 0.38494, {}}});
        const auto* table = list.findChild<QTableWidget*>();
        QVERIFY(table);
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("1,013,917"));
        QCOMPARE(table->item(1, 3)->text(), QStringLiteral("0.3849"));
        QLocale::setDefault(QLocale::system());
    }

private:
    QTemporaryDir dir_;
    QString databasePath_;
    qint64 user_ = 0;
    int historyLength_ = 0;
    qint64 firstWatched_ = 0;
};

QTEST_MAIN(TestStudioExplorer)
#include "test_studio_explorer.moc"

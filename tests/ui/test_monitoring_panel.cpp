// The Monitoring panel, offscreen: it polls a real server's GET /quality over a socket and
// shows the per-model table and the charts; it reads the counts two replicas wrote to a shared
// database and shows their sum.
#include <QDateTime>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "../app/http_test_fixture.h"
#include "http/api_server.h"
#include "panels/monitoring_panel.h"
#include "service/metrics_registry.h"
#include "service/quality_monitor.h"
#include "service/recommend_service.h"
#include "service/request_log.h"
#include "storage/database.h"
#include "studio_context.h"
#include "studio_test_data.h"
#include "widgets/chart_widget.h"

using namespace animerec;
using animerec::ui::MonitoringPanel;

namespace {

// `sampled` lists of `model` served at the clock's minute, the first `clicked` of them clicked.
void serve(service::QualityMonitor& monitor, const QString& model, int sampled, int clicked,
           qint64 firstExposure) {
    for (int i = 0; i < sampled; ++i) {
        service::ServedList list;
        list.route = "/recommend_collaborative";
        list.role = "collaborative";
        list.model = model;
        list.version = model + "-v1";
        list.items = {100 + i % 12, 100 + (i + 1) % 12};
        list.sampledExposureId = firstExposure + i;
        list.userId = 1 + i % 5;
        monitor.recordList(list);
        if (i < clicked)
            monitor.recordFeedback(
                {100 + i % 12, ListFeedback::Click, std::nullopt, firstExposure + i, 1});
    }
}

int rowOf(QTableWidget* table, const QString& prefix) {
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0)->text().startsWith(prefix)) return row;
    return -1;
}

}  // namespace

class TestMonitoringPanel : public QObject {
    Q_OBJECT

private slots:
    void pollsARunningServer() {
        QTemporaryDir dir;
        const auto data = testing::makeDataset();
        service::ModelRegistry registry;
        registry.install(service::ModelRole::Collaborative,
                         std::make_shared<testing::FixedCollaborative>(), "fixed-v1");
        service::RecommendService recommendations(data, registry);
        service::MetricsRegistry metrics;
        service::RequestLog log({{}, 1, 1, service::LogLevel::Off, false});
        qint64 now = QDateTime::currentMSecsSinceEpoch() - 40 * 60 * 1000;
        service::QualityMonitor quality(data, [&now] { return now; });
        http::ApiOptions options;
        options.quality = &quality;
        http::ApiServer server(recommendations, metrics, log, nullptr, options);
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
        // Forty minutes ago 8 lists of each model, then 8 more now: two points per line.
        serve(quality, "ease", 8, 2, 1);
        serve(quality, "als", 8, 4, 100);
        now += 40 * 60 * 1000;
        serve(quality, "ease", 8, 1, 200);
        serve(quality, "als", 8, 4, 300);
        // And a real request, counted by the server itself.
        QCOMPARE(
            testing::request(port, "POST", "/recommend_collaborative", R"({"user_id": 1})").status,
            200);

        ui::StudioContext context(dir.filePath("absent.sqlite"));
        MonitoringPanel panel(&context);
        panel.resize(1200, 800);
        panel.setSource(MonitoringPanel::Source::Server);
        panel.setServerUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        panel.setWindow("total");
        QSignalSpy shown(&panel, &MonitoringPanel::qualityShown);
        panel.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);

        auto* table = studio_test::child<QTableWidget>(panel, "monitoringTable");
        QCOMPARE(table->rowCount(), 3);  // ease, als, and the real request's "fixed"
        const int ease = rowOf(table, "ease ease-v1");
        const int als = rowOf(table, "als als-v1");
        QVERIFY(ease >= 0 && als >= 0);
        QCOMPARE(table->item(ease, 1)->text(), QString("16"));     // lists
        QCOMPARE(table->item(ease, 3)->text(), QString("18.8%"));  // 3 of 16
        QCOMPARE(table->item(als, 3)->text(), QString("50.0%"));   // 8 of 16
        QVERIFY(table->item(als, 4)->text().contains(u'–'));       // the interval
        QVERIFY(rowOf(table, "fixed fixed-v1") >= 0);
        QVERIFY(studio_test::text(panel, "monitoringStatus").startsWith("This server"));
        // The last 5 minutes: only the second half.
        panel.setWindow("5m");
        QCOMPARE(table->item(ease, 1)->text(), QString("8"));
        QCOMPARE(table->item(ease, 3)->text(), QString("12.5%"));
        QCOMPARE(studio_test::child<ui::ChartWidget>(panel, "ctrChart")->plottableCount(),
                 2);  // the real request was not sampled
        QCOMPARE(studio_test::child<ui::ChartWidget>(panel, "trafficChart")->plottableCount(), 3);
        const QImage image = studio_test::screenshot(panel, "monitoring-panel", dir.path());
        QVERIFY(!image.isNull());
    }

    void readsTheSharedDatabase() {
        QTemporaryDir dir;
        const QString path = dir.filePath("shared.sqlite");
        const auto data = testing::makeDataset();
        {
            storage::Database database(path, "replicas-writer");
            QVERIFY(!database.open().isValid());
            service::QualityMonitor a(data), b(data);
            a.shareThroughDatabase();
            b.shareThroughDatabase();
            serve(a, "ease", 6, 3, 1);
            serve(b, "ease", 4, 1, 1);
            QVERIFY(!a.flush(database, "a").isValid());
            QVERIFY(!b.flush(database, "b").isValid());
        }
        ui::StudioContext context(path);
        MonitoringPanel panel(&context);
        panel.setSource(MonitoringPanel::Source::Database);
        panel.setWindow("1h");
        QSignalSpy shown(&panel, &MonitoringPanel::qualityShown);
        panel.refresh();
        QCOMPARE(shown.count(), 1);
        QCOMPARE(studio_test::child<QTableWidget>(panel, "monitoringTable")->rowCount(), 1);
        QCOMPARE(studio_test::child<QTableWidget>(panel, "monitoringTable")->item(0, 1)->text(),
                 QString("10"));  // 6 + 4 lists
        QCOMPARE(studio_test::child<QTableWidget>(panel, "monitoringTable")->item(0, 3)->text(),
                 QString("40.0%"));  // 4 of 10
        QVERIFY(studio_test::text(panel, "monitoringStatus").startsWith("All replicas"));
    }
};

QTEST_MAIN(TestMonitoringPanel)
#include "test_monitoring_panel.moc"

#include <QFile>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "background_task.h"
#include "panels/metric_charts.h"
#include "panels/metrics_panel.h"
#include "panels/results_model.h"
#include "studio_context.h"
#include "studio_test_data.h"
#include "widgets/chart_widget.h"
#include "widgets/task_status.h"

using animerec::jobs::EvaluationSettings;
using animerec::jobs::SplitProtocol;
using animerec::ui::BackgroundTask;
using animerec::ui::ChartWidget;
using animerec::ui::EvaluationResultsModel;
using animerec::ui::MetricsPanel;
using animerec::ui::StudioContext;
using animerec::ui::TaskStatus;
using studio_test::child;

class TestMetricsPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString database_;

    // Waits for the running evaluation to end; the result is the panel's status text.
    static void waitUntilIdle(MetricsPanel& panel, int timeoutMs = 60000) {
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), timeoutMs);
    }

    static EvaluationResultsModel* results(const MetricsPanel& panel) {
        return child<EvaluationResultsModel>(panel, "results");
    }
    static ChartWidget* chart(const MetricsPanel& panel, const char* name) {
        return child<ChartWidget>(panel, name);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        database_ = studio_test::makeDatabase(QDir(dir_.path()));
    }

    void evaluatesAndDrawsEveryChart_data() {
        QTest::addColumn<int>("protocol");
        QTest::addColumn<int>("catalogMode");
        QTest::addColumn<int>("k");
        QTest::addRow("holdout, all items, K=10") << 0 << 0 << 10;
        QTest::addRow("last 2 out, interacted items, K=7") << 1 << 1 << 7;
    }

    void evaluatesAndDrawsEveryChart() {
        QFETCH(int, protocol);
        QFETCH(int, catalogMode);
        QFETCH(int, k);
        StudioContext context(database_);
        MetricsPanel panel(&context);
        panel.resize(1100, 760);
        QVERIFY(!chart(panel, "metricChart")->emptyMessage().isEmpty());  // before any evaluation
        EvaluationSettings settings;
        settings.protocol = protocol == 0 ? SplitProtocol::Holdout : SplitProtocol::LastN;
        settings.lastN = 2;
        settings.k = k;
        settings.catalogMode =
            catalogMode == 0 ? animerec::CatalogMode::All : animerec::CatalogMode::Interacted;
        settings.models = {"popularity", "content", "als"};
        panel.setSettings(settings, QStringLiteral("als.iterations=100; als.factors=64"));
        const int runsBefore = studio_test::rows(panel, "history");

        // The GUI thread must keep turning while the evaluation runs.
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(5);
        QSignalSpy started(&panel, &MetricsPanel::taskStarted);
        QSignalSpy finished(&panel, &MetricsPanel::evaluationFinished);
        QElapsedTimer clock;
        clock.start();
        BackgroundTask* task = panel.startEvaluation();
        QVERIFY(task);
        QCOMPARE(started.count(), 1);
        QVERIFY(panel.isRunning());
        QVERIFY(!child<QPushButton>(panel, "run")->isEnabled());
        QVERIFY(child<TaskStatus>(panel, "taskStatus")->isVisibleTo(&panel));
        QVERIFY(child<QPushButton>(panel, "taskCancel")->isEnabled());
        QVERIFY(!panel.startEvaluation());  // one run at a time
        waitUntilIdle(panel);
        timer.stop();
        QVERIFY2(finished.count() == 1, qPrintable(studio_test::text(panel, "status")));
        qInfo("evaluation took %lld ms; the GUI timer ticked %d times", clock.elapsed(), ticks);
        QVERIFY2(ticks >= 3, qPrintable(QStringLiteral("timer ticked %1 times").arg(ticks)));
        QVERIFY(child<QPushButton>(panel, "run")->isEnabled());

        QCOMPARE(results(panel)->rowCount(), 3);
        QCOMPARE(results(panel)->data(results(panel)->index(0, 0)).toString(),
                 QStringLiteral("popularity"));
        // recall@K of popularity on a popularity-skewed dataset: a real number in (0, 1].
        const double recall =
            results(panel)->data(results(panel)->index(0, 3), Qt::UserRole).toDouble();
        QVERIFY2(recall > 0.0 && recall <= 1.0, qPrintable(QString::number(recall)));
        QCOMPARE(results(panel)->headerData(3, Qt::Horizontal).toString(),
                 QStringLiteral("recall@%1").arg(k));

        // Three bar plottables plus their error bars; one curve per model; train + 3 long-tail
        // lines.
        QCOMPARE(chart(panel, "metricChart")->plottableCount(), 6);
        QCOMPARE(chart(panel, "curveChart")->plottableCount(), 3);
        QCOMPARE(chart(panel, "longTailChart")->plottableCount(), 4);
        QCOMPARE(chart(panel, "trainingChart")->plottableCount(),
                 1);  // only ALS records a loss curve
        for (const char* name : {"metricChart", "curveChart", "longTailChart", "trainingChart"})
            QCOMPARE(chart(panel, name)->emptyMessage(), QString());
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QImage image =
            studio_test::screenshot(panel, QStringLiteral("metrics-panel-protocol%1").arg(protocol),
                                    dir_.filePath(QStringLiteral("shots")));
        QCOMPARE(image.size(), panel.size());
        for (const auto group :
             {animerec::ui::MetricGroup::BeyondAccuracy, animerec::ui::MetricGroup::Novelty}) {
            panel.setMetricGroup(group);
            QCOMPARE(chart(panel, "metricChart")->plottableCount(), 6);
        }
        panel.setCurveKind(true);
        QCOMPARE(chart(panel, "curveChart")->plottableCount(), 3);

        const int signalRunId = finished.front().front().toInt();
        QVERIFY(signalRunId > 0);
        QCOMPARE(studio_test::rows(panel, "history"), runsBefore + 1);
    }

    void exportsChartsAndTable() {
        StudioContext context(database_);
        MetricsPanel panel(&context);
        EvaluationSettings settings;
        settings.models = {"popularity", "content"};
        panel.setSettings(settings);
        QVERIFY(panel.startEvaluation());
        waitUntilIdle(panel);
        QCOMPARE(results(panel)->rowCount(), 2);

        const QString out = dir_.filePath(QStringLiteral("export"));
        for (const QString& format : {QStringLiteral("png"), QStringLiteral("pdf")}) {
            const QStringList written = panel.exportCharts(out, format);
            QCOMPARE(written.size(), panel.findChildren<ChartWidget*>().size());
            for (const QString& file : written)
                QVERIFY2(QFileInfo(file).size() > 1000, qPrintable(file));
        }
        QVERIFY(!QImage(QDir(out).filePath(QStringLiteral("metrics.png"))).isNull());

        const QString csvPath = QDir(out).filePath(QStringLiteral("results.csv"));
        QVERIFY(panel.exportResultsCsv(csvPath));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        const QStringList header = lines[0].split(',');
        QCOMPARE(header.front(), QStringLiteral("model"));
        QVERIFY(header.contains(QStringLiteral("ndcg@10")));
        QVERIFY(header.contains(QStringLiteral("ndcg@10_ci_low")));
        QVERIFY(header.contains(QStringLiteral("ndcg@10_ci_high")));
        QVERIFY(lines[1].startsWith(QStringLiteral("popularity,")));
        QCOMPARE(lines[1].split(',').size(), header.size());
        // The interval brackets the value.
        const QStringList row = lines[2].split(',');
        const double value = row[header.indexOf(QStringLiteral("ndcg@10"))].toDouble();
        QVERIFY(row[header.indexOf(QStringLiteral("ndcg@10_ci_low"))].toDouble() <= value);
        QVERIFY(row[header.indexOf(QStringLiteral("ndcg@10_ci_high"))].toDouble() >= value);
    }

    void showsStoredRunsFromTheDatabase() {
        StudioContext context(database_);
        MetricsPanel first(&context);
        EvaluationSettings settings;
        settings.models = {"popularity"};
        settings.k = 5;
        first.setSettings(settings);
        QSignalSpy finished(&first, &MetricsPanel::evaluationFinished);
        QVERIFY(first.startEvaluation());
        waitUntilIdle(first);
        QCOMPARE(finished.count(), 1);
        const qint64 runId = finished.front().front().toLongLong();
        const double recall =
            results(first)->data(results(first)->index(0, 3), Qt::UserRole).toDouble();

        // A new panel (as after a restart) lists the run and shows its stored metrics.
        MetricsPanel second(&context);
        QVERIFY(studio_test::rows(second, "history") >= 1);
        QVERIFY(second.showStoredRun(runId));
        QCOMPARE(results(second)->rowCount(), 1);
        QCOMPARE(results(second)->k(), 5);
        QCOMPARE(results(second)->data(results(second)->index(0, 3), Qt::UserRole).toDouble(),
                 recall);
        QVERIFY(chart(second, "metricChart")->plottableCount() > 0);
        QCOMPARE(chart(second, "curveChart")->plottableCount(), 0);  // curves are not stored
        // ... and the empty charts say so rather than drawing bare axes; the bars say nothing.
        for (const char* name : {"curveChart", "longTailChart", "trainingChart"})
            QVERIFY2(chart(second, name)->emptyMessage().contains("this session"), name);
        QCOMPARE(chart(second, "metricChart")->emptyMessage(), QString());
        QVERIFY(!second.showStoredRun(runId + 1000));

        second.resize(1100, 760);
        child<QTabWidget>(second, "tables")->setCurrentIndex(1);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(!studio_test::screenshot(second, QStringLiteral("metrics-panel-history"),
                                         dir_.filePath(QStringLiteral("shots")))
                     .isNull());
    }

    void cancelLeavesThePanelUsable() {
        StudioContext context(database_);
        MetricsPanel panel(&context);
        EvaluationSettings settings;
        settings.models = {"popularity", "als"};
        panel.setSettings(settings, QStringLiteral("als.iterations=200"));
        QSignalSpy cancelled(&panel, &MetricsPanel::evaluationCancelled);
        QSignalSpy finished(&panel, &MetricsPanel::evaluationFinished);
        BackgroundTask* task = panel.startEvaluation();
        QVERIFY(task);
        // Cancel once the work has really started (the first progress report).
        QSignalSpy progressed(task, &BackgroundTask::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(progressed.count() > 0, 120000);
        QVERIFY(panel.isRunning());
        child<QPushButton>(panel, "taskCancel")->click();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 30000);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!panel.isRunning());
        QVERIFY(child<QPushButton>(panel, "run")->isEnabled());
        QVERIFY(!child<TaskStatus>(panel, "taskStatus")->isVisibleTo(&panel));
        QVERIFY(studio_test::text(panel, "status").contains(QStringLiteral("cancelled")));

        // Usable again: the next run completes.
        settings.models = {"popularity"};
        panel.setSettings(settings);
        QVERIFY(panel.startEvaluation());
        waitUntilIdle(panel);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(results(panel)->rowCount(), 1);
    }

    void rejectsBadInput_data() {
        QTest::addColumn<QStringList>("models");
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<bool>("starts");
        QTest::addColumn<QString>("message");
        QTest::addRow("no model") << QStringList{} << QString() << false
                                  << QStringLiteral("at least one model");
        QTest::addRow("malformed parameters")
            << QStringList{QStringLiteral("popularity")} << QStringLiteral("factors=3") << false
            << QStringLiteral("factors=3");
        QTest::addRow("unknown parameter fails the task")
            << QStringList{QStringLiteral("popularity")} << QStringLiteral("popularity.bogus=1")
            << true << QStringLiteral("bogus");
    }

    void rejectsBadInput() {
        QFETCH(QStringList, models);
        QFETCH(QString, parameters);
        QFETCH(bool, starts);
        QFETCH(QString, message);
        StudioContext context(database_);
        MetricsPanel panel(&context);
        EvaluationSettings settings;
        for (const QString& model : models) settings.models.push_back(model.toStdString());
        panel.setSettings(settings, parameters);
        QSignalSpy failed(&panel, &MetricsPanel::evaluationFailed);
        BackgroundTask* task = panel.startEvaluation();
        QCOMPARE(task != nullptr, starts);
        if (starts) {
            QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
            QVERIFY(child<QPushButton>(panel, "run")->isEnabled());
        }
        // A task that starts and fails shows its error on the task status.
        const QString shown = studio_test::text(panel, starts ? "taskText" : "status");
        QVERIFY2(shown.contains(message), qPrintable(shown));
    }

    void missingDatabaseFailsCleanly() {
        StudioContext context(dir_.filePath(QStringLiteral("missing.sqlite")));
        MetricsPanel panel(&context);
        QCOMPARE(studio_test::rows(panel, "history"), 0);
        QSignalSpy failed(&panel, &MetricsPanel::evaluationFailed);
        QVERIFY(panel.startEvaluation());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(failed.front().front().toString().contains(QStringLiteral("no such database")));
        QVERIFY(!QFileInfo::exists(dir_.filePath(QStringLiteral("missing.sqlite"))));
    }
};

QTEST_MAIN(TestMetricsPanel)
#include "test_metrics_panel.moc"

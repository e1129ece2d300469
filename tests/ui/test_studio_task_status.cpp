// The task status every Studio panel shows a background task with: progress and the time left,
// Cancel reaching the task, hiding when it ends, the error when it fails.
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>
#include <QtTest>
#include <stdexcept>

#include "background_task.h"
#include "studio_test_data.h"
#include "widgets/task_status.h"

using animerec::Progress;
using animerec::ProgressCallback;
using animerec::ui::BackgroundTask;
using animerec::ui::TaskStatus;
using studio_test::child;

class TestStudioTaskStatus : public QObject {
    Q_OBJECT
private slots:
    void showsProgressAndTimeLeftThenHides() {
        QWidget panel;
        auto* status = new TaskStatus(TaskStatus::Shape::Stacked, &panel);
        QVERIFY(!status->isVisibleTo(&panel));
        // Twenty steps over two seconds: after one second the rate says about one more is left.
        BackgroundTask* task =
            BackgroundTask::start(QStringLiteral("Steps"), [](const ProgressCallback& progress) {
                for (int step = 0; step <= 20; ++step) {
                    animerec::reportProgress(progress, {"step", step, 20, {}});
                    QThread::msleep(100);
                }
            });
        QSignalSpy ended(status, &TaskStatus::ended);
        status->track(task);
        QVERIFY(status->isVisibleTo(&panel));
        QCOMPARE(studio_test::text(panel, "taskText"), QStringLiteral("Steps"));
        auto* bar = child<QProgressBar>(panel, "taskProgress");
        QTRY_VERIFY_WITH_TIMEOUT(bar->format().contains(QStringLiteral("left")), 10000);
        QVERIFY2(studio_test::text(panel, "taskText").startsWith(QStringLiteral("Steps: step")),
                 qPrintable(studio_test::text(panel, "taskText")));
        QVERIFY(bar->value() > 0 && bar->value() < 1000);
        auto* layout = new QVBoxLayout(&panel);
        layout->addWidget(status);
        panel.resize(360, status->sizeHint().height() + 20);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(!studio_test::screenshot(panel, QStringLiteral("task-status-stacked"),
                                         QDir::temp().filePath(QStringLiteral("studio-shots")))
                     .isNull());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
        QCOMPARE(ended.front().front().toString(), QStringLiteral("Steps: done"));
        QVERIFY(!status->isVisibleTo(&panel));
    }

    void cancelReachesTheTask() {
        QWidget panel;
        auto* status = new TaskStatus(TaskStatus::Shape::Row, &panel);
        BackgroundTask* task =
            BackgroundTask::start(QStringLiteral("Loop"), [](const ProgressCallback& progress) {
                for (;;) {
                    animerec::reportProgress(progress, {"loop", 0, 0, {}});
                    QThread::msleep(10);
                }
            });
        QSignalSpy cancelled(task, &BackgroundTask::cancelled);
        QSignalSpy ended(status, &TaskStatus::ended);
        QSignalSpy progressed(task, &BackgroundTask::progressed);
        status->track(task);
        QTRY_VERIFY_WITH_TIMEOUT(progressed.count() > 0, 10000);
        QCOMPARE(studio_test::text(panel, "taskText"), QStringLiteral("Loop: loop"));
        // As in the status bar: text, a busy bar (no total), Cancel on one line.
        auto* layout = new QVBoxLayout(&panel);
        layout->addWidget(status);
        panel.resize(700, status->sizeHint().height() + 20);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(!studio_test::screenshot(panel, QStringLiteral("task-status-row"),
                                         QDir::temp().filePath(QStringLiteral("studio-shots")))
                     .isNull());
        child<QPushButton>(panel, "taskCancel")->click();
        QCOMPARE(studio_test::text(panel, "taskText"), QStringLiteral("Cancelling…"));
        QVERIFY(!child<QPushButton>(panel, "taskCancel")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(ended.front().front().toString(), QStringLiteral("Loop: cancelled"));
        QVERIFY(!status->isVisibleTo(&panel));
    }

    void showsTheErrorUntilTheNextTask() {
        QWidget panel;
        auto* status = new TaskStatus(TaskStatus::Shape::Row, &panel);
        BackgroundTask* failing = BackgroundTask::start(
            QStringLiteral("Import"),
            [](const ProgressCallback&) { throw std::runtime_error("anime.csv:3: bad score"); });
        QSignalSpy failed(failing, &BackgroundTask::failed);
        status->track(failing);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(status->isVisibleTo(&panel));
        QCOMPARE(studio_test::text(panel, "taskText"),
                 QStringLiteral("Import failed: anime.csv:3: bad score"));
        QVERIFY(!child<QProgressBar>(panel, "taskProgress")->isVisibleTo(&panel));
        QVERIFY(!child<QPushButton>(panel, "taskCancel")->isVisibleTo(&panel));

        BackgroundTask* next =
            BackgroundTask::start(QStringLiteral("Again"), [](const ProgressCallback&) {});
        QSignalSpy ended(status, &TaskStatus::ended);
        status->track(next);
        QVERIFY(child<QPushButton>(panel, "taskCancel")->isVisibleTo(&panel));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
        QVERIFY(!status->isVisibleTo(&panel));
    }
};

QTEST_MAIN(TestStudioTaskStatus)
#include "test_studio_task_status.moc"

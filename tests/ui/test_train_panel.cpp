#include <QComboBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "background_task.h"
#include "i18n/language.h"
#include "model_files.h"
#include "models/model_families.h"
#include "models/model_io.h"
#include "panels/train_panel.h"
#include "studio_context.h"
#include "studio_test_data.h"
#include "widgets/chart_widget.h"
#include "widgets/task_status.h"

using animerec::ui::BackgroundTask;
using animerec::ui::ChartWidget;
using animerec::ui::StudioContext;
using animerec::ui::TaskStatus;
using animerec::ui::TrainPanel;
using studio_test::child;

class TestTrainPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString database_;
    int directories_ = 0;

    QString freshModelsDirectory() {
        return dir_.filePath(QStringLiteral("models-%1").arg(++directories_));
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        database_ = studio_test::makeDatabase(QDir(dir_.path()));
    }

    void defaultsToModelsNextToTheDatabase() {
        StudioContext context(database_);
        TrainPanel panel(&context);
        QCOMPARE(QDir(panel.modelsDirectory()).absolutePath(),
                 QDir(dir_.path()).absoluteFilePath(QStringLiteral("models")));
    }

    // The family list is the family table's, each entry explained in the interface language.
    void listsEveryFamilyWithItsDescription() {
        StudioContext context(database_);
        TrainPanel panel(&context);
        const QComboBox* box = child<QComboBox>(panel, "family");
        QCOMPARE(static_cast<std::size_t>(box->count()), animerec::modelFamilies().size());
        for (int i = 0; i < box->count(); ++i) {
            const auto& family = animerec::modelFamilies()[static_cast<std::size_t>(i)];
            QCOMPARE(box->itemText(i).toStdString(), family.name);
            QCOMPARE(box->itemData(i, Qt::ToolTipRole).toString().toStdString(),
                     family.description);
        }
        QVERIFY(animerec::i18n::installTranslation(*qApp, QStringLiteral("ru")));
        const TrainPanel russian(&context);
        const QString ease = child<QComboBox>(russian, "family")
                                 ->itemData(box->findText("ease"), Qt::ToolTipRole)
                                 .toString();
        QVERIFY(animerec::i18n::installTranslation(*qApp, QStringLiteral("en")));
        QVERIFY2(ease.contains(QStringLiteral("EASE")) &&
                     ease.toStdString() != animerec::modelFamily("ease").description,
                 qPrintable(ease));
    }

    void trainsAndWritesAModelFile_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<int>("curves");
        QTest::addRow("popularity") << QStringLiteral("popularity") << QString() << 0;
        QTest::addRow("als with a loss curve")
            << QStringLiteral("als") << QStringLiteral("als.factors=16, als.iterations=5") << 1;
    }

    void trainsAndWritesAModelFile() {
        QFETCH(QString, family);
        QFETCH(QString, parameters);
        QFETCH(int, curves);
        StudioContext context(database_);
        TrainPanel panel(&context);
        panel.resize(1100, 700);
        const QString models = freshModelsDirectory();
        panel.setModelsDirectory(models);
        QCOMPARE(studio_test::rows(panel, "modelFiles"), 0);
        panel.setFamily(family);
        QCOMPARE(panel.family(), family);
        panel.setParametersText(parameters);

        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start(5);
        QSignalSpy changed(&panel, &TrainPanel::modelsChanged);
        QSignalSpy started(&panel, &TrainPanel::taskStarted);
        QVERIFY(panel.startTraining());
        QCOMPARE(started.count(), 1);
        QVERIFY(!child<QPushButton>(panel, "train")->isEnabled());
        QVERIFY(child<TaskStatus>(panel, "taskStatus")->isVisibleTo(&panel));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 300000);
        timer.stop();
        QVERIFY(ticks >= 1);
        QVERIFY2(changed.count() == 1, qPrintable(studio_test::text(panel, "status")));

        const QString file = animerec::ui::modelFilePath(models, family);
        QVERIFY(QFileInfo::exists(file));
        const auto model = animerec::loadModelFile(file.toStdString());
        QCOMPARE(QString::fromStdString(model->name()), family);
        QCOMPARE(studio_test::rows(panel, "modelFiles"), 1);
        QCOMPARE(studio_test::cell(panel, "modelFiles", 0, 0), family);
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{8}T\\d{6}Z$"))
                    .match(studio_test::cell(panel, "modelFiles", 0, 1))
                    .hasMatch());
        QVERIFY(!studio_test::cell(panel, "modelFiles", 0, 2).isEmpty());
        QCOMPARE(child<ChartWidget>(panel, "curveChart")->plottableCount(), curves);
        QVERIFY(child<QPushButton>(panel, "train")->isEnabled());

        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QImage image = studio_test::screenshot(panel, QStringLiteral("train-panel-") + family,
                                                     dir_.filePath(QStringLiteral("shots")));
        QCOMPARE(image.size(), panel.size());
    }

    void tunesThenTrainsTheBest() {
        StudioContext context(database_);
        TrainPanel panel(&context);
        const QString models = freshModelsDirectory();
        panel.setModelsDirectory(models);
        panel.setFamily(QStringLiteral("popularity"));
        panel.setTuning(true);
        panel.setParametersText(QStringLiteral("popularity.mode=0|1|2"));
        QSignalSpy changed(&panel, &TrainPanel::modelsChanged);
        QVERIFY(panel.startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 300000);
        QVERIFY2(changed.count() == 1, qPrintable(studio_test::text(panel, "status")));
        QCOMPARE(studio_test::rows(panel, "trials"), 3);
        QVERIFY(
            QFileInfo::exists(animerec::ui::modelFilePath(models, QStringLiteral("popularity"))));
        // The best trial is stored as an evaluation run, so the file list shows its metrics.
        QVERIFY2(studio_test::cell(panel, "modelFiles", 0, 4).contains(QStringLiteral("ndcg@10")),
                 qPrintable(studio_test::cell(panel, "modelFiles", 0, 4)));

        panel.resize(1100, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(!studio_test::screenshot(panel, QStringLiteral("train-panel-tuning"),
                                         dir_.filePath(QStringLiteral("shots")))
                     .isNull());
    }

    void rejectsAMalformedGrid_data() {
        QTest::addColumn<bool>("tune");
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<QString>("message");
        QTest::addRow("not a number") << true << QStringLiteral("popularity.mode=a|b")
                                      << QStringLiteral("'a' is not a number");
        QTest::addRow("no family")
            << true << QStringLiteral("mode=0|1") << QStringLiteral("expected a model family");
    }

    void rejectsAMalformedGrid() {
        QFETCH(bool, tune);
        QFETCH(QString, parameters);
        QFETCH(QString, message);
        StudioContext context(database_);
        TrainPanel panel(&context);
        panel.setModelsDirectory(freshModelsDirectory());
        panel.setFamily(QStringLiteral("popularity"));
        panel.setTuning(tune);
        panel.setParametersText(parameters);
        QVERIFY(!panel.startTraining());
        QVERIFY2(studio_test::text(panel, "status").contains(message),
                 qPrintable(studio_test::text(panel, "status")));
        QVERIFY(child<QPushButton>(panel, "train")->isEnabled());
    }

    // A grid without tuning, or parameters of a family not trained, fail the task at once.
    void refusesAGridWithoutTuning() {
        StudioContext context(database_);
        TrainPanel panel(&context);
        const QString models = freshModelsDirectory();
        panel.setModelsDirectory(models);
        panel.setFamily(QStringLiteral("popularity"));
        panel.setTuning(false);
        panel.setParametersText(QStringLiteral("popularity.mode=0|1"));
        QSignalSpy failed(&panel, &TrainPanel::trainingFailed);
        QVERIFY(panel.startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        // The task started, so its error is on the task status.
        const QString error = studio_test::text(panel, "taskText");
        QVERIFY2(error.contains(QStringLiteral("a grid (|) needs tuning")), qPrintable(error));
        QVERIFY(child<TaskStatus>(panel, "taskStatus")->isVisibleTo(&panel));
        panel.resize(1100, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(!studio_test::screenshot(panel, QStringLiteral("train-panel-failed"),
                                         dir_.filePath(QStringLiteral("shots")))
                     .isNull());
        QVERIFY(!QFileInfo::exists(models));
    }

    void cancelWritesNothingAndStaysUsable() {
        StudioContext context(database_);
        TrainPanel panel(&context);
        const QString models = freshModelsDirectory();
        panel.setModelsDirectory(models);
        panel.setFamily(QStringLiteral("als"));
        panel.setParametersText(QStringLiteral("als.iterations=500, als.factors=32"));
        QSignalSpy cancelled(&panel, &TrainPanel::trainingCancelled);
        QSignalSpy changed(&panel, &TrainPanel::modelsChanged);
        BackgroundTask* task = panel.startTraining();
        QVERIFY(task);
        QSignalSpy progressed(task, &BackgroundTask::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(progressed.count() > 0, 120000);
        // The task status names the running stage under the buttons.
        panel.resize(1100, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(child<TaskStatus>(panel, "taskStatus")->isVisible());
        QVERIFY2(studio_test::text(panel, "taskText").startsWith(QStringLiteral("Training als")),
                 qPrintable(studio_test::text(panel, "taskText")));
        QVERIFY(!studio_test::screenshot(panel, QStringLiteral("train-panel-running"),
                                         dir_.filePath(QStringLiteral("shots")))
                     .isNull());
        child<QPushButton>(panel, "taskCancel")->click();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 30000);
        QCOMPARE(changed.count(), 0);
        QVERIFY(!QFileInfo::exists(animerec::ui::modelFilePath(models, QStringLiteral("als"))));
        QVERIFY(child<QPushButton>(panel, "train")->isEnabled());
        QVERIFY(studio_test::text(panel, "status").contains(QStringLiteral("cancelled")));

        panel.setFamily(QStringLiteral("popularity"));
        panel.setParametersText({});
        QVERIFY(panel.startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 300000);
        QCOMPARE(changed.count(), 1);
    }
};

QTEST_MAIN(TestTrainPanel)
#include "test_train_panel.moc"

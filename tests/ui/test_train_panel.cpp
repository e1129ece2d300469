#include <QComboBox>
#include <QProgressBar>
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

using animerec::ui::BackgroundTask;
using animerec::ui::StudioContext;
using animerec::ui::TrainPanel;

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
        const auto familyBox = [](const TrainPanel& panel) {
            for (auto* box : panel.findChildren<QComboBox*>())
                if (box->findText(QStringLiteral("ease")) >= 0) return box;
            return static_cast<QComboBox*>(nullptr);
        };
        TrainPanel panel(&context);
        const QComboBox* box = familyBox(panel);
        QVERIFY(box);
        QCOMPARE(static_cast<std::size_t>(box->count()), animerec::modelFamilies().size());
        for (int i = 0; i < box->count(); ++i) {
            const auto& family = animerec::modelFamilies()[static_cast<std::size_t>(i)];
            QCOMPARE(box->itemText(i).toStdString(), family.name);
            QCOMPARE(box->itemData(i, Qt::ToolTipRole).toString().toStdString(),
                     family.description);
        }
        QVERIFY(animerec::i18n::installTranslation(*qApp, QStringLiteral("ru")));
        const TrainPanel russian(&context);
        const QString ease =
            familyBox(russian)->itemData(box->findText("ease"), Qt::ToolTipRole).toString();
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
        QCOMPARE(panel.modelFileCount(), 0);
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
        QVERIFY(!panel.trainButton()->isEnabled());
        QVERIFY(panel.progressBar()->isVisible() || !panel.isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 300000);
        timer.stop();
        QVERIFY(ticks >= 1);
        QVERIFY2(changed.count() == 1, qPrintable(panel.statusText()));

        const QString file = animerec::ui::modelFilePath(models, family);
        QVERIFY(QFileInfo::exists(file));
        const auto model = animerec::loadModelFile(file.toStdString());
        QCOMPARE(QString::fromStdString(model->name()), family);
        QCOMPARE(panel.modelFileCount(), 1);
        QCOMPARE(panel.modelFileCell(0, 0), family);
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{8}T\\d{6}Z$"))
                    .match(panel.modelFileCell(0, 1))
                    .hasMatch());
        QVERIFY(!panel.modelFileCell(0, 2).isEmpty());
        QCOMPARE(panel.curveChart()->plottableCount(), curves);
        QVERIFY(panel.trainButton()->isEnabled());

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
        QVERIFY2(changed.count() == 1, qPrintable(panel.statusText()));
        QCOMPARE(panel.trialRowCount(), 3);
        QVERIFY(
            QFileInfo::exists(animerec::ui::modelFilePath(models, QStringLiteral("popularity"))));
        // The best trial is stored as an evaluation run, so the file list shows its metrics.
        QVERIFY2(panel.modelFileCell(0, 4).contains(QStringLiteral("ndcg@10")),
                 qPrintable(panel.modelFileCell(0, 4)));

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
        QVERIFY2(panel.statusText().contains(message), qPrintable(panel.statusText()));
        QVERIFY(panel.trainButton()->isEnabled());
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
        QVERIFY2(panel.statusText().contains(QStringLiteral("a grid (|) needs tuning")),
                 qPrintable(panel.statusText()));
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
        panel.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 30000);
        QCOMPARE(changed.count(), 0);
        QVERIFY(!QFileInfo::exists(animerec::ui::modelFilePath(models, QStringLiteral("als"))));
        QVERIFY(panel.trainButton()->isEnabled());
        QVERIFY(panel.statusText().contains(QStringLiteral("cancelled")));

        panel.setFamily(QStringLiteral("popularity"));
        panel.setParametersText({});
        QVERIFY(panel.startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 300000);
        QCOMPARE(changed.count(), 1);
    }
};

QTEST_MAIN(TestTrainPanel)
#include "test_train_panel.moc"

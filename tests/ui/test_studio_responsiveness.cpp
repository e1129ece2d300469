// The GUI thread never blocks: evaluation and training on the real CooperUnion data run while a
// GUI timer keeps firing on time.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "background_task.h"
#include "panels/metrics_panel.h"
#include "panels/train_panel.h"
#include "storage/database.h"
#include "storage/importer.h"
#include "studio_context.h"
#include "studio_test_data.h"

using namespace animerec;

namespace {

// Counts timer ticks and the longest gap between two of them while `running` holds.
struct EventLoopProbe {
    int ticks = 0;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceLast;
    QTimer timer;

    EventLoopProbe() {
        timer.setInterval(10);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            if (sinceLast.isValid()) longestGapMs = std::max(longestGapMs, sinceLast.elapsed());
            sinceLast.restart();
            ++ticks;
        });
        timer.start();
    }
};

}  // namespace

class TestStudioResponsiveness : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        database_ = dir_.filePath("real.sqlite");
        storage::Database database(database_, QStringLiteral("real-import"));
        QVERIFY(!database.open().isValid());
        storage::ImportOptions options;
        options.animePath = QStringLiteral(ANIMEREC_SAMPLE_DATA_DIR "/anime.csv");
        options.interactionsPath =
            QStringLiteral(ANIMEREC_SAMPLE_DATA_DIR "/rating_head_users1-1036.csv");
        const auto summary = storage::importDataset(database, options);
        QCOMPARE(summary.interactions, qint64(101001));
    }

    void evaluationOnRealDataKeepsTheWindowResponsive() {
        ui::StudioContext context(database_);
        ui::MetricsPanel panel(&context);
        panel.show();
        jobs::EvaluationSettings settings;
        settings.models = {"popularity", "content", "als"};
        panel.setSettings(settings, QStringLiteral("als.iterations=8"));
        EventLoopProbe probe;
        QVERIFY(panel.startEvaluation());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 240000);
        QVERIFY2(studio_test::text(panel, "status").contains(QStringLiteral("Evaluated")),
                 qPrintable(studio_test::text(panel, "status")));
        qInfo("evaluation: %d ticks, longest gap %lld ms", probe.ticks, probe.longestGapMs);
        QVERIFY(probe.ticks >= 20);
        // Generous for a loaded CI machine; a blocked GUI thread would stall for seconds.
        QVERIFY2(probe.longestGapMs < 750, qPrintable(QString::number(probe.longestGapMs)));
    }

    void trainingOnRealDataKeepsTheWindowResponsive() {
        ui::StudioContext context(database_);
        ui::TrainPanel panel(&context);
        panel.show();
        panel.setModelsDirectory(dir_.filePath("models"));
        panel.setFamily(QStringLiteral("ease"));
        QSignalSpy written(&panel, &ui::TrainPanel::modelsChanged);
        EventLoopProbe probe;
        QVERIFY(panel.startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 240000);
        qInfo("training: %d ticks, longest gap %lld ms", probe.ticks, probe.longestGapMs);
        QVERIFY(probe.ticks >= 20);
        QVERIFY2(probe.longestGapMs < 750, qPrintable(QString::number(probe.longestGapMs)));
        QVERIFY(QFileInfo::exists(dir_.filePath("models/ease.model")));
    }

private:
    QTemporaryDir dir_;
    QString database_;
};

QTEST_MAIN(TestStudioResponsiveness)
#include "test_studio_responsiveness.moc"

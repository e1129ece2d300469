#include <QtTest>

#include "cli/progress_run.h"

using namespace animerec;
using animerec::cli::ProgressRun;

namespace {

const ProgressRun::Clock::time_point start{};

ProgressRun::Clock::time_point at(double seconds) {
    return start + std::chrono::duration_cast<ProgressRun::Clock::duration>(
                       std::chrono::duration<double>(seconds));
}

}  // namespace

// The terminal bar's rate and ETA span the stages of one job: a training's epochs and
// validations report into one range, and the ETA must be the job's, not the current epoch's.
class TestProgressRun : public QObject {
    Q_OBJECT
private slots:
    void stagesOfOneTotalShareTheRate() {
        ProgressRun run;
        run.add({"fit sasrec epoch 1", 0, 1000, ""}, at(0));
        run.add({"fit sasrec epoch 2", 500, 1000, ""}, at(10));
        QCOMPARE(run.done(), 500);
        QCOMPARE(run.rate(), 50.0);
        QCOMPARE(run.secondsLeft().value_or(-1), 10.0);
        QCOMPARE(run.elapsedSeconds(), 10.0);
    }

    void aReportCountingLessStartsANewRun() {
        ProgressRun run;
        run.add({"generate", 0, 1000, ""}, at(0));
        run.add({"generate", 500, 1000, ""}, at(10));
        run.add({"generate again", 100, 1000, ""}, at(12));
        QCOMPARE(run.done(), 100);
        QCOMPARE(run.elapsedSeconds(), 0.0);
        run.add({"generate again", 400, 1000, ""}, at(15));
        QCOMPARE(run.rate(), 100.0);
    }

    void aNewTotalStartsANewRun() {
        ProgressRun run;
        run.add({"fit a", 0, 1000, ""}, at(0));
        run.add({"fit a", 900, 1000, ""}, at(9));
        run.add({"fit b", 100, 2000, ""}, at(20));
        QCOMPARE(run.done(), 100);
        QCOMPARE(run.elapsedSeconds(), 0.0);
        QCOMPARE(run.rate(), 0.0);
        QVERIFY(!run.secondsLeft());
        run.add({"fit b", 600, 2000, ""}, at(25));
        QCOMPARE(run.rate(), 100.0);  // from the run's first report, not the job's start
        QCOMPARE(run.secondsLeft().value_or(-1), 14.0);
    }

    void unknownTotalsRunPerStage() {
        ProgressRun run;
        run.add({"import anime", 100, 0, ""}, at(0));
        run.add({"import anime", 300, 0, ""}, at(1));
        QCOMPARE(run.rate(), 200.0);
        QVERIFY(!run.secondsLeft());
        run.add({"import interactions", 50, 0, ""}, at(2));
        QCOMPARE(run.done(), 50);
        QCOMPARE(run.rate(), 0.0);
    }

    void noRateTooEarlyAndNoEtaWhenDone() {
        ProgressRun run;
        run.add({"fit", 0, 100, ""}, at(0));
        run.add({"fit", 10, 100, ""}, at(0.1));
        QCOMPARE(run.rate(), 0.0);
        QVERIFY(!run.secondsLeft());
        run.add({"fit", 100, 100, ""}, at(5));
        QCOMPARE(run.rate(), 20.0);
        QVERIFY(!run.secondsLeft());
    }
};

QTEST_APPLESS_MAIN(TestProgressRun)
#include "test_progress_run.moc"

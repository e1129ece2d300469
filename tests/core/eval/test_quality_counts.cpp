// The window arithmetic of the online quality view: per-minute sums over sliding windows, late
// additions to an earlier minute, distinct titles since a minute, and the rule that turns
// feedback into a list's outcome (shared with the A/B report).
#include <QTest>

#include "eval/list_outcome.h"
#include "eval/quality_counts.h"

using namespace animerec;

namespace {

QualityCounts lists(std::int64_t n) {
    QualityCounts counts;
    counts[QualityCount::Lists] = n;
    return counts;
}

}  // namespace

class TestQualityCounts : public QObject {
    Q_OBJECT

private slots:
    void windowsSumTheirMinutes() {
        MinuteSeries series;
        series.add(100, lists(1));
        series.add(103, lists(2));
        series.add(103, lists(4));  // the same minute again
        series.add(110, lists(8));
        series.add(101, lists(16));  // late: between existing minutes
        QCOMPARE(series.minutes().size(), std::size_t(4));
        QCOMPARE(series.sumSince(0)[QualityCount::Lists], std::int64_t(31));
        QCOMPARE(series.sumSince(101)[QualityCount::Lists], std::int64_t(30));
        QCOMPARE(series.sumSince(104)[QualityCount::Lists], std::int64_t(8));
        QCOMPARE(series.sumSince(111)[QualityCount::Lists], std::int64_t(0));
        series.dropBefore(103);
        QCOMPARE(series.sumSince(0)[QualityCount::Lists], std::int64_t(14));
        QCOMPARE(series.minutes().front().first, std::int64_t(103));
    }

    void countsAddUp() {
        QualityCounts a = lists(2);
        a.ratingSum = 7.5;
        QualityCounts b;
        b[QualityCount::Clicked] = 1;
        b.noveltySum = 3.0;
        QVERIFY(!a.empty());
        QVERIFY(QualityCounts{}.empty());
        a += b;
        QCOMPARE(a[QualityCount::Lists], std::int64_t(2));
        QCOMPARE(a[QualityCount::Clicked], std::int64_t(1));
        QCOMPARE(a.ratingSum, 7.5);
        QCOMPARE(a.noveltySum, 3.0);
        QCOMPARE(QString(qualityCountName(QualityCount::UnknownAnime)), QString("unknown_anime"));
        QCOMPARE(QString(qualityCountName(QualityCount::Lists)), QString("lists"));
    }

    void distinctTitlesSinceAMinute() {
        ItemRecency recency(5);
        recency.served(0, 10);
        recency.served(1, 12);
        recency.served(1, 11);  // an older sighting does not move it back
        recency.served(7, 12);  // outside the catalogue: ignored
        QCOMPARE(recency.distinctSince(0), std::int64_t(2));
        QCOMPARE(recency.distinctSince(11), std::int64_t(1));
        QCOMPARE(recency.distinctSince(13), std::int64_t(0));
        ItemRecency other(5);
        other.served(4, 20);
        other.served(0, 15);
        recency.merge(other);
        QCOMPARE(recency.distinctSince(0), std::int64_t(3));
        QCOMPARE(recency.distinctSince(13), std::int64_t(2));
    }

    void feedbackTurnsFlagsOnOnce_data() {
        QTest::addColumn<int>("event");
        QTest::addColumn<int>("position");
        QTest::addColumn<bool>("clicked");
        QTest::addColumn<bool>("watched");
        QTest::addColumn<bool>("completed");
        QTest::addRow("click at 1") << int(ListFeedback::Click) << 1 << true << false << false;
        QTest::addRow("click at K") << int(ListFeedback::Click) << 10 << true << false << false;
        QTest::addRow("click below K") << int(ListFeedback::Click) << 11 << false << false << false;
        QTest::addRow("rate at 2") << int(ListFeedback::Rate) << 2 << true << false << false;
        QTest::addRow("watch at 3") << int(ListFeedback::Watch) << 3 << true << true << false;
        QTest::addRow("complete, no position")
            << int(ListFeedback::Complete) << 0 << false << true << true;
    }
    void feedbackTurnsFlagsOnOnce() {
        QFETCH(int, event);
        QFETCH(int, position);
        QFETCH(bool, clicked);
        QFETCH(bool, watched);
        QFETCH(bool, completed);
        ListOutcome outcome;
        const ListOutcome changed =
            applyListFeedback(outcome, static_cast<ListFeedback>(event), position, 10);
        QCOMPARE(changed.clicked, clicked);
        QCOMPARE(changed.watched, watched);
        QCOMPARE(changed.completed, completed);
        QCOMPARE(outcome.clicked, clicked);
        const ListOutcome again =
            applyListFeedback(outcome, static_cast<ListFeedback>(event), position, 10);
        QVERIFY(!again.clicked && !again.watched && !again.completed);
    }
};

QTEST_APPLESS_MAIN(TestQualityCounts)
#include "test_quality_counts.moc"

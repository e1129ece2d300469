// The bounded recent-exposure map that attributes feedback (RecentExposures), and the event
// writer's SQLite path storing every field of exposures and feedback as given.
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "experiments/experiment_store.h"
#include "experiments/recent_exposures.h"
#include "storage/database.h"
#include "storage/event_writer.h"

using namespace animerec;
using experiments::RecentExposures;

namespace {

QString unit(int n) { return QStringLiteral("u:%1").arg(n); }

RecentExposures::Exposure shown(qint64 id, std::vector<qint64> items, qint64 servedAtMs = 1000) {
    return {id, 7, QStringLiteral("b"), std::move(items), servedAtMs};
}

}  // namespace

class TestAbRecentExposures : public QObject {
    Q_OBJECT

private slots:
    // A row the database will never take (here a duplicate exposure id) is isolated and dropped
    // with a warning after a few refused batches; the rows around it are written and the writer
    // does not retry forever (before, flush() and shutdown hung on such a batch).
    void refusedRowDoesNotHoldUpTheRest() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("refused.sqlite"));
        storage::EventWriterOptions options;
        options.retryDelayMs = 10;
        options.maxRetryDelayMs = 20;
        storage::EventWriter writer(path, options);
        QCOMPARE(writer.start(), QString());
        storage::ExposureRecord exposure;
        exposure.experimentId = 4;
        exposure.variant = QStringLiteral("a");
        exposure.userId = 1;
        exposure.route = QStringLiteral("/recommend_collaborative");
        exposure.items = {1, 2};
        exposure.servedAtMs = 1'700'000'000'000;
        exposure.exposureId = 21;
        writer.enqueue(exposure);
        QVERIFY(writer.flush(10'000));
        storage::ExposureRecord duplicate = exposure;  // same primary key: refused
        storage::ExposureRecord next = exposure;
        next.exposureId = 22;
        writer.enqueue(duplicate);
        writer.enqueue(next);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("refused exposure 21 .*dropped")));
        QVERIFY(writer.flush(10'000));
        const storage::EventWriterStats stats = writer.stats();
        QCOMPARE(stats.rejected, 1);
        QCOMPARE(stats.exposuresWritten, 2);
        QCOMPARE(stats.pending, 0);
        storage::Database database(path, QStringLiteral("refused_check"));
        QVERIFY(!database.open().isValid());
        std::vector<storage::ExposureRecord> stored;
        QVERIFY(!experiments::ExperimentStore(database).exposuresOf(4, stored).isValid());
        QCOMPARE(stored.size(), std::size_t{2});
    }

    void attributesToLatestListShowingTitle() {
        RecentExposures recent(100, 16);
        recent.add(unit(1), shown(1, {10, 20, 30}));
        recent.add(unit(1), shown(2, {40, 20}));
        recent.add(unit(2), shown(3, {30}));
        const auto twenty = recent.attribute(unit(1), 20, 2000, 10'000);
        QVERIFY(twenty);
        QCOMPARE(twenty->exposureId, 2);
        QCOMPARE(twenty->position, 2);
        QCOMPARE(twenty->experimentId, 7);
        QCOMPARE(twenty->variant, QStringLiteral("b"));
        const auto thirty = recent.attribute(unit(1), 30, 2000, 10'000);
        QVERIFY(thirty);
        QCOMPARE(thirty->exposureId, 1);
        QCOMPARE(thirty->position, 3);
        QVERIFY(!recent.attribute(unit(1), 99, 2000, 10'000));           // never shown
        QVERIFY(!recent.attribute(unit(3), 30, 2000, 10'000));           // unknown unit
        QVERIFY(!recent.attribute(unit(1), 20, 1000 + 10'001, 10'000));  // outside the window
    }

    void keepsLatestExposuresPerUnit() {
        RecentExposures recent(100, 3);
        for (qint64 id = 1; id <= 5; ++id) recent.add(unit(1), shown(id, {id * 100}));
        for (qint64 id = 1; id <= 2; ++id) QVERIFY(!recent.attribute(unit(1), id * 100, 1000, 1));
        for (qint64 id = 3; id <= 5; ++id) {
            const auto attributed = recent.attribute(unit(1), id * 100, 1000, 1);
            QVERIFY(attributed);
            QCOMPARE(attributed->exposureId, id);
        }
    }

    void boundedUnits_data() {
        QTest::addColumn<int>("maxUnits");
        QTest::addColumn<int>("units");
        QTest::addRow("fits") << 10 << 5;
        QTest::addRow("one generation over") << 10 << 12;
        QTest::addRow("long soak") << 64 << 10'000;
        QTest::addRow("odd cap") << 7 << 100;
    }
    void boundedUnits() {
        QFETCH(int, maxUnits);
        QFETCH(int, units);
        RecentExposures recent(static_cast<std::size_t>(maxUnits), 4);
        for (int n = 0; n < units; ++n) {
            recent.add(unit(n), shown(n + 1, {n + 1000}));
            QVERIFY2(
                recent.unitCount() <= static_cast<std::size_t>(maxUnits),
                qPrintable(
                    QStringLiteral("%1 units kept after %2").arg(recent.unitCount()).arg(n + 1)));
        }
        // The latest maxUnits / 2 units served are always attributable, with the right exposure.
        const int kept = std::min(units, maxUnits / 2);
        for (int n = units - kept; n < units; ++n) {
            const auto attributed = recent.attribute(unit(n), n + 1000, 1000, 1);
            QVERIFY2(attributed, qPrintable(unit(n)));
            QCOMPARE(attributed->exposureId, n + 1);
        }
        if (units > maxUnits) QVERIFY(!recent.attribute(unit(0), 1000, 1000, 1));  // forgotten
    }

    void servedAgainStaysAttributable() {
        // A unit served again within every maxUnits / 2 other units survives any number of
        // generations, its earlier exposures included.
        RecentExposures recent(32, 16);
        recent.add(unit(0), shown(1, {5}));
        for (int n = 1; n <= 150; ++n) {
            recent.add(unit(n), shown(n + 1, {n + 1000}));
            if (n % 15 == 0) recent.add(unit(0), shown(1000 + n, {6}));
        }
        const auto first = recent.attribute(unit(0), 5, 1000, 1);
        QVERIFY(first);
        QCOMPARE(first->exposureId, 1);
        QVERIFY(recent.unitCount() <= 32);
        QVERIFY(!recent.attribute(unit(1), 1001, 1000, 1));  // not served again: forgotten
    }

    void writerStoresEveryField() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("events.sqlite"));
        std::vector<storage::ExposureRecord> exposures(2);
        exposures[0].exposureId = 11;
        exposures[0].experimentId = 3;
        exposures[0].variant = QStringLiteral("ease");
        exposures[0].userId = 42;
        exposures[0].route = QStringLiteral("/recommend_collaborative");
        exposures[0].model = QStringLiteral("ease");
        exposures[0].modelVersion = QStringLiteral("v1");
        exposures[0].items = {5114, 9253, 1};
        exposures[0].servedAtMs = 1'700'000'000'123;
        exposures[1] = exposures[0];
        exposures[1].exposureId = 12;
        exposures[1].userId.reset();
        exposures[1].sessionId = QStringLiteral("s-é1");  // non-ASCII survives
        exposures[1].items = {};
        storage::FeedbackRecord rate;
        rate.userId = 42;
        rate.animeId = 9253;
        rate.event = storage::FeedbackEvent::Rate;
        rate.value = 8.0;
        rate.createdAtMs = 1'700'000'001'000;
        rate.exposureId = 11;
        rate.experimentId = 3;
        rate.variant = QStringLiteral("ease");
        rate.position = 2;
        storage::FeedbackRecord click;
        click.sessionId = QStringLiteral("s-é1");
        click.animeId = 77;
        click.experimentId = 3;
        click.createdAtMs = 1'700'000'002'000;
        {
            storage::EventWriter writer(path);
            QCOMPARE(writer.start(), QString());
            for (const auto& exposure : exposures) writer.enqueue(exposure);
            writer.enqueue(rate);
            writer.enqueue(click);
            QVERIFY(writer.flush(10'000));
            QCOMPARE(writer.stats().exposuresWritten, 2);
            QCOMPARE(writer.stats().feedbackWritten, 2);
        }
        storage::Database database(path, QStringLiteral("recent_exposures_check"));
        QVERIFY(!database.open().isValid());
        experiments::ExperimentStore store(database);
        std::vector<storage::ExposureRecord> stored;
        QVERIFY(!store.exposuresOf(3, stored).isValid());
        QCOMPARE(stored.size(), std::size_t{2});
        std::sort(stored.begin(), stored.end(),
                  [](const auto& a, const auto& b) { return a.exposureId < b.exposureId; });
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(stored[i].exposureId, exposures[i].exposureId);
            QCOMPARE(stored[i].variant, exposures[i].variant);
            QCOMPARE(stored[i].userId, exposures[i].userId);
            QCOMPARE(stored[i].sessionId, exposures[i].sessionId);
            QCOMPARE(stored[i].route, exposures[i].route);
            QCOMPARE(stored[i].model, exposures[i].model);
            QCOMPARE(stored[i].modelVersion, exposures[i].modelVersion);
            QCOMPARE(stored[i].items, exposures[i].items);
            QCOMPARE(stored[i].servedAtMs, exposures[i].servedAtMs);
        }
        std::vector<storage::FeedbackRecord> feedback;
        QVERIFY(!store.feedbackOf(3, feedback).isValid());
        QCOMPARE(feedback.size(), std::size_t{2});
        std::sort(feedback.begin(), feedback.end(),
                  [](const auto& a, const auto& b) { return a.createdAtMs < b.createdAtMs; });
        QCOMPARE(feedback[0].userId, rate.userId);
        QCOMPARE(feedback[0].animeId, rate.animeId);
        QCOMPARE(feedback[0].event, rate.event);
        QCOMPARE(feedback[0].value, rate.value);
        QCOMPARE(feedback[0].exposureId, rate.exposureId);
        QCOMPARE(feedback[0].variant, rate.variant);
        QCOMPARE(feedback[0].position, rate.position);
        QCOMPARE(feedback[1].sessionId, click.sessionId);
        QVERIFY(!feedback[1].userId);
        QVERIFY(!feedback[1].value);
        QCOMPARE(feedback[1].exposureId, 0);
        QCOMPARE(feedback[1].position, 0);
        // The rating also became the user's interaction (a click does not).
        QSqlQuery query(database.connection());
        QVERIFY(query.exec(
            QStringLiteral("SELECT user_id, anime_id, rating, status FROM UserAnimeInteractions")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 42);
        QCOMPARE(query.value(1).toLongLong(), 9253);
        QCOMPARE(query.value(2).toLongLong(), 8);
        QVERIFY(query.value(3).isNull());
        QVERIFY(!query.next());
    }
};

QTEST_GUILESS_MAIN(TestAbRecentExposures)
#include "test_ab_recent_exposures.moc"

// The online quality view (service/quality_monitor.h) over a real server: sampled lists and
// feedback sent over sockets give one CTR@K and one interval, read back from GET /quality, from
// GET /metrics and from the A/B report's statistics over the logged exposures; cache, cold-start
// and drift shares; and the sliding windows under a moving clock.
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "experiments/ab_report.h"
#include "experiments/experiment_runtime.h"
#include "experiments/experiment_store.h"
#include "http/api_server.h"
#include "http_test_fixture.h"
#include "service/metrics_registry.h"
#include "service/quality_monitor.h"
#include "service/request_log.h"
#include "storage/database.h"
#include "storage_test_backend.h"

using namespace animerec;
using namespace animerec::testing;
using service::ModelRole;

namespace {

// The value of one sample of GET /metrics, NaN when absent.
double sample(const QByteArray& metrics, const QString& name, const QString& labels) {
    const QRegularExpression line(
        QStringLiteral("^%1\\{%2\\} (\\S+)$")
            .arg(QRegularExpression::escape(name), QRegularExpression::escape(labels)),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromUtf8(metrics));
    return match.hasMatch() ? match.captured(1).toDouble() : std::nan("");
}

QJsonObject groupOf(const QJsonObject& quality, const QString& route, const QString& model) {
    for (const QJsonValue& group : quality.value("groups").toArray())
        if (group.toObject().value("route").toString() == route &&
            group.toObject().value("model").toString() == model)
            return group.toObject();
    return {};
}

QByteArray itemsBody(std::int64_t user) {
    return QStringLiteral(R"({"user_id": %1})").arg(user).toUtf8();
}

}  // namespace

class TestQualityView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void oneCtrThreeViews();
    void windowsSlideWithTheClock();

private:
    HttpReply call(const QByteArray& method, const QByteArray& path, const QByteArray& body = {}) {
        return request(port_, method, path, body);
    }

    QTemporaryDir dir_;
    testing::StorageTestBackend backend_;
    std::shared_ptr<Dataset> data_;
    std::unique_ptr<service::ModelRegistry> registry_;
    std::unique_ptr<service::RecommendService> service_;
    std::unique_ptr<experiments::ExperimentRuntime> experiments_;
    std::unique_ptr<service::MetricsRegistry> metrics_;
    std::unique_ptr<service::RequestLog> log_;
    std::unique_ptr<service::QualityMonitor> quality_;
    std::unique_ptr<http::ApiServer> server_;
    quint16 port_ = 0;
};

void TestQualityView::initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = makeDataset();
    registry_ = std::make_unique<service::ModelRegistry>();
    registry_->install(ModelRole::Collaborative, std::make_shared<FixedCollaborative>(),
                       "fixed-v1");
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
    QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
    experiments_ = std::make_unique<experiments::ExperimentRuntime>(
        backend_.freshLocation(dir_, "quality.sqlite"), data_);
    const QString error = experiments_->open();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString stored = testing::StorageTestBackend::storeCatalogIds(
        experiments_->database().connection(), data_->catalog);
    QVERIFY2(stored.isEmpty(), qPrintable(stored));
    // Every second list outside experiments is logged: CTR must count only those.
    experiments_->setDefaultExposureSample(0.5);
    service_->setRecentHistory(experiments_->recentHistory());
    metrics_ = std::make_unique<service::MetricsRegistry>();
    log_ = std::make_unique<service::RequestLog>(
        service::RequestLogOptions{{}, 1, 1, service::LogLevel::Off, false});
    quality_ = std::make_unique<service::QualityMonitor>(data_);
    http::ApiOptions options;
    options.experiments = experiments_.get();
    options.quality = quality_.get();
    server_ = std::make_unique<http::ApiServer>(*service_, *metrics_, *log_, nullptr, options);
    port_ = server_->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port_ != 0);
}

void TestQualityView::cleanupTestCase() {
    server_.reset();
    experiments_.reset();
}

void TestQualityView::oneCtrThreeViews() {
    // Users 1..5 are in the training data, 90 and 91 are not (cold start, no popularity model:
    // the model-free count ranking, model "interaction_counts"). Each asks twice: the second answer
    // comes from the cache, and with one list in two sampled, each user's first list is the logged
    // one.
    const std::vector<std::int64_t> users{1, 2, 3, 4, 5, 90, 91};
    std::map<std::int64_t, QJsonArray> lists;
    for (const std::int64_t user : users)
        for (int i = 0; i < 2; ++i) {
            const HttpReply reply = call("POST", "/recommend_collaborative", itemsBody(user));
            QCOMPARE(reply.status, 200);
            lists[user] = reply.json().value("items").toArray();
            QVERIFY(lists[user].size() >= 3);
        }
    const auto item = [&](std::int64_t user, int position) {
        return lists[user][position - 1].toObject().value("anime_id").toInteger();
    };
    const auto feedback = [&](std::int64_t user, std::int64_t anime, const char* event,
                              const char* extra = "") {
        return call("POST", "/feedback",
                    QStringLiteral(R"({"user_id": %1, "anime_id": %2, "event": "%3"%4})")
                        .arg(user)
                        .arg(anime)
                        .arg(QLatin1String(event), QLatin1String(extra))
                        .toUtf8())
            .status;
    };
    // Clicked lists: users 1 (twice on one list: counted once), 2 (and watched), 3 (a rating),
    // 90. Not clicked: 4, 5, 91. A click on a title never shown to user 4 is not attributed.
    QCOMPARE(feedback(1, item(1, 1), "click"), 202);
    QCOMPARE(feedback(1, item(1, 2), "click"), 202);
    QCOMPARE(feedback(2, item(2, 3), "watch"), 202);
    QCOMPARE(feedback(3, item(3, 2), "rate", R"(, "value": 8)"), 202);
    QCOMPARE(feedback(90, item(90, 1), "complete"), 202);
    std::int64_t unseen = 0;
    for (int i = 0; i < data_->catalog.size() && unseen == 0; ++i) {
        const std::int64_t id = data_->catalog.idAt(i);
        bool shown = false;
        for (const QJsonValue& entry : lists[4])
            shown |= entry.toObject().value("anime_id").toInteger() == id;
        if (!shown) unseen = id;
    }
    QVERIFY(unseen != 0);
    QCOMPARE(feedback(4, unseen, "click"), 202);
    QCOMPARE(feedback(5, 999999, "click"), 404);  // a title outside the catalogue: drift

    // View 1: GET /quality.
    const HttpReply qualityReply = call("GET", "/quality");
    QCOMPARE(qualityReply.status, 200);
    const QJsonObject quality = qualityReply.json();
    QCOMPARE(quality.value("scope").toString(), QString("replica"));
    const QJsonObject overall = quality.value("overall").toObject().value("total").toObject();
    QCOMPARE(overall.value("lists").toInteger(), qint64(14));
    QCOMPARE(overall.value("sampled").toInteger(), qint64(7));
    QCOMPARE(overall.value("clicked").toInteger(), qint64(4));
    QCOMPARE(overall.value("watched").toInteger(), qint64(2));  // user 2's watch, 90's complete
    QCOMPARE(overall.value("completed").toInteger(), qint64(1));
    QCOMPARE(overall.value("mean_rating").toDouble(), 8.0);
    QCOMPARE(overall.value("cache_hit_rate").toDouble(), 0.5);
    QCOMPARE(overall.value("drift").toObject().value("new_user_share").toDouble(), 4.0 / 14.0);
    QCOMPARE(overall.value("drift").toObject().value("unknown_title_share").toDouble(), 1.0 / 7.0);
    const QJsonObject fixed =
        groupOf(quality, "/recommend_collaborative", "fixed").value("windows").toObject();
    QVERIFY(!fixed.isEmpty());
    const QJsonObject fixedTotal = fixed.value("total").toObject();
    QCOMPARE(fixedTotal.value("sampled").toInteger(), qint64(5));
    QCOMPARE(fixedTotal.value("clicked").toInteger(), qint64(3));
    QCOMPARE(fixedTotal.value("cold_start_share").toDouble(), 0.0);
    // The new users' lists are the cold-start popular answer.
    const QJsonObject cold = groupOf(quality, "/recommend_collaborative", "interaction_counts")
                                 .value("windows")
                                 .toObject()
                                 .value("total")
                                 .toObject();
    QCOMPARE(cold.value("cold_start").toObject().value("popular").toDouble(), 1.0);
    // Everything happened in the last five minutes.
    QCOMPARE(fixed.value("5m").toObject().value("ctr").toDouble(),
             fixedTotal.value("ctr").toDouble());

    // View 2: GET /metrics (this replica's gauges).
    const HttpReply metricsReply = call("GET", "/metrics");
    QCOMPARE(metricsReply.status, 200);
    const QString labels = QStringLiteral(
        R"(route="/recommend_collaborative",role="collaborative",model="fixed",version="fixed-v1",window="total")");
    const double metricsCtr = sample(metricsReply.body, "animerec_quality_ctr", labels);
    const double metricsLow = sample(metricsReply.body, "animerec_quality_ctr_ci_low", labels);
    const double metricsHigh = sample(metricsReply.body, "animerec_quality_ctr_ci_high", labels);
    const QString counterLabels = labels.left(labels.lastIndexOf(u','));
    QCOMPARE(sample(metricsReply.body, "animerec_quality_sampled_total", counterLabels), 5.0);
    // The first series of the quality part too (the text after it must not overwrite it).
    QCOMPARE(sample(metricsReply.body, "animerec_quality_lists_total", counterLabels), 10.0);
    QVERIFY(metricsReply.body.contains("animerec_database_available 1"));

    // View 3: the A/B report's statistics over the exposures and feedback in the database.
    QVERIFY(experiments_->flush());
    experiments::ExperimentStore store(experiments_->database());
    std::vector<storage::ExposureRecord> exposures, fixedExposures;
    std::vector<storage::FeedbackRecord> events;
    QVERIFY(!store.exposuresOf(0, exposures).isValid());
    QVERIFY(!store.feedbackOf(0, events).isValid());
    QCOMPARE(exposures.size(), std::size_t(7));
    for (const auto& exposure : exposures)
        if (exposure.model == QLatin1String("fixed")) fixedExposures.push_back(exposure);
    experiments::ExperimentDefinition sampled;
    sampled.variants.push_back(
        {QString::fromLatin1(storage::kDefaultVariant), ModelRole::Collaborative, {}, {}, 1.0});
    const auto all = experiments::buildReport(sampled, exposures, events);
    const auto onlyFixed = experiments::buildReport(sampled, fixedExposures, events);
    QCOMPARE(all.variants[0].clicked, qint64(4));

    // One computation, three views: equal to the last bit where JSON carries doubles, and to the
    // printed precision in the text format.
    QCOMPARE(overall.value("ctr").toDouble(), all.variants[0].ctr);
    QCOMPARE(overall.value("ctr_ci_low").toDouble(), all.variants[0].ctrInterval.low);
    QCOMPARE(overall.value("ctr_ci_high").toDouble(), all.variants[0].ctrInterval.high);
    QCOMPARE(fixedTotal.value("ctr").toDouble(), onlyFixed.variants[0].ctr);
    QCOMPARE(fixedTotal.value("ctr").toDouble(), 3.0 / 5.0);
    QCOMPARE(fixedTotal.value("ctr_ci_low").toDouble(), onlyFixed.variants[0].ctrInterval.low);
    QCOMPARE(fixedTotal.value("ctr_ci_high").toDouble(), onlyFixed.variants[0].ctrInterval.high);
    QVERIFY(std::fabs(metricsCtr - onlyFixed.variants[0].ctr) < 1e-8);
    QVERIFY(std::fabs(metricsLow - onlyFixed.variants[0].ctrInterval.low) < 1e-8);
    QVERIFY(std::fabs(metricsHigh - onlyFixed.variants[0].ctrInterval.high) < 1e-8);
    QCOMPARE(all.variants[0].watched, overall.value("watched").toInteger());
    QCOMPARE(all.variants[0].completed, overall.value("completed").toInteger());
    QCOMPARE(all.variants[0].meanRating.value_or(-1), overall.value("mean_rating").toDouble());
}

void TestQualityView::windowsSlideWithTheClock() {
    qint64 now = 1'700'000'000'000;
    service::QualityMonitor monitor(data_, [&now] { return now; });
    service::ServedList list;
    list.route = "/recommend_collaborative";
    list.role = "collaborative";
    list.model = "fixed";
    list.version = "v1";
    list.items = {100, 101};
    list.sampledExposureId = 1;
    monitor.recordList(list);
    now += 10 * 60 * 1000;  // ten minutes later: a second list, and a click on the first
    list.sampledExposureId = 2;
    list.items = {102};
    monitor.recordList(list);
    monitor.recordFeedback({100, ListFeedback::Click, std::nullopt, 1, 1});
    const auto window = [&](const char* name) {
        return monitor.toJson().value("overall").toObject().value(name).toObject();
    };
    QCOMPARE(window("5m").value("lists").toInteger(), qint64(1));
    // The click belongs to the list, so to the minute it was served: not in the last 5 minutes.
    QCOMPARE(window("5m").value("clicked").toInteger(), qint64(0));
    QCOMPARE(window("1h").value("clicked").toInteger(), qint64(1));
    QCOMPARE(window("1h").value("ctr").toDouble(), 0.5);
    QCOMPARE(window("5m").value("distinct_items").toInteger(), qint64(1));
    QCOMPARE(window("1h").value("distinct_items").toInteger(), qint64(3));
    QCOMPARE(window("1h").value("coverage").toDouble(), 3.0 / 12.0);
    now += 2 * 3600 * 1000;
    QCOMPARE(window("1h").value("lists").toInteger(), qint64(0));
    QVERIFY(window("1h").value("ctr").isNull());  // no sampled list: no rate
    QCOMPARE(window("24h").value("lists").toInteger(), qint64(2));
    now += 24 * 3600 * 1000;
    QCOMPARE(window("24h").value("lists").toInteger(), qint64(0));
    QCOMPARE(window("total").value("lists").toInteger(), qint64(2));
    QCOMPARE(window("total").value("clicked").toInteger(), qint64(1));
}

QTEST_MAIN(TestQualityView)
#include "test_quality_view.moc"

// A/B reports: the numbers of buildReport() on a hand-made log, and the replay simulator picking
// the better model on real P1 data.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <algorithm>

#include "eval/ab_statistics.h"
#include "experiments/ab_report.h"
#include "experiments/replay_simulator.h"
#include "models/model_factory.h"
#include "models/recommender.h"
#include "real_protocols.h"

using namespace animerec;
using service::ModelRole;

namespace {

experiments::ExperimentDefinition parsed(const QJsonObject& json) {
    auto result = experiments::definitionFromJson(json);
    if (const auto* error = std::get_if<experiments::DefinitionError>(&result))
        qFatal("definition rejected: %s", qPrintable(error->message));
    return std::get<experiments::ExperimentDefinition>(result);
}

QJsonObject twoArms(const QString& name) {
    return {{"name", name},
            {"variants", QJsonArray{QJsonObject{{"name", "control"}, {"role", "collaborative"}},
                                    QJsonObject{{"name", "session"}, {"role", "session"}}}}};
}

}  // namespace

class TestAbReport : public QObject {
    Q_OBJECT

private slots:
    void reportOnCraftedLog();
    void simulatorPicksTheBetterModel();
};

void TestAbReport::reportOnCraftedLog() {
    experiments::ExperimentDefinition experiment = parsed(twoArms("crafted"));
    experiment.id = 7;
    const qint64 t0 = 1'700'000'000'000 / 3'600'000 * 3'600'000;  // on an hour boundary
    std::vector<storage::ExposureRecord> exposures;
    // control: 4 exposures at hour 0, session: 4 exposures, two at hour 0 and two at hour 1.
    for (int i = 0; i < 8; ++i) {
        storage::ExposureRecord e;
        e.exposureId = i + 1;
        e.experimentId = 7;
        e.variant = i < 4 ? "control" : "session";
        e.userId = i;
        e.items =
            i < 4 ? std::vector<qint64>{100, 101, 102} : std::vector<qint64>{103 + i % 2, 110, 111};
        e.servedAtMs = t0 + (i >= 6 ? 3'600'000 : 0) + i;
        exposures.push_back(e);
    }
    const auto event = [](qint64 exposure, int position, storage::FeedbackEvent kind,
                          std::optional<double> value = {}) {
        storage::FeedbackRecord f;
        f.exposureId = exposure;
        f.experimentId = 7;
        f.position = position;
        f.event = kind;
        f.value = value;
        return f;
    };
    using E = storage::FeedbackEvent;
    const std::vector<storage::FeedbackRecord> feedback{
        event(1, 1, E::Click),     event(1, 1, E::Watch),
        event(1, 1, E::Rate, 6.0),  // control: 1 click
        event(5, 1, E::Click),     event(5, 1, E::Complete),
        event(5, 1, E::Rate, 9.0), event(6, 3, E::Click),  // beyond K = 2: no click
        event(7, 2, E::Watch),     event(8, 1, E::Click),
        event(8, 1, E::Rate, 7.0), event(99, 1, E::Click)};  // no such exposure
    experiments::ReportOptions options;
    options.k = 2;
    options.catalogueSize = 12;
    options.bucket = "hour";
    const experiments::AbReport report =
        experiments::buildReport(experiment, exposures, feedback, options);
    QCOMPARE(report.variants.size(), std::size_t(2));
    const auto& control = report.variants[0];
    const auto& session = report.variants[1];
    QCOMPARE(control.exposures, 4);
    QCOMPARE(control.clicked, 1);
    QCOMPARE(control.ctr, 0.25);
    QCOMPARE(control.watchRate, 0.25);
    QCOMPARE(control.completionRate, 0.0);
    QCOMPARE(*control.meanRating, 6.0);
    QCOMPARE(control.distinctItems, 2);  // 100, 101 in the top 2
    QCOMPARE(*control.coverage, 2.0 / 12.0);
    QCOMPARE(session.clicked, 3);  // exposures 5, 7 (a watch at position 2), 8
    QCOMPARE(session.ctr, 0.75);
    QCOMPARE(session.watchRate, 0.5);  // 5 (complete) and 7
    QCOMPARE(session.completionRate, 0.25);
    QCOMPARE(*session.meanRating, 8.0);
    QCOMPARE(session.distinctItems, 3);  // 103, 104, 110
    QCOMPARE(report.unattributedFeedback, 1);
    // The CTR comparison is the z-test on 1/4 vs 3/4.
    const ProportionTest expected = twoProportionZTest(1, 4, 3, 4);
    const auto ctr = std::find_if(report.comparisons.begin(), report.comparisons.end(),
                                  [](const auto& c) { return c.metric == "ctr"; });
    QVERIFY(ctr != report.comparisons.end());
    QCOMPARE(ctr->difference, 0.5);
    QCOMPARE(*ctr->z, expected.z);
    QCOMPARE(*ctr->pValue, expected.pValue);
    QVERIFY(ctr->bootstrapInterval->low <= 0.5 && ctr->bootstrapInterval->high >= 0.5);
    QVERIFY(!ctr->significant);  // 8 exposures prove nothing
    QVERIFY(report.winner.isEmpty());
    QVERIFY(report.sampleSizePerVariant.has_value());
    QCOMPARE(*report.sampleSizePerVariant, sampleSizePerVariant(0.25, 0.1, 0.05, 0.8));
    // Timeline: control one hourly point; session two with CTR 1/2... (exposures 5, 6 | 7, 8).
    QCOMPARE(report.timeline[0].size(), std::size_t(1));
    QCOMPARE(report.timeline[1].size(), std::size_t(2));
    QCOMPARE(report.timeline[1][0].ctr, 0.5);
    QCOMPARE(report.timeline[1][1].ctr, 1.0);
    QCOMPARE(report.timeline[1][1].startMs - report.timeline[1][0].startMs, qint64(3'600'000));
    const QJsonObject json = experiments::toJson(report);
    QCOMPARE(json.value("variants").toArray().at(1).toObject().value("ctr").toDouble(), 0.75);
    QCOMPARE(json.value("timeline").toObject().value("bucket").toString(), QString("hour"));
    QCOMPARE(json.value("sample_size").toObject().value("per_variant").toInteger(),
             *report.sampleSizePerVariant);
}

void TestAbReport::simulatorPicksTheBetterModel() {
    // P1 (CooperUnion union, users with >= 5 events, 20% per-user holdout, seed 42), replayed for
    // the first 600 test users: EASE must beat popularity, and the report must say so.
    QElapsedTimer timer;
    timer.start();
    const Dataset all = real::cooperUnionUnion();
    Split split = real::p1Split(all);
    int kept = 0;
    for (HeldOut& heldOut : split.test)
        if (!heldOut.items.empty() && ++kept > 600) heldOut = {};
    const Dataset train{all.catalog, split.train};
    std::shared_ptr<Recommender> ease = createRecommender("ease", {{"max_items", 1500}});
    ease->fit(train);
    std::shared_ptr<Recommender> popularity = createRecommender("popularity");
    popularity->fit(train);
    const std::vector<experiments::SimulationArm> arms{
        {"popularity", ModelRole::Popularity, popularity, "fit"},
        {"ease", ModelRole::Collaborative, ease, "fit"}};
    const experiments::Simulation simulation =
        experiments::simulateReplay(all.catalog, split, arms);
    QCOMPARE(simulation.exposures.size(), std::size_t(2 * 600));
    experiments::ReportOptions options;
    options.catalogueSize = all.catalog.size();
    const experiments::AbReport report = experiments::buildReport(
        simulation.experiment, simulation.exposures, simulation.feedback, options);
    const auto& pop = report.variants[0];
    const auto& easeSummary = report.variants[1];
    qInfo(
        "replay (%lld ms): popularity CTR@10 %.3f watch %.3f coverage %.4f | ease CTR@10 %.3f "
        "watch %.3f coverage %.4f",
        static_cast<long long>(timer.elapsed()), pop.ctr, pop.watchRate, pop.coverage.value_or(0),
        easeSummary.ctr, easeSummary.watchRate, easeSummary.coverage.value_or(0));
    QVERIFY(easeSummary.ctr > pop.ctr);
    QCOMPARE(report.winner, QString("ease"));
    const auto ctr = std::find_if(report.comparisons.begin(), report.comparisons.end(),
                                  [](const auto& c) { return c.metric == "ctr"; });
    QVERIFY(ctr->significant && ctr->waldInterval->low > 0.0 && ctr->bootstrapInterval->low > 0.0);
    QVERIFY(easeSummary.distinctItems > pop.distinctItems);  // personal lists cover more titles
}

QTEST_APPLESS_MAIN(TestAbReport)
#include "test_ab_report.moc"

// The models tuned on a validation split of P1's train part (bench_collaborative tuned: EASE
// with a lighter ridge and emphasised denoising, RP3beta, the EASE + RP3beta blend), checked on
// the real CooperUnion data with a holdout seed (7) other than the P1 seed (42): each must rank
// far above popularity, and tuned EASE must reach default EASE's figure less a small margin.
#include <QTest>
#include <chrono>

#include "eval/evaluator.h"
#include "eval/split.h"
#include "models/model_factory.h"
#include "real_protocols.h"

using namespace animerec;

Q_DECLARE_METATYPE(animerec::ModelParameters)

namespace {

constexpr std::uint64_t kSeed = 7;
// What bench_collaborative's validation search chose for EASE on P1's train part.
const ModelParameters kTunedEase{{"lambda", 100}, {"dropout", 0.25}};
// The published reference configuration (numpy EASE, lambda 200, no dropout): the bar to clear.
const ModelParameters kReferenceEase{{"lambda", 200}, {"dropout", 0}};

struct Fixture {
    Dataset all;
    Split split;
    Dataset train;
};

// Every second user of the P1 union (to keep the test fast), 20% per-user holdout, seed 7: the
// same data as test_collaborative_quality.
const Fixture& fixture() {
    static const Fixture data = [] {
        const Dataset full = real::cooperUnionUnion();
        Interactions::Builder builder(full.catalog.size());
        for (int user = 0; user < full.interactions.userCount(); user += 2)
            for (const Event& event : full.interactions.historyOf(user))
                builder.add(full.interactions.userIdAt(user), event);
        Fixture f{Dataset{full.catalog, std::move(builder).build()}, {}, {}};
        HoldoutOptions holdout;
        holdout.seed = kSeed;
        f.split = holdoutSplit(f.all.interactions, holdout);
        f.train = Dataset{f.all.catalog, f.split.train};
        return f;
    }();
    return data;
}

ModelReport evaluate(const std::string& family, const ModelParameters& parameters = {}) {
    const auto& f = fixture();
    auto model = createRecommender(family, parameters);
    const auto start = std::chrono::steady_clock::now();
    model->fit(f.train);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EvaluatorOptions options = real::protocolOptions();
    options.curveMaxK = 0;
    const Evaluator evaluator(f.split, f.all.catalog, options);
    ModelReport report = evaluator.evaluate(*model);
    qInfo("%s: ndcg@10 %.4f recall@10 %.4f (fit %.1f s)", family.c_str(),
          report.metrics.at("ndcg@10"), report.metrics.at("recall@10"), seconds);
    return report;
}

}  // namespace

class TestBlendQuality : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(fixture().split.testUserCount() > 2500, "expected about 2,700 evaluated users");
        popularity_ = evaluate("popularity");
        ease_ = evaluate("ease", kReferenceEase);
        QVERIFY(popularity_.metrics.at("ndcg@10") > 0.1);
    }

    // Floors sit ~0.03 under what each reaches here (tuned EASE 0.473, the blend 0.454, RP3beta
    // 0.365, popularity 0.178 NDCG@10). Tuned EASE must hold EASE's figure within the noise of
    // one 2,700-user holdout; the blend and RP3beta trail EASE on this data (as on validation),
    // so they only must not trail by more than they do now.
    void ranksWithEase_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<ModelParameters>("parameters");
        QTest::addColumn<double>("ndcgFloor");
        QTest::addColumn<double>("recallFloor");
        QTest::addColumn<double>("overPopularity");
        QTest::addColumn<double>("marginUnderEase");
        QTest::addRow("tuned ease") << "ease" << kTunedEase << 0.44 << 0.42 << 0.25 << 0.005;
        QTest::addRow("ease_rp3") << "ease_rp3" << ModelParameters{} << 0.42 << 0.40 << 0.22
                                  << 0.03;
        QTest::addRow("rp3beta") << "rp3beta" << ModelParameters{} << 0.33 << 0.32 << 0.15 << 0.14;
    }

    void ranksWithEase() {
        QFETCH(QString, family);
        QFETCH(ModelParameters, parameters);
        QFETCH(double, ndcgFloor);
        QFETCH(double, recallFloor);
        QFETCH(double, overPopularity);
        QFETCH(double, marginUnderEase);
        const ModelReport report = evaluate(family.toStdString(), parameters);
        const double ndcg = report.metrics.at("ndcg@10"), recall = report.metrics.at("recall@10");
        QVERIFY2(ndcg >= ndcgFloor, "NDCG@10 below its floor");
        QVERIFY2(recall >= recallFloor, "Recall@10 below its floor");
        QVERIFY2(ndcg > popularity_.metrics.at("ndcg@10") + overPopularity,
                 "NDCG@10 too close to popularity");
        QVERIFY2(ndcg >= ease_.metrics.at("ndcg@10") - marginUnderEase,
                 "NDCG@10 fell behind EASE by more than the margin");
        QVERIFY2(recall >= ease_.metrics.at("recall@10") - marginUnderEase,
                 "Recall@10 fell behind EASE by more than the margin");
    }

private:
    ModelReport popularity_;
    ModelReport ease_;
};

QTEST_APPLESS_MAIN(TestBlendQuality)
#include "test_blend_quality.moc"

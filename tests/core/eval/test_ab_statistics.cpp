// A/B statistics against values worked out by hand (and checked with an independent normal
// table): the Wilson interval of one rate, the two-proportion z-test, the bootstrap interval of a
// difference and the sample size.
#include <QTest>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "eval/ab_statistics.h"

using namespace animerec;

class TestAbStatistics : public QObject {
    Q_OBJECT

private slots:
    void normalQuantile_data() {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        QTest::addRow("median") << 0.5 << 0.0;
        QTest::addRow("97.5%%") << 0.975 << 1.9599639845400536;
        QTest::addRow("80%%") << 0.8 << 0.8416212335729144;
        QTest::addRow("lower tail 0.1%%") << 0.001 << -3.090232306167813;
        QTest::addRow("far upper tail") << 0.999999 << 4.753424308817089;
    }
    void normalQuantile() {
        QFETCH(double, p);
        QFETCH(double, expected);
        QVERIFY2(std::fabs(animerec::normalQuantile(p) - expected) < 1e-9,
                 qPrintable(QString::number(animerec::normalQuantile(p), 'g', 17)));
        QVERIFY(std::fabs(normalCdf(expected) - p) < 1e-12);
    }

    // Rows: successes/trials of A and B, confidence, then z, two-sided p and the Wald interval.
    // 200/1000 vs 250/1000: pooled p = 0.225, SE = sqrt(0.225 * 0.775 * 0.002) = 0.0186748,
    // z = 0.05 / 0.0186748 = 2.67740; unpooled SE = sqrt(0.16/1000 + 0.1875/1000) = 0.0186414,
    // interval 0.05 -+ 1.959964 * 0.0186414.
    // Newcombe, "Two-sided confidence intervals for the single proportion" (Stat. Med. 1998),
    // Table I, method 3 (Wilson score, no continuity correction), to the four decimals printed.
    void wilsonInterval_data() {
        QTest::addColumn<qint64>("successes");
        QTest::addColumn<qint64>("trials");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addRow("81/263") << qint64(81) << qint64(263) << 0.2553 << 0.3662;
        QTest::addRow("15/148") << qint64(15) << qint64(148) << 0.0624 << 0.1605;
        QTest::addRow("0/20") << qint64(0) << qint64(20) << 0.0 << 0.1611;
        QTest::addRow("1/29") << qint64(1) << qint64(29) << 0.0061 << 0.1718;
    }
    void wilsonInterval() {
        QFETCH(qint64, successes);
        QFETCH(qint64, trials);
        QFETCH(double, low);
        QFETCH(double, high);
        const ProportionEstimate estimate = estimateProportion(successes, trials, 0.95);
        QCOMPARE(estimate.rate, double(successes) / double(trials));
        QVERIFY2(std::fabs(estimate.interval.low - low) < 6e-5,
                 qPrintable(QString::number(estimate.interval.low, 'f', 6)));
        QVERIFY2(std::fabs(estimate.interval.high - high) < 6e-5,
                 qPrintable(QString::number(estimate.interval.high, 'f', 6)));
    }
    void wilsonIntervalEdges() {
        const ProportionEstimate none = estimateProportion(0, 0);
        QCOMPARE(none.rate, 0.0);
        QCOMPARE(none.interval.low, 0.0);
        QCOMPARE(none.interval.high, 1.0);
        const ProportionEstimate all = estimateProportion(20, 20);
        QCOMPARE(all.interval.high, 1.0);
        QVERIFY(all.interval.low > 0.8 && all.interval.low < 0.85);  // 1 - 0.1611
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateProportion(3, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateProportion(-1, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateProportion(1, 2, 1.0));
    }

    void zTest_data() {
        QTest::addColumn<qint64>("sa");
        QTest::addColumn<qint64>("na");
        QTest::addColumn<qint64>("sb");
        QTest::addColumn<qint64>("nb");
        QTest::addColumn<double>("confidence");
        QTest::addColumn<double>("z");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addRow("B better, significant")
            << qint64(200) << qint64(1000) << qint64(250) << qint64(1000) << 0.95 << 2.677398
            << 0.00741965 << 0.013464 << 0.086536;
        QTest::addRow("equal rates") << qint64(30) << qint64(100) << qint64(30) << qint64(100)
                                     << 0.95 << 0.0 << 1.0 << -0.127020 << 0.127020;
        QTest::addRow("B worse, unequal sizes, 90%%")
            << qint64(45) << qint64(500) << qint64(30) << qint64(400) << 0.9 << -0.809040
            << 0.418492 << -0.045206 << 0.015206;
        QTest::addRow("small samples, 99%%")
            << qint64(10) << qint64(50) << qint64(20) << qint64(60) << 0.99 << 1.563472 << 0.117942
            << -0.080689 << 0.347355;
    }
    void zTest() {
        QFETCH(qint64, sa);
        QFETCH(qint64, na);
        QFETCH(qint64, sb);
        QFETCH(qint64, nb);
        QFETCH(double, confidence);
        QFETCH(double, z);
        QFETCH(double, p);
        QFETCH(double, low);
        QFETCH(double, high);
        const ProportionTest test = twoProportionZTest(sa, na, sb, nb, confidence);
        QCOMPARE(test.rateA, double(sa) / double(na));
        QCOMPARE(test.rateB, double(sb) / double(nb));
        QVERIFY2(std::fabs(test.z - z) < 1e-5, qPrintable(QString::number(test.z, 'g', 10)));
        QVERIFY2(std::fabs(test.pValue - p) < 1e-6,
                 qPrintable(QString::number(test.pValue, 'g', 10)));
        QVERIFY(std::fabs(test.interval.low - low) < 1e-5);
        QVERIFY(std::fabs(test.interval.high - high) < 1e-5);
    }

    void zTestNoVariance() {
        // Nobody clicked anywhere: no evidence either way, and no division by zero.
        const ProportionTest test = twoProportionZTest(0, 10, 0, 20);
        QCOMPARE(test.z, 0.0);
        QCOMPARE(test.pValue, 1.0);
        QCOMPARE(test.relativeLift, 0.0);
    }

    void zTestRejectsBadCounts_data() {
        QTest::addColumn<qint64>("sa");
        QTest::addColumn<qint64>("na");
        QTest::addColumn<qint64>("sb");
        QTest::addColumn<qint64>("nb");
        QTest::addRow("more successes than trials")
            << qint64(11) << qint64(10) << qint64(1) << qint64(10);
        QTest::addRow("no trials in B") << qint64(1) << qint64(10) << qint64(0) << qint64(0);
        QTest::addRow("negative") << qint64(-1) << qint64(10) << qint64(1) << qint64(10);
    }
    void zTestRejectsBadCounts() {
        QFETCH(qint64, sa);
        QFETCH(qint64, na);
        QFETCH(qint64, sb);
        QFETCH(qint64, nb);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, twoProportionZTest(sa, na, sb, nb));
    }

    // Fleiss without continuity correction; 0.1 -> 0.12 needs 3,840.85 -> 3,841 per variant,
    // the figure of the usual online calculators.
    void sampleSize_data() {
        QTest::addColumn<double>("baseline");
        QTest::addColumn<double>("lift");
        QTest::addColumn<double>("alpha");
        QTest::addColumn<double>("power");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("10%% -> 12%%") << 0.1 << 0.2 << 0.05 << 0.8 << qint64(3841);
        QTest::addRow("5%% -> 5.5%%") << 0.05 << 0.1 << 0.05 << 0.8 << qint64(31234);
        QTest::addRow("drop 30%% -> 27%%, alpha 1%%, power 90%%")
            << 0.3 << -0.1 << 0.01 << 0.9 << qint64(6736);
    }
    void sampleSize() {
        QFETCH(double, baseline);
        QFETCH(double, lift);
        QFETCH(double, alpha);
        QFETCH(double, power);
        QFETCH(qint64, expected);
        QCOMPARE(sampleSizePerVariant(baseline, lift, alpha, power), expected);
    }

    void sampleSizeRejectsImpossibleRates() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleSizePerVariant(0.6, 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleSizePerVariant(0.0, 0.1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleSizePerVariant(0.1, 0.0));
    }

    void bootstrapAgreesWithWald() {
        // 0/1 samples with 20% and 25% ones: the percentile interval of the difference must be
        // close to the Wald interval [0.0135, 0.0865] of the z-test row above and contain 0.05.
        std::vector<double> a(1000, 0.0), b(1000, 0.0);
        for (int i = 0; i < 200; ++i) a[static_cast<std::size_t>(i * 5)] = 1.0;
        for (int i = 0; i < 250; ++i) b[static_cast<std::size_t>(i * 4)] = 1.0;
        BootstrapOptions options;
        options.resamples = 2000;
        const ConfidenceInterval interval = bootstrapMeanDifference(a, b, options);
        QVERIFY(interval.low < 0.05 && interval.high > 0.05);
        QVERIFY2(std::fabs(interval.low - 0.013464) < 0.006,
                 qPrintable(QString::number(interval.low)));
        QVERIFY2(std::fabs(interval.high - 0.086536) < 0.006,
                 qPrintable(QString::number(interval.high)));
        // Same seed, same interval.
        const ConfidenceInterval again = bootstrapMeanDifference(a, b, options);
        QCOMPARE(again.low, interval.low);
        QCOMPARE(again.high, interval.high);
    }

    void bootstrapOfConstantsIsAPoint() {
        const std::vector<double> a(50, 2.0), b(70, 3.5);
        const ConfidenceInterval interval = bootstrapMeanDifference(a, b);
        QCOMPARE(interval.low, 1.5);
        QCOMPARE(interval.high, 1.5);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanDifference({}, b));
    }
};

QTEST_APPLESS_MAIN(TestAbStatistics)
#include "test_ab_statistics.moc"

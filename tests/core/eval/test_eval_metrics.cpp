#include <QtTest>
#include <cmath>
#include <random>
#include <vector>

#include "eval/bootstrap.h"
#include "eval/metrics.h"

using namespace animerec;

// Expected values below are worked out by hand; D(r) = 1 / log2(r + 1):
// D(1) = 1, D(2) = 0.6309298, D(3) = 0.5, D(4) = 0.4306766.
class TestEvalMetrics : public QObject {
    Q_OBJECT
private slots:
    void rankingMetricsMatchHandComputed_data() {
        QTest::addColumn<std::vector<int>>("ranking");
        QTest::addColumn<std::vector<int>>("relevant");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("precision");
        QTest::addColumn<double>("recall");
        QTest::addColumn<double>("ndcg");
        QTest::addColumn<double>("ap");
        QTest::addColumn<double>("rr");
        QTest::addColumn<double>("hit");
        // hits at ranks 2, 3. DCG = D(2)+D(3) = 1.1309298; IDCG(2) = D(1)+D(2) = 1.6309298.
        // AP = (1/2 + 2/3) / 2.
        QTest::addRow("[3,1,7] vs {1,7} @3")
            << std::vector<int>{3, 1, 7} << std::vector<int>{1, 7} << 3 << 2.0 / 3 << 1.0
            << 0.6934264 << 0.5833333 << 0.5 << 1.0;
        // Only rank 2 counts; recall divides by min(2, 2) = 2; AP = (1/2) / 2.
        QTest::addRow("[3,1,7] vs {1,7} @2") << std::vector<int>{3, 1, 7} << std::vector<int>{1, 7}
                                             << 2 << 0.5 << 0.5 << 0.3868528 << 0.25 << 0.5 << 1.0;
        QTest::addRow("[3,1,7] vs {1,7} @1") << std::vector<int>{3, 1, 7} << std::vector<int>{7, 1}
                                             << 1 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
        // hits at ranks 1 and 4 of 3 relevant: DCG = 1 + D(4) = 1.4306766; IDCG(3) = 2.1309298.
        // AP = (1/1 + 2/4) / 3.
        QTest::addRow("[5,2,9,4] vs {5,4,8} @4")
            << std::vector<int>{5, 2, 9, 4} << std::vector<int>{5, 4, 8} << 4 << 0.5 << 2.0 / 3
            << 0.6713861 << 0.5 << 1.0 << 1.0;
        // More relevant items than K: a perfect list still scores 1 on recall, ndcg and AP.
        QTest::addRow("perfect, R > K") << std::vector<int>{1, 2} << std::vector<int>{1, 2, 3, 4, 5}
                                        << 2 << 1.0 << 1.0 << 1.0 << 1.0 << 1.0 << 1.0;
        // A list shorter than K counts the missing slots as misses for precision only.
        QTest::addRow("short list") << std::vector<int>{4} << std::vector<int>{4} << 5 << 0.2 << 1.0
                                    << 1.0 << 1.0 << 1.0 << 1.0;
        QTest::addRow("no relevant") << std::vector<int>{4, 5} << std::vector<int>{} << 2 << 0.0
                                     << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
        // Duplicate relevant entries count once: R = 1, hit at rank 3: ndcg = D(3)/D(1) = 0.5.
        QTest::addRow("duplicate relevant")
            << std::vector<int>{8, 9, 6} << std::vector<int>{6, 6} << 3 << 1.0 / 3 << 1.0 << 0.5
            << 1.0 / 3 << 1.0 / 3 << 1.0;
    }
    void rankingMetricsMatchHandComputed() {
        QFETCH(std::vector<int>, ranking);
        QFETCH(std::vector<int>, relevant);
        QFETCH(int, k);
        const auto m =
            rankingMetrics(std::span<const int>(ranking), std::span<const int>(relevant), k);
        QFETCH(double, precision);
        QFETCH(double, recall);
        QFETCH(double, ndcg);
        QFETCH(double, ap);
        QFETCH(double, rr);
        QFETCH(double, hit);
        QVERIFY2(std::abs(m.precision - precision) < 1e-6,
                 qPrintable(QString::number(m.precision)));
        QVERIFY2(std::abs(m.recall - recall) < 1e-6, qPrintable(QString::number(m.recall)));
        QVERIFY2(std::abs(m.ndcg - ndcg) < 1e-6, qPrintable(QString::number(m.ndcg)));
        QVERIFY2(std::abs(m.averagePrecision - ap) < 1e-6,
                 qPrintable(QString::number(m.averagePrecision)));
        QVERIFY2(std::abs(m.reciprocalRank - rr) < 1e-6,
                 qPrintable(QString::number(m.reciprocalRank)));
        QCOMPARE(m.hit, hit);
    }

    void rejectsCutOffBelowOne() {
        const std::vector<int> ranking{1};
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            rankingMetrics(std::span<const int>(ranking), std::span<const int>(ranking), 0));
    }

    void intraListDiversityMatchesHandComputed_data() {
        QTest::addColumn<std::vector<int>>("ranking");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("expected");
        // Genres: item0 {0,1}, item1 {1,2}, item2 {}, item3 {0,1}.
        // (0,1): 1 - 1/3; (0,3): 0; (1,3): 1 - 1/3  -> mean (4/3) / 3.
        QTest::addRow("three items") << std::vector<int>{0, 1, 3} << 3 << 4.0 / 9;
        QTest::addRow("cut to two") << std::vector<int>{0, 1, 3} << 2 << 2.0 / 3;
        QTest::addRow("empty vs set") << std::vector<int>{0, 2} << 10 << 1.0;
        QTest::addRow("identical sets") << std::vector<int>{0, 3} << 2 << 0.0;
        QTest::addRow("single item") << std::vector<int>{1} << 5 << 0.0;
    }
    void intraListDiversityMatchesHandComputed() {
        QFETCH(std::vector<int>, ranking);
        QFETCH(int, k);
        QFETCH(double, expected);
        const std::vector<std::vector<int>> genres{{0, 1}, {1, 2}, {}, {0, 1}};
        QVERIFY(std::abs(intraListDiversity(ranking, genres, k) - expected) < 1e-9);
    }

    void noveltyMatchesHandComputed_data() {
        QTest::addColumn<std::vector<int>>("ranking");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("expected");
        // counts {4, 1, 0, 2} over 8 users: -log2(4/8) = 1, -log2(1/8) = 3, count 0 -> as 1 -> 3,
        // -log2(2/8) = 2.
        QTest::addRow("three") << std::vector<int>{0, 1, 2} << 3 << 7.0 / 3;
        QTest::addRow("first only") << std::vector<int>{0, 1, 2} << 1 << 1.0;
        QTest::addRow("popular pair") << std::vector<int>{3, 0} << 5 << 1.5;
    }
    void noveltyMatchesHandComputed() {
        QFETCH(std::vector<int>, ranking);
        QFETCH(int, k);
        QFETCH(double, expected);
        const std::vector<int> counts{4, 1, 0, 2};
        QVERIFY(std::abs(novelty(ranking, counts, 8, k) - expected) < 1e-9);
    }

    void coverageCountsCandidatesShown() {
        const std::vector<std::vector<int>> lists{{0, 1}, {1, 3}, {7}};
        const std::vector<int> candidates{0, 1, 2, 3, 4};
        QCOMPARE(catalogCoverage(lists, candidates), 0.6);  // 0, 1, 3 of five; 7 is no candidate
    }

    void ratingErrorsMatchHandComputed_data() {
        QTest::addColumn<std::vector<double>>("predicted");
        QTest::addColumn<std::vector<double>>("truth");
        QTest::addColumn<double>("rmse");
        QTest::addColumn<double>("mae");
        QTest::addRow("symmetric")
            << std::vector<double>{3, 5} << std::vector<double>{4, 4} << 1.0 << 1.0;
        // errors 0, 1, 3: RMSE = sqrt(10/3), MAE = 4/3.
        QTest::addRow("mixed") << std::vector<double>{2, 4, 6} << std::vector<double>{2, 5, 9}
                               << 1.8257419 << 4.0 / 3;
    }
    void ratingErrorsMatchHandComputed() {
        QFETCH(std::vector<double>, predicted);
        QFETCH(std::vector<double>, truth);
        QFETCH(double, rmse);
        QFETCH(double, mae);
        QVERIFY(std::abs(rootMeanSquaredError(predicted, truth) - rmse) < 1e-6);
        QVERIFY(std::abs(meanAbsoluteError(predicted, truth) - mae) < 1e-9);
    }

    void bootstrapContainsMeanAndShrinksWithMoreUsers() {
        std::mt19937_64 engine(5);
        double previousWidth = 2.0;
        for (const int users : {50, 500, 5000}) {
            std::vector<float> values(static_cast<std::size_t>(users) * 2);
            double sum0 = 0.0, sum1 = 0.0;
            for (int i = 0; i < users; ++i) {
                values[2 * i] = (engine() % 3 == 0) ? 1.0f : 0.0f;                  // hit-like
                values[2 * i + 1] = static_cast<float>(engine() % 1000) / 1000.0f;  // ndcg-like
                sum0 += values[2 * i];
                sum1 += values[2 * i + 1];
            }
            BootstrapOptions options;
            options.resamples = 400;
            const auto intervals = bootstrapMeans(values, 2, options);
            QCOMPARE(intervals.size(), std::size_t(2));
            const double means[] = {sum0 / users, sum1 / users};
            for (int c = 0; c < 2; ++c) {
                QVERIFY(intervals[c].low <= means[c] && means[c] <= intervals[c].high);
                QVERIFY(intervals[c].low < intervals[c].high);
            }
            const double width = intervals[0].high - intervals[0].low;
            QVERIFY2(width < previousWidth,
                     qPrintable(QString("width %1 at %2 users").arg(width).arg(users)));
            previousWidth = width;
        }
    }

    void bootstrapIsSeededAndThreadIndependent() {
        std::vector<float> values(300);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<float>((i * 37) % 11);
        BootstrapOptions one;
        one.resamples = 200;
        one.threads = 1;
        BootstrapOptions two = one;
        two.threads = 2;
        BootstrapOptions otherSeed = one;
        otherSeed.seed = 7;
        const auto a = bootstrapMeans(values, 3, one);
        const auto b = bootstrapMeans(values, 3, two);
        const auto c = bootstrapMeans(values, 3, otherSeed);
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].low, b[i].low);
            QCOMPARE(a[i].high, b[i].high);
        }
        QVERIFY(a[0].low != c[0].low || a[0].high != c[0].high);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeans(values, 7, one));
    }
};

QTEST_APPLESS_MAIN(TestEvalMetrics)
#include "test_eval_metrics.moc"

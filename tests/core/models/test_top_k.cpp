#include <QtTest>
#include <algorithm>
#include <numeric>
#include <random>

#include "models/recommender.h"

using namespace animerec;

class TestTopK : public QObject {
    Q_OBJECT
private slots:
    void picksBestFirstAndSkipsExcluded_data() {
        QTest::addColumn<std::vector<float>>("scores");
        QTest::addColumn<int>("k");
        QTest::addColumn<std::vector<int>>("exclude");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::addRow("plain") << std::vector<float>{0.1f, 0.9f, 0.5f, 0.7f} << 2
                               << std::vector<int>{} << std::vector<int>{1, 3};
        QTest::addRow("excluded best") << std::vector<float>{0.1f, 0.9f, 0.5f, 0.7f} << 2
                                       << std::vector<int>{1} << std::vector<int>{3, 2};
        QTest::addRow("ties by index") << std::vector<float>{1.f, 2.f, 2.f, 2.f} << 3
                                       << std::vector<int>{} << std::vector<int>{1, 2, 3};
        QTest::addRow("k larger than n")
            << std::vector<float>{0.3f, 0.2f} << 5 << std::vector<int>{0} << std::vector<int>{1};
        QTest::addRow("k zero") << std::vector<float>{0.3f} << 0 << std::vector<int>{}
                                << std::vector<int>{};
    }
    void picksBestFirstAndSkipsExcluded() {
        QFETCH(std::vector<float>, scores);
        QFETCH(int, k);
        QFETCH(std::vector<int>, exclude);
        QFETCH(std::vector<int>, expected);
        std::vector<int> got;
        for (const auto& item : topK(scores, k, exclude)) got.push_back(item.item);
        QCOMPARE(got, expected);
    }

    void agreesWithFullSortOnRandomScores() {
        std::mt19937 random(7);
        std::vector<float> scores(5000);
        for (auto& score : scores) score = static_cast<float>(random() % 1000);
        std::vector<int> order(scores.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return scores[a] > scores[b]; });
        const auto top = topK(scores, 50);
        QCOMPARE(top.size(), std::size_t(50));
        for (std::size_t i = 0; i < top.size(); ++i) QCOMPARE(top[i].item, order[i]);
    }
};

QTEST_APPLESS_MAIN(TestTopK)
#include "test_top_k.moc"

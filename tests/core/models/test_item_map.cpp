// The item map's projection: points spread along two known directions of a 3-D space come back
// with those spreads on the two axes; all-zero (untrained) items are left out; bad sizes refused.
#include <QtTest>
#include <cmath>
#include <random>
#include <stdexcept>

#include "models/item_map.h"

using namespace animerec;

class TestItemMap : public QObject {
    Q_OBJECT

private slots:
    void recoversThePlaneOfTheSpread() {
        // Standard deviation 3 along a = (1, 1, 0)/sqrt2, 1 along b = (0, 0, 1), 0.01 along c.
        const double s = 1.0 / std::sqrt(2.0);
        std::mt19937 engine(7);
        std::normal_distribution<double> normal;
        const int rows = 2000;
        std::vector<float> vectors;
        for (int i = 0; i < rows; ++i) {
            const double u = 3.0 * normal(engine), v = normal(engine), w = 0.01 * normal(engine);
            vectors.push_back(float(u * s + w * s + 5.0));
            vectors.push_back(float(u * s - w * s + 5.0));
            vectors.push_back(float(v + 5.0));
        }
        vectors.insert(vectors.end(), {0.0f, 0.0f, 0.0f});  // an untrained item
        const ItemMap map = projectItems(vectors, rows + 1, 3);
        QCOMPARE(map.items.size(), std::size_t(rows));
        QVERIFY(map.items.back() == rows - 1);
        double xx = 0, yy = 0;
        for (std::size_t i = 0; i < map.x.size(); ++i) {
            xx += double(map.x[i]) * map.x[i];
            yy += double(map.y[i]) * map.y[i];
        }
        QVERIFY2(std::abs(std::sqrt(xx / rows) - 3.0) < 0.15,
                 qPrintable(QString::number(std::sqrt(xx / rows))));
        QVERIFY2(std::abs(std::sqrt(yy / rows) - 1.0) < 0.08,
                 qPrintable(QString::number(std::sqrt(yy / rows))));
        QVERIFY(map.explainedShare > 0.999);
    }

    void badSizesAreRefused() {
        const std::vector<float> vectors(10, 1.0f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, projectItems(vectors, 3, 3));
        QVERIFY(projectItems({}, 0, 4).items.empty());
    }
};

QTEST_APPLESS_MAIN(TestItemMap)
#include "test_item_map.moc"

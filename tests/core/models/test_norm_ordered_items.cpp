#include <Eigen/Core>
#include <QtTest>
#include <cstring>
#include <random>

#include "models/norm_ordered_items.h"

using namespace animerec;

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// What the answer must equal: topK() over the whole catalogue's product, as Als::score forms it.
std::vector<ScoredItem> fullProductTopK(const RowMatrix& y, const Eigen::VectorXf& x, int k,
                                        std::span<const int> exclude) {
    std::vector<float> scores(static_cast<std::size_t>(y.rows()));
    Eigen::Map<Eigen::VectorXf>(scores.data(), y.rows()).noalias() = y * x;
    return topK(scores, k, exclude);
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

class TestNormOrderedItems : public QObject {
    Q_OBJECT

private slots:
    // Items with a long-tailed spread of norms (as trained factors have), random queries, with and
    // without exclusions, k from 1 to beyond the catalogue: the same items, the same score bits,
    // the same order as the full product.
    void equalsTopKOverTheFullProduct() {
        std::mt19937 random(7);
        std::normal_distribution<float> normal;
        for (const int cols : {8, 64, 256}) {
            const int rows = 1000 + cols;  // not a multiple of the block size
            RowMatrix y(rows, cols);
            for (int i = 0; i < rows; ++i)
                for (int c = 0; c < cols; ++c) y(i, c) = normal(random) / float(1 + i % 97);
            y.row(5) = y.row(900);  // a tie the lower index must win
            NormOrderedItems items({y.data(), static_cast<std::size_t>(y.size())}, rows, cols);
            for (int query = 0; query < 40; ++query) {
                Eigen::VectorXf x(cols);
                for (int c = 0; c < cols; ++c) x[c] = normal(random);
                if (query % 10 == 0) x = y.row(900).transpose();  // the tied pair at the top
                std::vector<int> exclude;
                if (query % 2 == 1)
                    for (int i = query; i < rows; i += 37) exclude.push_back(i);
                for (const int k : {1, 10, 50, rows + 5}) {
                    const auto expected = fullProductTopK(y, x, k, exclude);
                    const auto got =
                        items.topK({x.data(), static_cast<std::size_t>(cols)}, k, exclude);
                    QCOMPARE(got.size(), expected.size());
                    for (std::size_t r = 0; r < got.size(); ++r) {
                        QCOMPARE(got[r].item, expected[r].item);
                        QVERIFY2(sameBits(got[r].score, expected[r].score),
                                 qPrintable(QString("cols %1 k %2 rank %3: %4 vs %5")
                                                .arg(cols)
                                                .arg(k)
                                                .arg(r)
                                                .arg(got[r].score)
                                                .arg(expected[r].score)));
                    }
                }
            }
        }
    }

    void refusesMismatchedSizes() {
        const std::vector<float> values(12, 1.0f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, NormOrderedItems(values, 5, 3));
        NormOrderedItems items(values, 4, 3);
        const std::vector<float> query(2, 1.0f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, items.topK(query, 3, {}));
        QVERIFY(items.topK(std::vector<float>(3, 1.0f), 0, {}).empty());
    }
};

QTEST_APPLESS_MAIN(TestNormOrderedItems)
#include "test_norm_ordered_items.moc"

#include <QtTest>
#include <cmath>
#include <memory>
#include <vector>

#include "models/sasrec.h"
#include "real_protocols.h"

using namespace animerec;

// Quality regression on real data: SASRec trained for a few epochs on a 500-user slice of P2 must
// rank the held-out next anime far better than popularity does. Catches silent breakage the
// synthetic tests cannot see (a wrong gradient that still lowers the loss, a position off by
// one, the causal mask leaking the future, a bad default).
namespace {

constexpr int kUserStride = 12;  // every 12th union user: ~500 users
// 10 epochs reach NDCG@10 ~0.12 here (8: 0.103, 12: 0.146, popularity 0.031) in ~15 s of CPU.
constexpr int kEpochs = 10;

// Every kUserStride-th user of the P1/P2 union, all events kept in order.
Dataset userSlice(const Dataset& all) {
    Interactions::Builder builder(all.catalog.size());
    for (int user = 0; user < all.interactions.userCount(); user += kUserStride)
        for (const Event& event : all.interactions.historyOf(user))
            builder.add(all.interactions.userIdAt(user), event);
    return Dataset{all.catalog, std::move(builder).build()};
}

struct Ranking {
    double ndcg = 0.0;
    int users = 0;
    void add(int rank) {
        if (rank < 10) ndcg += 1.0 / std::log2(rank + 2.0);
        ++users;
    }
    double mean() const { return users == 0 ? 0.0 : ndcg / users; }
};

// Full-ranking position of `target` among items outside the user's history.
int rankOf(const std::vector<float>& scores, int target, const std::vector<char>& seen) {
    int rank = 0;
    const float t = scores[static_cast<std::size_t>(target)];
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (static_cast<int>(i) != target && !seen[i] && scores[i] > t) ++rank;
    return rank;
}

struct Outcome {
    double sasrecNdcg = 0.0;
    double popularityNdcg = 0.0;
    int users = 0;
    std::vector<double> loss;
};

const Outcome& outcome() {
    static const Outcome result = [] {
        const real::LeaveLastOne p2 = real::p2Split(userSlice(real::cooperUnionUnion()));
        SasrecConfig config;  // the shipped architecture; only the training budget is cut
        config.training.epochs = kEpochs;
        config.training.patience = kEpochs;
        // The step size a 10-epoch budget needs and the floors below were set with (the shipped
        // 1e-3 stops early at ~30 epochs on P3); no refit, to keep the suite at ~15 s.
        config.training.learningRate = 4e-3f;
        config.training.refit = false;
        SasrecModel model(config);
        model.fit(p2.train);

        const int items = p2.train.catalog.size();
        const auto counts = p2.train.interactions.itemCounts();
        const std::vector<float> popularity(counts.begin(), counts.end());
        std::vector<float> scores(static_cast<std::size_t>(items));
        std::vector<char> seen(static_cast<std::size_t>(items), 0);
        Ranking sasrec, popular;
        for (const auto& [user, target] : p2.tests) {
            const auto history = p2.train.interactions.historyOf(user);
            for (const Event& e : history) seen[static_cast<std::size_t>(e.item)] = 1;
            seen[static_cast<std::size_t>(target)] = 0;
            model.score(UserQuery{user, history}, scores);
            sasrec.add(rankOf(scores, target, seen));
            popular.add(rankOf(popularity, target, seen));
            for (const Event& e : history) seen[static_cast<std::size_t>(e.item)] = 0;
        }
        return Outcome{sasrec.mean(), popular.mean(), sasrec.users, model.trainingCurve()};
    }();
    return result;
}

}  // namespace

class TestSasrecQuality : public QObject {
    Q_OBJECT
private slots:
    void sliceIsTheIntendedSize() {
        QVERIFY2(outcome().users >= 450 && outcome().users <= 500,
                 qPrintable(QString("%1 test users").arg(outcome().users)));
    }

    void lossDecreasesEveryEpoch() {
        const auto& loss = outcome().loss;
        QCOMPARE(static_cast<int>(loss.size()), kEpochs);
        for (std::size_t e = 1; e < loss.size(); ++e)
            QVERIFY2(
                loss[e] < loss[e - 1],
                qPrintable(
                    QString("epoch %1 loss %2 after %3").arg(e + 1).arg(loss[e]).arg(loss[e - 1])));
    }

    void ranksNextItemFarAbovePopularity() {
        const double sasrec = outcome().sasrecNdcg;
        const double popularity = outcome().popularityNdcg;
        const QString figures =
            QString("SASRec NDCG@10 %1, popularity %2").arg(sasrec).arg(popularity);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(popularity > 0.005, qPrintable(figures));  // the protocol itself is sane
        QVERIFY2(sasrec >= kNdcgFloor, qPrintable(figures));
        QVERIFY2(sasrec >= 2.5 * popularity, qPrintable(figures));
    }

private:
    static constexpr double kNdcgFloor = 0.09;  // three times popularity
};

QTEST_APPLESS_MAIN(TestSasrecQuality)
#include "test_sasrec_quality.moc"

#include <QtTest>
#include <cmath>
#include <functional>
#include <random>

#include "models/mult_vae_network.h"
#include "models/sasrec_network.h"
#include "models/sequence_context_embedding.h"
#include "nn/attention.h"
#include "nn/bag_embedding.h"
#include "nn/embedding.h"
#include "nn/feed_forward.h"
#include "nn/gaussian_latent.h"
#include "nn/gru.h"
#include "nn/init.h"
#include "nn/layer_norm.h"
#include "nn/linear.h"
#include "nn/multinomial_loss.h"
#include "nn/sampled_loss.h"
#include "nn/softmax_loss.h"

using namespace animerec;
using nn::Matrix;
using nn::Tensors;

namespace {

// A differentiable function of (parameters, input) and its hand-written backward pass.
struct Problem {
    nn::ParameterStore store;
    Matrix input;
    std::function<Matrix(const Tensors&, const Matrix&)> forward;
    std::function<void(const Tensors&, const Matrix&, const Matrix&, Tensors&, Matrix&)> backward;
};

// Scalar probe L = sum(weights .* f(params, x)), accumulated in double to keep float noise low.
double probe(const Problem& p, const Tensors& params, const Matrix& x, const Matrix& weights) {
    const Matrix y = p.forward(params, x);
    return (y.cast<double>().array() * weights.cast<double>().array()).sum();
}

const std::vector<nn::Segment> kSegments{{0, 4}, {4, 3}};  // two sequences stacked in 7 rows

Matrix randomMatrix(int rows, int cols, std::mt19937_64& random) {
    Matrix m(rows, cols);
    nn::initNormal(m, 1.0f, random);
    return m;
}

// Four items' side-feature bags over 6 features: genres averaged, a type with weight 1, an
// item with no features, an item whose bag repeats a feature row another item uses.
nn::FeatureBags sideBags() {
    nn::FeatureBags bags;
    bags.features = 6;
    bags.offsets = {0, 3, 3, 5, 7};
    bags.ids = {0, 2, 4, 1, 5, 0, 4};
    bags.weights = {0.5f, 0.5f, 1.0f, 1.0f, 1.0f, 0.5f, 1.0f};
    return bags;
}

// Negatives for the sampled losses: a repeated draw (its gradient must accumulate) and the
// target of some rows (an accidental hit, left out).
nn::SampledNegatives fixedNegatives() {
    return {{2, 5, 5, 3, 9}, {-2.0f, -3.1f, -3.1f, -1.2f, -2.6f}};
}

// gBCE's negatives, three per row of the 7-row problem below (targets 0, 3, 3, 10, 5, 7, 1):
// repeats within a row and across rows, and accidental hits in rows 1, 3 and 4.
nn::SampledNegatives fixedNegativesPerRow() {
    nn::SampledNegatives negatives;
    negatives.items = {2, 5, 5, 3, 9, 2, 9, 9, 4, 10, 1, 6, 5, 8, 0, 2, 6, 4, 8, 4, 2};
    for (const int item : negatives.items)
        negatives.logProbability.push_back(-1.0f - 0.2f * static_cast<float>(item));
    return negatives;
}

Problem makeProblem(const QString& layer, std::mt19937_64& random) {
    Problem p;
    const int dim = 8;
    if (layer == "linear") {
        auto linear = std::make_shared<nn::Linear>();
        linear->create(p.store, "l", dim, 5, random);
        nn::initNormal(p.store.values()[1], 0.5f, random);  // non-zero bias
        p.input = randomMatrix(7, dim, random);
        p.forward = [linear](const Tensors& w, const Matrix& x) {
            Matrix y;
            linear->forward(w, x, y);
            return y;
        };
        p.backward = [linear](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                              Matrix& dx) { linear->backward(w, x, dy, g, &dx); };
    } else if (layer == "layer_norm") {
        auto norm = std::make_shared<nn::LayerNorm>();
        norm->create(p.store, "n", dim);
        nn::initNormal(p.store.values()[0], 1.0f, random);
        nn::initNormal(p.store.values()[1], 1.0f, random);
        p.input = randomMatrix(7, dim, random);
        p.forward = [norm](const Tensors& w, const Matrix& x) {
            Matrix y;
            nn::LayerNorm::Cache c;
            norm->forward(w, x, y, c);
            return y;
        };
        p.backward = [norm](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                            Matrix& dx) {
            Matrix y;
            nn::LayerNorm::Cache c;
            norm->forward(w, x, y, c);
            norm->backward(w, c, dy, g, dx);
        };
    } else if (layer == "attention") {
        auto attention = std::make_shared<nn::CausalSelfAttention>();
        attention->create(p.store, "a", dim, 2, random);
        for (auto& t : p.store.values())
            if (t.rows() == 1) nn::initNormal(t, 0.3f, random);
        p.input = randomMatrix(7, dim, random);
        p.forward = [attention](const Tensors& w, const Matrix& x) {
            Matrix y;
            nn::CausalSelfAttention::Cache c;
            attention->forward(w, x, kSegments, y, c);
            return y;
        };
        p.backward = [attention](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                                 Matrix& dx) {
            Matrix y;
            nn::CausalSelfAttention::Cache c;
            attention->forward(w, x, kSegments, y, c);
            attention->backward(w, kSegments, c, dy, g, dx);
        };
    } else if (layer == "feed_forward") {
        auto ffn = std::make_shared<nn::FeedForward>();
        ffn->create(p.store, "f", dim, 12, random);
        p.input = randomMatrix(7, dim, random);
        p.forward = [ffn](const Tensors& w, const Matrix& x) {
            Matrix y;
            nn::FeedForward::Cache c;
            ffn->forward(w, x, y, c);
            return y;
        };
        p.backward = [ffn](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                           Matrix& dx) {
            Matrix y;
            nn::FeedForward::Cache c;
            ffn->forward(w, x, y, c);
            ffn->backward(w, c, dy, g, dx);
        };
    } else if (layer == "gru") {
        auto gru = std::make_shared<nn::Gru>();
        gru->create(p.store, "g", dim, 6, random);
        for (auto& t : p.store.values())
            if (t.rows() == 1) nn::initNormal(t, 0.3f, random);
        p.input = randomMatrix(7, dim, random);
        p.forward = [gru](const Tensors& w, const Matrix& x) {
            Matrix y;
            nn::Gru::Cache c;
            gru->forward(w, x, kSegments, y, c);
            return y;
        };
        p.backward = [gru](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                           Matrix& dx) {
            Matrix y;
            nn::Gru::Cache c;
            gru->forward(w, x, kSegments, y, c);
            gru->backward(w, kSegments, c, dy, g, dx);
        };
    } else if (layer == "embedding") {
        p.store.add("table", 5, dim);
        nn::initNormal(p.store.values()[0], 1.0f, random);
        const std::vector<int> ids{3, 1, 3, 0, 4};  // a repeated id must accumulate
        p.forward = [ids](const Tensors& w, const Matrix&) {
            Matrix y;
            nn::gatherRows(w[0], ids, y);
            return y;
        };
        p.backward = [ids](const Tensors&, const Matrix&, const Matrix& dy, Tensors& g, Matrix&) {
            nn::scatterAddRows(g[0], ids, dy);
        };
    } else if (layer == "softmax_cross_entropy") {
        p.store.add("items", 11, dim);
        nn::initNormal(p.store.values()[0], 1.0f, random);
        p.input = randomMatrix(7, dim, random);
        const std::vector<int> targets{0, 3, 3, 10, 5, 7, 1};
        p.forward = [targets](const Tensors& w, const Matrix& x) {
            Matrix dh, di = Matrix::Zero(w[0].rows(), w[0].cols());
            Matrix y(1, 1);
            y(0, 0) = static_cast<float>(nn::softmaxCrossEntropy(x, w[0], targets, 1.0f, dh, di));
            return y;
        };
        p.backward = [targets](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                               Matrix& dx) {
            Matrix gradItems = Matrix::Zero(w[0].rows(), w[0].cols());
            nn::softmaxCrossEntropy(x, w[0], targets, dy(0, 0), dx, gradItems);
            g[0] += gradItems;
        };
    } else if (layer == "bag_embedding") {
        p.store.add("table", 6, dim);
        nn::initNormal(p.store.values()[0], 1.0f, random);
        const std::vector<int> ids{2, 0, 2, 3, 1, 7};  // 7: outside the bags, adds nothing
        p.forward = [ids](const Tensors& w, const Matrix&) {
            Matrix y = Matrix::Zero(static_cast<Eigen::Index>(ids.size()), w[0].cols());
            nn::addBagRows(w[0], sideBags(), ids, y);
            return y;
        };
        p.backward = [ids](const Tensors&, const Matrix&, const Matrix& dy, Tensors& g, Matrix&) {
            nn::scatterAddBagRows(g[0], sideBags(), ids, dy);
        };
    } else if (layer == "sampled_softmax" || layer == "gbce") {
        const bool gbce = layer == "gbce";
        p.store.add("items", 11, dim);
        nn::initNormal(p.store.values()[0], 0.5f, random);
        p.input = randomMatrix(7, dim, random);
        const std::vector<int> targets{0, 3, 3, 10, 5, 7, 1};
        const auto loss = [gbce, targets](const Tensors& w, const Matrix& x, float scale,
                                          Matrix& dh, Matrix& di) {
            return gbce
                       ? nn::gbceLoss(x, w[0], targets, fixedNegativesPerRow(), 0.4f, scale, dh, di)
                       : nn::sampledSoftmaxCrossEntropy(x, w[0], targets, fixedNegatives(), scale,
                                                        dh, di);
        };
        p.forward = [loss](const Tensors& w, const Matrix& x) {
            Matrix dh, di = Matrix::Zero(w[0].rows(), w[0].cols());
            Matrix y(1, 1);
            y(0, 0) = static_cast<float>(loss(w, x, 1.0f, dh, di));
            return y;
        };
        p.backward = [loss](const Tensors& w, const Matrix& x, const Matrix& dy, Tensors& g,
                            Matrix& dx) {
            Matrix gradItems = Matrix::Zero(w[0].rows(), w[0].cols());
            loss(w, x, dy(0, 0), dx, gradItems);
            g[0] += gradItems;
        };
    } else if (layer == "sequence_context") {
        auto context = std::make_shared<SequenceContextEmbedding>();
        context->create(p.store, dim, sideBags(), 5, random);
        auto batch = std::make_shared<nn::SequenceBatch>();
        batch->add(std::vector<int>{1, 3, 3, 0}, 5, std::vector<int>{0, 4, 1, 1});
        batch->add(std::vector<int>{2, 0, 3}, 5, std::vector<int>{0, 2, 3});
        p.input = randomMatrix(7, dim, random);
        p.forward = [context, batch](const Tensors& w, const Matrix& x) {
            Matrix y = x;
            context->forward(w, *batch, y);
            return y;
        };
        p.backward = [context, batch](const Tensors&, const Matrix&, const Matrix& dy, Tensors& g,
                                      Matrix& dx) {
            dx = dy;
            context->backward(*batch, dy, g);
        };
    } else if (layer == "sasrec_network_context") {
        // Side features and time gaps on: their rows reach the hidden states through the blocks.
        auto network = std::make_shared<SasrecNetwork>(SasrecShape{4, dim, 1, 2, 5, 0.0f, 5},
                                                       p.store, random, sideBags());
        for (auto& t : p.store.values())
            if (t.rows() == 1) nn::initNormal(t, 0.3f, random);
        auto batch = std::make_shared<nn::SequenceBatch>();
        batch->add(std::vector<int>{1, 3, 3, 0}, 5, std::vector<int>{0, 4, 1, 1});
        batch->add(std::vector<int>{2, 0, 3, 1, 2}, 5, std::vector<int>{0, 2, 3, 4, 4});
        p.forward = [network, batch](const Tensors& w, const Matrix&) {
            std::mt19937_64 r(1);
            auto c = network->makeCache();
            Matrix h;
            network->forward(w, *batch, false, r, *c, h);
            return h;
        };
        p.backward = [network, batch](const Tensors& w, const Matrix&, const Matrix& dy, Tensors& g,
                                      Matrix&) {
            std::mt19937_64 r(1);
            auto c = network->makeCache();
            Matrix h;
            network->forward(w, *batch, false, r, *c, h);
            network->backward(w, *batch, *c, dy, g);
        };
    } else if (layer == "multinomial_loss") {
        // Logits are the input; two rows, one with a repeated item (count 2), one empty bag.
        auto targets = std::make_shared<nn::FeatureBags>();
        targets->offsets = {0, 3, 3, 5};
        targets->ids = {1, 4, 4, 0, 5};
        targets->weights = {1.0f, 1.0f, 1.0f, 2.0f, 1.0f};
        p.input = randomMatrix(3, 6, random);
        p.forward = [targets](const Tensors&, const Matrix& x) {
            Matrix dLogits, y(1, 1);
            y(0, 0) = static_cast<float>(
                nn::multinomialNegativeLogLikelihood(x, *targets, 1.0f, dLogits));
            return y;
        };
        p.backward = [targets](const Tensors&, const Matrix& x, const Matrix& dy, Tensors&,
                               Matrix& dx) {
            nn::multinomialNegativeLogLikelihood(x, *targets, dy(0, 0), dx);
        };
    } else if (layer == "gaussian_latent") {
        // The input is [mean | log-variance]; the output is z next to the KL term (weight 0.7).
        const Matrix noise = randomMatrix(4, 3, random);
        p.input = randomMatrix(4, 6, random) * 0.5f;
        p.forward = [noise](const Tensors&, const Matrix& x) {
            Matrix z;
            nn::gaussianSample(x, noise, z);
            Matrix y(z.rows(), z.cols() + 1);
            y.leftCols(z.cols()) = z;
            y.col(z.cols()).setZero();
            y(0, z.cols()) = static_cast<float>(nn::gaussianKlDivergence(x));
            return y;
        };
        p.backward = [noise](const Tensors&, const Matrix& x, const Matrix& dy, Tensors&,
                             Matrix& dx) {
            nn::gaussianBackward(x, noise, dy.leftCols(dy.cols() - 1), dy(0, dy.cols() - 1), dx);
        };
    } else if (layer == "mult_vae_network") {
        // Encoder bags over 9 items (one user with no items) and noise drawn once. The output is
        // the logits next to a column holding the KL term, whose probe weight is the klScale
        // handed to backward.
        auto network = std::make_shared<MultVaeNetwork>(MultVaeShape{9, 7, 3}, p.store, random);
        for (auto& t : p.store.values())
            if (t.rows() == 1) nn::initNormal(t, 0.3f, random);
        auto bags = std::make_shared<nn::FeatureBags>();
        bags->offsets = {0, 3, 3, 5};
        bags->ids = {1, 4, 8, 0, 4};
        bags->weights = {0.6f, 0.6f, 0.6f, 1.4f, 0.7f};
        const Matrix noise = randomMatrix(3, 3, random);
        p.forward = [network, bags, noise](const Tensors& w, const Matrix&) {
            MultVaeNetwork::Cache c;
            Matrix logits;
            network->forward(w, *bags, noise, c, logits);
            Matrix y(logits.rows(), logits.cols() + 1);
            y.leftCols(logits.cols()) = logits;
            y.col(logits.cols()).setZero();
            y(0, logits.cols()) = static_cast<float>(nn::gaussianKlDivergence(c.stats));
            return y;
        };
        p.backward = [network, bags, noise](const Tensors& w, const Matrix&, const Matrix& dy,
                                            Tensors& g, Matrix&) {
            MultVaeNetwork::Cache c;
            Matrix logits;
            network->forward(w, *bags, noise, c, logits);
            const Matrix dLogits = dy.leftCols(dy.cols() - 1);
            network->backward(w, *bags, noise, c, dLogits, dy(0, dy.cols() - 1), g);
        };
    } else if (layer == "sasrec_network") {
        auto network =
            std::make_shared<SasrecNetwork>(SasrecShape{9, dim, 2, 2, 5, 0.0f}, p.store, random);
        for (auto& t : p.store.values())
            if (t.rows() == 1) nn::initNormal(t, 0.3f, random);
        auto batch = std::make_shared<nn::SequenceBatch>();
        batch->add(std::vector<int>{1, 4, 4, 8}, 5);
        batch->add(std::vector<int>{0, 2, 7, 3, 6}, 5);
        p.forward = [network, batch](const Tensors& w, const Matrix&) {
            std::mt19937_64 r(1);
            auto c = network->makeCache();
            Matrix h;
            network->forward(w, *batch, false, r, *c, h);
            return h;
        };
        p.backward = [network, batch](const Tensors& w, const Matrix&, const Matrix& dy, Tensors& g,
                                      Matrix&) {
            std::mt19937_64 r(1);
            auto c = network->makeCache();
            Matrix h;
            network->forward(w, *batch, false, r, *c, h);
            network->backward(w, *batch, *c, dy, g);
        };
    }
    return p;
}

}  // namespace

class TestNnGradients : public QObject {
    Q_OBJECT
private slots:
    void backwardMatchesFiniteDifferences_data() {
        QTest::addColumn<QString>("layer");
        for (const char* layer :
             {"linear", "layer_norm", "attention", "feed_forward", "gru", "embedding",
              "softmax_cross_entropy", "sasrec_network", "bag_embedding", "sampled_softmax", "gbce",
              "sequence_context", "sasrec_network_context", "multinomial_loss", "gaussian_latent",
              "mult_vae_network"})
            QTest::addRow("%s", layer) << QString(layer);
    }
    void backwardMatchesFiniteDifferences() {
        QFETCH(QString, layer);
        std::mt19937_64 random(2024);
        Problem p = makeProblem(layer, random);
        QVERIFY(p.forward);
        Tensors params = p.store.values();
        const Matrix y = p.forward(params, p.input);
        const Matrix weights =
            randomMatrix(static_cast<int>(y.rows()), static_cast<int>(y.cols()), random);
        Tensors grads = nn::zerosLike(params);
        Matrix dx;
        p.backward(params, p.input, weights, grads, dx);

        const double eps = 1e-3;
        int checked = 0;
        const auto compare = [&](double analytic, double numeric, const QString& what) {
            const double tolerance = 2e-3 + 2e-2 * std::max(std::abs(analytic), std::abs(numeric));
            if (std::abs(analytic - numeric) > tolerance)
                QFAIL(qPrintable(
                    QString("%1: analytic %2 vs numeric %3").arg(what).arg(analytic).arg(numeric)));
            ++checked;
        };
        for (std::size_t t = 0; t < params.size(); ++t) {
            for (Eigen::Index i = 0; i < params[t].size();
                 i += std::max<Eigen::Index>(1, params[t].size() / 12)) {
                const float saved = params[t].data()[i];
                params[t].data()[i] = saved + static_cast<float>(eps);
                const double plus = probe(p, params, p.input, weights);
                params[t].data()[i] = saved - static_cast<float>(eps);
                const double minus = probe(p, params, p.input, weights);
                params[t].data()[i] = saved;
                compare(
                    grads[t].data()[i], (plus - minus) / (2 * eps),
                    QString::fromStdString(p.store.names()[t]) + "[" + QString::number(i) + "]");
            }
        }
        Matrix x = p.input;
        for (Eigen::Index i = 0; i < x.size(); i += std::max<Eigen::Index>(1, x.size() / 16)) {
            const float saved = x.data()[i];
            x.data()[i] = saved + static_cast<float>(eps);
            const double plus = probe(p, params, x, weights);
            x.data()[i] = saved - static_cast<float>(eps);
            const double minus = probe(p, params, x, weights);
            x.data()[i] = saved;
            compare(dx.data()[i], (plus - minus) / (2 * eps), "input[" + QString::number(i) + "]");
        }
        QVERIFY(checked >= 10);
    }

    void attentionIsCausal() {
        // Changing a later position must not change any earlier output row.
        std::mt19937_64 random(5);
        nn::ParameterStore store;
        nn::CausalSelfAttention attention;
        attention.create(store, "a", 8, 2, random);
        Matrix x = randomMatrix(7, 8, random);
        Matrix before, after;
        nn::CausalSelfAttention::Cache cache;
        attention.forward(store.values(), x, kSegments, before, cache);
        x.row(2).setConstant(3.0f);
        attention.forward(store.values(), x, kSegments, after, cache);
        QVERIFY((before.topRows(2) - after.topRows(2)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY((before.bottomRows(3) - after.bottomRows(3)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY((before.row(3) - after.row(3)).cwiseAbs().maxCoeff() > 1e-4f);
    }
};

QTEST_APPLESS_MAIN(TestNnGradients)
#include "test_nn_gradients.moc"

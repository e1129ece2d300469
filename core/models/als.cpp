#include "models/als.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <istream>
#include <limits>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "models/als_column_solver.h"
#include "models/als_solver.h"
#include "models/unknown_items.h"
#include "util/binary_io.h"
#include "util/parallel_for.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;

using als::RowMatrixXf;
using ConstFactors = Eigen::Map<const RowMatrixXf>;

std::uint64_t mix(std::uint64_t value) {
    // splitmix64 finaliser: spreads item ids so a sum of hashes is a good set fingerprint.
    value += 0x9E3779B97F4A7C15ull;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
    return value ^ (value >> 31);
}

RowMatrixXf toMatrix(const std::vector<float>& values, int rows, int cols) {
    return ConstFactors(values.data(), rows, cols);
}

std::vector<float> toVector(const Eigen::MatrixXf& matrix) {
    return std::vector<float>(matrix.data(), matrix.data() + matrix.size());
}

void validate(const AlsConfig& config) {
    if (config.factors <= 0)
        throw std::invalid_argument("als: factors must be positive, got " +
                                    std::to_string(config.factors));
    if (config.iterations <= 0)
        throw std::invalid_argument("als: iterations must be positive, got " +
                                    std::to_string(config.iterations));
    if (!(config.alpha >= 0.0f))
        throw std::invalid_argument("als: alpha must be >= 0, got " + std::to_string(config.alpha));
    if (!(config.regularization >= 0.0f))
        throw std::invalid_argument("als: regularization must be >= 0, got " +
                                    std::to_string(config.regularization));
    if (config.cgSteps <= 0)
        throw std::invalid_argument("als: cgSteps must be positive, got " +
                                    std::to_string(config.cgSteps));
}

bool allFinite(const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

// Rows of a factor matrix, in the order of `items`.
RowMatrixXf rowsOf(const ConstFactors& factors, std::span<const int> items) {
    RowMatrixXf rows(static_cast<Eigen::Index>(items.size()), factors.cols());
    for (std::size_t t = 0; t < items.size(); ++t)
        rows.row(static_cast<Eigen::Index>(t)) = factors.row(items[t]);
    return rows;
}

// The confidences c_j = 1 + alpha f_j of a weighted history, in its order.
Eigen::VectorXf confidencesOf(std::span<const WeightedItem> row, float alpha) {
    Eigen::VectorXf confidence(static_cast<Eigen::Index>(row.size()));
    for (std::size_t j = 0; j < row.size(); ++j)
        confidence[static_cast<Eigen::Index>(j)] = 1.0f + alpha * row[j].strength;
    return confidence;
}

// A user's system A_u = A_0 + U U^T in the Woodbury form, factored over |h| x |h| rather than
// k x k (the cheaper one while the history is shorter than the factor count). A_0 = YtY + reg I is
// the same for every user and U = Y_h^T D with D = diag(sqrt(c_j - 1)). With Z = Y A_0^-1
// (`whitened`), K = Y_h A_0^-1 Y_h^T = Z_h Y_h^T and M = I + D K D:
//   A_u^-1 = A_0^-1 - A_0^-1 U M^-1 U^T A_0^-1.
class WoodburySystem {
public:
    WoodburySystem(const ConstFactors& y, const ConstFactors& whitened,
                   std::span<const WeightedItem> row, float alpha)
        : y_(y) {
        const auto h = static_cast<Eigen::Index>(row.size());
        std::vector<int> items(row.size());
        d_.resize(h);
        for (std::size_t j = 0; j < row.size(); ++j) {
            items[j] = row[j].item;
            d_[static_cast<Eigen::Index>(j)] = std::sqrt(std::max(0.0f, alpha * row[j].strength));
        }
        whitenedHistory_ = rowsOf(whitened, items);
        k_.resize(h, h);
        k_.triangularView<Eigen::Lower>() = whitenedHistory_ * rowsOf(y, items).transpose();
        k_ = k_.selfadjointView<Eigen::Lower>();
        Eigen::MatrixXf m = d_.asDiagonal() * k_ * d_.asDiagonal();
        m.diagonal().array() += 1.0f;
        m_.compute(m);
    }

    // Y_h A_u^-1 Y_t^T = Q - K D M^-1 D Q with Q = Z_h Y_t^T: s_ji for history j, target i.
    Eigen::MatrixXf similarity(std::span<const int> targets) const {
        const Eigen::MatrixXf q = whitenedHistory_ * rowsOf(y_, targets).transpose();
        return q - k_ * (d_.asDiagonal() * m_.solve(d_.asDiagonal() * q));
    }

    // The fold-in A_u^-1 Y_h^T c = Z_h^T (c - D M^-1 D K c) for the confidences c.
    Eigen::VectorXf solveHistory(const Eigen::VectorXf& confidence) const {
        const Eigen::VectorXf kc = k_ * confidence;
        const Eigen::VectorXf corrected =
            confidence - d_.asDiagonal() * m_.solve(d_.asDiagonal() * kc);
        return whitenedHistory_.transpose() * corrected;
    }

private:
    ConstFactors y_;               // a view of the model's Y
    RowMatrixXf whitenedHistory_;  // Z_h
    Eigen::MatrixXf k_;
    Eigen::VectorXf d_;
    Eigen::LLT<Eigen::MatrixXf> m_;
};

}  // namespace

// One user's normal equations over a weighted history: the history's item factors (one row per
// entry), their confidences c_j, and the Cholesky factor of A_u.
struct Als::UserSystem {
    RowMatrixXf history;
    Eigen::VectorXf confidence;
    Eigen::LLT<Eigen::MatrixXf> factor;
};

std::uint64_t historyFingerprint(std::span<const WeightedItem> row) {
    std::uint64_t hash = mix(row.size());
    for (const auto& entry : row) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &entry.strength, sizeof bits);
        hash +=
            mix((static_cast<std::uint64_t>(static_cast<std::uint32_t>(entry.item)) << 32) | bits);
    }
    return hash;
}

Als::Als(AlsConfig config) : config_(config) { validate(config_); }

std::vector<WeightedItem> Als::weighted(std::span<const Event> history) const {
    return weightedHistory(history, itemCount_, episodes_, config_.confidence);
}

void Als::computeDerived() {
    itemGram_ = toVector(als::gramMatrix(toMatrix(itemFactors_, itemCount_, factors_)));
    userGram_ = toVector(als::gramMatrix(toMatrix(userFactors_, userCount_, factors_)));
    // Z = Y A_0^-1, A_0 = YtY + reg I: rows A_0^-1 y_i, for the explanations' Woodbury form.
    Eigen::MatrixXf a0 = Eigen::Map<const Eigen::MatrixXf>(itemGram_.data(), factors_, factors_);
    a0.diagonal().array() += config_.regularization;
    const RowMatrixXf whitened =
        a0.llt().solve(toMatrix(itemFactors_, itemCount_, factors_).transpose()).transpose();
    whitenedItemFactors_.assign(whitened.data(), whitened.data() + whitened.size());
    itemsByNorm_ = NormOrderedItems(itemFactors_, itemCount_, factors_);
}

void Als::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const WeightedMatrix byUser = buildWeightedMatrix(data, config_.confidence);
    const bool cholesky = config_.solver == AlsConfig::Solver::Cholesky;
    // Conjugate gradient solves the item side from the user-major matrix (als_column_solver.h);
    // only the exact solver needs the transposed copy.
    const WeightedMatrix byItem = cholesky ? byUser.transposed() : WeightedMatrix{};
    const int users = byUser.rows;
    const int items = byUser.cols;
    const int k = config_.factors;
    const int threads = config_.threads > 0 ? config_.threads : defaultThreadCount();

    // Small positive uniform start (as the `implicit` library does): symmetric and seeded.
    std::mt19937_64 rng(config_.seed);
    std::uniform_real_distribution<float> uniform(0.0f, 0.01f);
    RowMatrixXf x(users, k), y(items, k);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = uniform(rng);
    for (Eigen::Index i = 0; i < y.size(); ++i) y.data()[i] = uniform(rng);

    const auto sweep = [&](const WeightedMatrix& rows, RowMatrixXf& solved,
                           const RowMatrixXf& fixed) {
        const Eigen::MatrixXf gram = als::gramMatrix(fixed, threads);
        const als::Problem problem{fixed, gram, config_.regularization, config_.alpha};
        parallelFor(
            0, rows.rows, threads,
            [&](int r) {
                Eigen::VectorXf factor = solved.row(r).transpose();
                if (cholesky)
                    als::solveCholesky(problem, rows.row(r), factor);
                else
                    als::solveConjugateGradient(problem, rows.row(r), config_.cgSteps, factor);
                solved.row(r) = factor.transpose();
            },
            16);
    };
    const auto itemSweep = [&] {
        if (cholesky) {
            sweep(byItem, y, x);
            return;
        }
        als::solveColumnsConjugateGradient(byUser, x, als::gramMatrix(x, threads),
                                           config_.regularization, config_.alpha, config_.cgSteps,
                                           threads, y);
    };

    double totalConfidence = 0.0;
    for (const auto& entry : byUser.entries)
        totalConfidence += 1.0 + config_.alpha * entry.strength;
    const double normaliser = totalConfidence + static_cast<double>(users) * items -
                              static_cast<double>(byUser.entries.size());

    std::vector<double> curve;
    reportProgress(progress, {"als iteration", 0, config_.iterations, ""});
    for (int iteration = 1; iteration <= config_.iterations; ++iteration) {
        sweep(byUser, x, y);
        itemSweep();
        std::string detail;
        if (config_.computeLoss) {
            const Eigen::MatrixXf gram = als::gramMatrix(y, threads);
            const als::Problem problem{y, gram, config_.regularization, config_.alpha};
            std::vector<double> perUser(static_cast<std::size_t>(users), 0.0);
            parallelFor(
                0, users, threads,
                [&](int u) {
                    perUser[static_cast<std::size_t>(u)] =
                        als::rowLoss(problem, byUser.row(u), x.row(u).transpose());
                },
                64);
            double loss = 0.0;
            for (double value : perUser) loss += value;
            loss +=
                config_.regularization * (static_cast<double>(x.squaredNorm()) + y.squaredNorm());
            loss /= std::max(1.0, normaliser);
            curve.push_back(loss);
            std::ostringstream text;
            text << "loss " << loss;
            detail = text.str();
        }
        reportProgress(progress, {"als iteration", iteration, config_.iterations, detail});
    }

    userCount_ = users;
    itemCount_ = items;
    factors_ = k;
    userFactors_.assign(x.data(), x.data() + x.size());
    itemFactors_.assign(y.data(), y.data() + y.size());
    historyHash_.resize(static_cast<std::size_t>(users));
    for (int u = 0; u < users; ++u)
        historyHash_[static_cast<std::size_t>(u)] = historyFingerprint(byUser.row(u));
    episodes_ = episodesByItem(data.catalog);
    episodes_.resize(static_cast<std::size_t>(items), -1);
    popularity_.assign(static_cast<std::size_t>(items), 0.0f);
    float maxCount = 1.0f;
    for (const auto& entry : byUser.entries)
        popularity_[static_cast<std::size_t>(entry.item)] += 1.0f;
    for (float count : popularity_) maxCount = std::max(maxCount, count);
    for (auto& value : popularity_) value /= maxCount;
    trainingCurve_ = std::move(curve);
    computeDerived();
}

std::vector<float> Als::userFactorsFor(std::span<const Event> history) const {
    if (factors_ == 0) throw std::runtime_error("als: model is not trained");
    const auto row = weighted(history);
    if (row.empty()) return std::vector<float>(static_cast<std::size_t>(factors_), 0.0f);
    Eigen::VectorXf x;
    if (row.size() < static_cast<std::size_t>(factors_)) {
        // |h| x |h| instead of k x k, and closer to the double-precision solve: at 256 factors
        // on the CooperUnion union, p50 0.19 ms against 1.25 ms (`bench_serving_path als`,
        // "fold-in"). Every /feedback makes its user's next answer a fold-in.
        const ConstFactors y(itemFactors_.data(), itemCount_, factors_);
        const ConstFactors whitened(whitenedItemFactors_.data(), itemCount_, factors_);
        x = WoodburySystem(y, whitened, row, config_.alpha)
                .solveHistory(confidencesOf(row, config_.alpha));
    } else {
        // The Cholesky fold-in of als::solveCholesky, built on a view of Y rather than a copy.
        const UserSystem system = userSystem(row);
        x = system.factor.solve(system.history.transpose() * system.confidence);
    }
    return std::vector<float>(x.data(), x.data() + x.size());
}

std::vector<float> Als::itemFactorsFor(std::span<const WeightedItem> users) const {
    if (factors_ == 0) throw std::runtime_error("als: model is not trained");
    std::vector<WeightedItem> known;
    for (const auto& entry : users)
        if (entry.item >= 0 && entry.item < userCount_ && entry.strength > 0.0f)
            known.push_back(entry);
    const RowMatrixXf x = toMatrix(userFactors_, userCount_, factors_);
    const Eigen::MatrixXf gram =
        Eigen::Map<const Eigen::MatrixXf>(userGram_.data(), factors_, factors_);
    Eigen::VectorXf y = Eigen::VectorXf::Zero(factors_);
    als::solveCholesky({x, gram, config_.regularization, config_.alpha}, known, y);
    return std::vector<float>(y.data(), y.data() + y.size());
}

void Als::score(const UserQuery& query, std::span<float> scores) const {
    if (factors_ == 0) throw std::runtime_error("als: model is not trained");
    const auto known = std::min<std::size_t>(scores.size(), static_cast<std::size_t>(itemCount_));
    const ConstFactors y(itemFactors_.data(), itemCount_, factors_);
    Eigen::Map<Eigen::VectorXf> out(scores.data(), static_cast<Eigen::Index>(known));

    const auto row = weighted(query.history);
    if (trainedOn(query.user, row)) {
        const Eigen::Map<const Eigen::VectorXf> x(
            userFactors_.data() + static_cast<std::size_t>(query.user) * factors_, factors_);
        out.noalias() = y.topRows(static_cast<Eigen::Index>(known)) * x;
    } else if (!row.empty()) {
        const auto factors = userFactorsFor(query.history);
        const Eigen::Map<const Eigen::VectorXf> x(factors.data(), factors_);
        out.noalias() = y.topRows(static_cast<Eigen::Index>(known)) * x;
    } else {
        // Nothing known about this user: a popularity order, scaled below any real preference.
        for (std::size_t i = 0; i < known; ++i) scores[i] = 1e-3f * popularity_[i];
    }
    scoreUnknownItemsLast(scores, known);
}

bool Als::trainedOn(int user, std::span<const WeightedItem> row) const {
    return user >= 0 && user < userCount_ &&
           historyHash_[static_cast<std::size_t>(user)] == historyFingerprint(row);
}

std::vector<ScoredItem> Als::recommend(const UserQuery& query, int catalogueSize, int k,
                                       std::span<const int> exclude) const {
    if (factors_ == 0) throw std::runtime_error("als: model is not trained");
    if (catalogueSize != itemCount_)
        return Recommender::recommend(query, catalogueSize, k, exclude);
    const auto row = weighted(query.history);
    if (trainedOn(query.user, row))
        return itemsByNorm_.topK(std::span(userFactors_)
                                     .subspan(static_cast<std::size_t>(query.user) * factors_,
                                              static_cast<std::size_t>(factors_)),
                                 k, exclude);
    if (row.empty()) return Recommender::recommend(query, catalogueSize, k, exclude);
    return itemsByNorm_.topK(userFactorsFor(query.history), k, exclude);
}

std::vector<Contribution> Als::explain(const UserQuery& query, int item, int count) const {
    const int items[] = {item};
    return std::move(explainItems(query, items, count).front());
}

std::vector<std::vector<Contribution>> Als::explainItems(const UserQuery& query,
                                                         std::span<const int> items,
                                                         int count) const {
    if (factors_ == 0) throw std::runtime_error("als: model is not trained");
    std::vector<std::vector<Contribution>> result(items.size());
    std::vector<int> targets;  // the known items of `items`, and where their answer goes
    std::vector<std::size_t> slots;
    for (std::size_t k = 0; k < items.size(); ++k)
        if (items[k] >= 0 && items[k] < itemCount_) {
            targets.push_back(items[k]);
            slots.push_back(k);
        }
    const auto row = weighted(query.history);
    if (row.empty() || targets.empty()) return result;

    // s_ji = y_j^T A_u^-1 y_i for history items j and targets i (W_u depends on the history
    // only, so one factorisation serves every target).
    const ConstFactors y(itemFactors_.data(), itemCount_, factors_);
    Eigen::MatrixXf similarity;
    if (row.size() < static_cast<std::size_t>(factors_)) {
        const ConstFactors whitened(whitenedItemFactors_.data(), itemCount_, factors_);
        similarity = WoodburySystem(y, whitened, row, config_.alpha).similarity(targets);
    } else {
        const UserSystem system = userSystem(row);
        const Eigen::MatrixXf weightedTargets = system.factor.solve(rowsOf(y, targets).transpose());
        similarity = system.history * weightedTargets;
    }
    const Eigen::VectorXf confidence = confidencesOf(row, config_.alpha);

    std::vector<Contribution> all(row.size());
    for (std::size_t t = 0; t < targets.size(); ++t) {
        for (std::size_t j = 0; j < row.size(); ++j)
            all[j] = {row[j].item,
                      similarity(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(t)) *
                          confidence[static_cast<Eigen::Index>(j)]};
        result[slots[t]] = strongestContributions(all, count);
    }
    return result;
}

Als::UserSystem Als::userSystem(std::span<const WeightedItem> row) const {
    const ConstFactors y(itemFactors_.data(), itemCount_, factors_);
    const auto h = static_cast<Eigen::Index>(row.size());
    UserSystem system;
    system.history.resize(h, factors_);
    system.confidence.resize(h);
    // sum_j (c_j - 1) y_j y_j^T as one rank-|row| update of sqrt(c_j - 1) y_j (c_j - 1 =
    // alpha f_j >= 0): a blocked, vectorised kernel instead of |row| rank-1 updates.
    RowMatrixXf scaled(h, factors_);
    for (Eigen::Index j = 0; j < h; ++j) {
        const auto& entry = row[static_cast<std::size_t>(j)];
        const float extra = config_.alpha * entry.strength;
        system.history.row(j) = y.row(entry.item);
        system.confidence[j] = 1.0f + extra;
        scaled.row(j) = std::sqrt(std::max(0.0f, extra)) * system.history.row(j);
    }
    Eigen::MatrixXf a = Eigen::Map<const Eigen::MatrixXf>(itemGram_.data(), factors_, factors_);
    a.diagonal().array() += config_.regularization;
    a.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
    system.factor.compute(a);  // reads the lower triangle only
    return system;
}

void Als::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<std::int32_t>(out, config_.factors);
    binary::write<float>(out, config_.regularization);
    binary::write<float>(out, config_.alpha);
    binary::write<std::int32_t>(out, config_.iterations);
    binary::write<std::int32_t>(out, config_.solver == AlsConfig::Solver::Cholesky ? 1 : 0);
    binary::write<std::int32_t>(out, config_.cgSteps);
    binary::write<std::uint64_t>(out, config_.seed);
    binary::write<ConfidenceConfig>(out, config_.confidence);
    binary::write<std::int32_t>(out, userCount_);
    binary::write<std::int32_t>(out, itemCount_);
    binary::write<std::int32_t>(out, factors_);
    binary::writeVector(out, userFactors_);
    binary::writeVector(out, itemFactors_);
    binary::writeVector(out, historyHash_);
    binary::writeVector(out, episodes_);
    binary::writeVector(out, popularity_);
    binary::writeVector(out, trainingCurve_);
    if (!out) throw std::runtime_error("als: writing the model failed");
}

void Als::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "als body version");
    if (version != kBodyVersion)
        throw std::runtime_error("als: unsupported body version " + std::to_string(version));
    AlsConfig config = config_;
    config.factors = binary::read<std::int32_t>(in, "als factors");
    config.regularization = binary::read<float>(in, "als regularization");
    config.alpha = binary::read<float>(in, "als alpha");
    config.iterations = binary::read<std::int32_t>(in, "als iterations");
    const auto solver = binary::read<std::int32_t>(in, "als solver");
    config.solver =
        solver == 1 ? AlsConfig::Solver::Cholesky : AlsConfig::Solver::ConjugateGradient;
    config.cgSteps = binary::read<std::int32_t>(in, "als cg steps");
    config.seed = binary::read<std::uint64_t>(in, "als seed");
    config.confidence = binary::read<ConfidenceConfig>(in, "als confidence");
    const auto users = binary::read<std::int32_t>(in, "als user count");
    const auto items = binary::read<std::int32_t>(in, "als item count");
    const auto k = binary::read<std::int32_t>(in, "als factor count");
    if (users < 0 || items < 0 || k <= 0 || k > 4096 || (solver != 0 && solver != 1))
        throw std::runtime_error("als: model body has impossible sizes");
    try {
        validate(config);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("als: model body has a bad config: ") + error.what());
    }
    auto userFactors = binary::readVector<float>(in, "als user factors");
    auto itemFactors = binary::readVector<float>(in, "als item factors");
    auto hashes = binary::readVector<std::uint64_t>(in, "als history fingerprints");
    auto episodes = binary::readVector<int>(in, "als episodes");
    auto popularity = binary::readVector<float>(in, "als popularity");
    auto curve = binary::readVector<double>(in, "als training curve");
    const auto u = static_cast<std::size_t>(users), i = static_cast<std::size_t>(items);
    if (userFactors.size() != u * static_cast<std::size_t>(k) ||
        itemFactors.size() != i * static_cast<std::size_t>(k) || hashes.size() != u ||
        episodes.size() != i || popularity.size() != i)
        throw std::runtime_error("als: model body sizes do not match its header");
    if (!allFinite(userFactors) || !allFinite(itemFactors) || !allFinite(popularity))
        throw std::runtime_error("als: model body holds non-finite factors");

    config_ = config;
    userCount_ = users;
    itemCount_ = items;
    factors_ = k;
    userFactors_ = std::move(userFactors);
    itemFactors_ = std::move(itemFactors);
    historyHash_ = std::move(hashes);
    episodes_ = std::move(episodes);
    popularity_ = std::move(popularity);
    trainingCurve_ = std::move(curve);
    computeDerived();
}

}  // namespace animerec

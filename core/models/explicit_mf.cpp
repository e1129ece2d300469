#include "models/explicit_mf.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <istream>
#include <numeric>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "models/unknown_items.h"
#include "util/binary_io.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;

void validate(const ExplicitMfConfig& c) {
    const auto fail = [](const std::string& what) { throw std::invalid_argument("mf: " + what); };
    if (c.factors < 1) fail("factors must be >= 1, got " + std::to_string(c.factors));
    if (c.epochs < 1) fail("epochs must be >= 1, got " + std::to_string(c.epochs));
    if (!(c.learningRate > 0.0f))
        fail("learningRate must be > 0, got " + std::to_string(c.learningRate));
    if (!(c.regularization >= 0.0f))
        fail("regularization must be >= 0, got " + std::to_string(c.regularization));
    if (!(c.initStd >= 0.0f)) fail("initStd must be >= 0, got " + std::to_string(c.initStd));
    if (!(c.minRating < c.maxRating)) fail("minRating must be below maxRating");
}

struct Rating {
    int user;
    int item;
    float value;
};

bool allFinite(const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

}  // namespace

ExplicitMf::ExplicitMf(ExplicitMfConfig config) : config_(config) { validate(config_); }

void ExplicitMf::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const auto& interactions = data.interactions;
    const int users = interactions.userCount();
    const int items = std::max(interactions.itemCount(), data.catalog.size());
    const int k = config_.factors;

    std::vector<Rating> ratings;
    std::vector<std::uint8_t> rated(static_cast<std::size_t>(items), 0);
    double sum = 0.0;
    for (int user = 0; user < users; ++user)
        for (const auto& event : interactions.historyOf(user))
            if (event.rating > 0.0f) {
                ratings.push_back({user, event.item, event.rating});
                rated[static_cast<std::size_t>(event.item)] = 1;
                sum += event.rating;
            }
    const float mu = ratings.empty()
                         ? 0.5f * (config_.minRating + config_.maxRating)
                         : static_cast<float>(sum / static_cast<double>(ratings.size()));

    std::mt19937_64 rng(config_.seed);
    std::normal_distribution<float> normal(0.0f, config_.initStd);
    std::vector<float> bu(static_cast<std::size_t>(users), 0.0f),
        bi(static_cast<std::size_t>(items), 0.0f);
    std::vector<float> p(static_cast<std::size_t>(users) * k),
        q(static_cast<std::size_t>(items) * k);
    for (auto& v : p) v = normal(rng);
    for (auto& v : q) v = normal(rng);

    const float lr = config_.learningRate, reg = config_.regularization;
    std::vector<double> curve;
    std::vector<std::size_t> order(ratings.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (int epoch = 1; epoch <= config_.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        double squaredError = 0.0;
        for (std::size_t index : order) {
            const auto& r = ratings[index];
            float* pu = p.data() + static_cast<std::size_t>(r.user) * k;
            float* qi = q.data() + static_cast<std::size_t>(r.item) * k;
            float dot = 0.0f;
            for (int f = 0; f < k; ++f) dot += pu[f] * qi[f];
            float& userBias = bu[static_cast<std::size_t>(r.user)];
            float& itemBias = bi[static_cast<std::size_t>(r.item)];
            const float error = r.value - (mu + userBias + itemBias + dot);
            squaredError += static_cast<double>(error) * error;
            userBias += lr * (error - reg * userBias);
            itemBias += lr * (error - reg * itemBias);
            for (int f = 0; f < k; ++f) {
                const float puf = pu[f];
                pu[f] += lr * (error * qi[f] - reg * puf);
                qi[f] += lr * (error * puf - reg * qi[f]);
            }
        }
        const double rmse =
            ratings.empty() ? 0.0 : std::sqrt(squaredError / static_cast<double>(ratings.size()));
        curve.push_back(rmse);
        std::ostringstream detail;
        detail << "train rmse " << rmse;
        reportProgress(progress, {"mf epoch", epoch, config_.epochs, detail.str()});
    }
    if (!allFinite(p) || !allFinite(q))
        throw std::runtime_error(
            "mf: training diverged (non-finite factors); lower the learning rate");

    userCount_ = users;
    itemCount_ = items;
    factors_ = k;
    globalMean_ = mu;
    userBias_ = std::move(bu);
    itemBias_ = std::move(bi);
    userFactors_ = std::move(p);
    itemFactors_ = std::move(q);
    itemRated_ = std::move(rated);
    trainingCurve_ = std::move(curve);
    trained_ = true;
}

float ExplicitMf::predictRaw(const float* userFactor, float userBias, int item) const {
    const auto i = static_cast<std::size_t>(item);
    if (item < 0 || item >= itemCount_ || !itemRated_[i]) return globalMean_ + userBias;
    float value = globalMean_ + userBias + itemBias_[i];
    if (userFactor) {
        const float* qi = itemFactors_.data() + i * static_cast<std::size_t>(factors_);
        for (int f = 0; f < factors_; ++f) value += userFactor[f] * qi[f];
    }
    return value;
}

float ExplicitMf::predictRating(int user, int item) const {
    if (!trained_) throw std::runtime_error("mf: model is not trained");
    const bool known = user >= 0 && user < userCount_;
    const auto u = static_cast<std::size_t>(user);
    const float raw = known
                          ? predictRaw(userFactors_.data() + u * static_cast<std::size_t>(factors_),
                                       userBias_[u], item)
                          : predictRaw(nullptr, 0.0f, item);
    return std::clamp(raw, config_.minRating, config_.maxRating);
}

void ExplicitMf::score(const UserQuery& query, std::span<float> scores) const {
    if (!trained_) throw std::runtime_error("mf: model is not trained");
    std::vector<float> foldedFactor;
    const float* userFactor = nullptr;
    float userBias = 0.0f;
    if (query.user >= 0 && query.user < userCount_) {
        const auto u = static_cast<std::size_t>(query.user);
        userFactor = userFactors_.data() + u * static_cast<std::size_t>(factors_);
        userBias = userBias_[u];
    } else {
        // Ridge fit of z = [b_u, p_u] with the item side fixed: residual r - mu - b_i against
        // features [1, q_i], same L2 weight as training (scaled by the count, as SGD's per-rating
        // shrinkage accumulates).
        const int d = factors_ + 1;
        Eigen::MatrixXf a = Eigen::MatrixXf::Zero(d, d);
        Eigen::VectorXf b = Eigen::VectorXf::Zero(d);
        Eigen::VectorXf feature(d);
        int count = 0;
        for (const auto& event : query.history) {
            if (event.rating <= 0.0f || event.item < 0 || event.item >= itemCount_) continue;
            const auto i = static_cast<std::size_t>(event.item);
            if (!itemRated_[i]) continue;
            feature(0) = 1.0f;
            feature.tail(factors_) =
                Eigen::Map<const Eigen::VectorXf>(itemFactors_.data() + i * factors_, factors_);
            a.selfadjointView<Eigen::Lower>().rankUpdate(feature);
            b += (event.rating - globalMean_ - itemBias_[i]) * feature;
            ++count;
        }
        if (count > 0) {
            a.triangularView<Eigen::StrictlyUpper>() = a.transpose();
            a.diagonal().array() +=
                std::max(config_.regularization * static_cast<float>(count), 1e-3f);
            const Eigen::VectorXf z = a.llt().solve(b);
            userBias = z(0);
            foldedFactor.assign(z.data() + 1, z.data() + d);
            userFactor = foldedFactor.data();
        }
    }
    const auto known = std::min<std::size_t>(scores.size(), static_cast<std::size_t>(itemCount_));
    const auto rated = [&](std::size_t i) { return i < known && itemRated_[i] != 0; };
    for (std::size_t i = 0; i < known; ++i)
        if (rated(i)) scores[i] = predictRaw(userFactor, userBias, static_cast<int>(i));
    scoreUnknownItemsLast(scores, rated);
}

void ExplicitMf::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<ExplicitMfConfig>(out, config_);
    binary::write<std::int32_t>(out, userCount_);
    binary::write<std::int32_t>(out, itemCount_);
    binary::write<std::int32_t>(out, factors_);
    binary::write<float>(out, globalMean_);
    binary::writeVector(out, userBias_);
    binary::writeVector(out, itemBias_);
    binary::writeVector(out, userFactors_);
    binary::writeVector(out, itemFactors_);
    binary::writeVector(out, itemRated_);
    binary::writeVector(out, trainingCurve_);
    if (!out) throw std::runtime_error("mf: writing the model failed");
}

void ExplicitMf::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "mf body version");
    if (version != kBodyVersion)
        throw std::runtime_error("mf: unsupported body version " + std::to_string(version));
    const auto config = binary::read<ExplicitMfConfig>(in, "mf config");
    try {
        validate(config);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("mf: model body has a bad config: ") + error.what());
    }
    const auto users = binary::read<std::int32_t>(in, "mf user count");
    const auto items = binary::read<std::int32_t>(in, "mf item count");
    const auto k = binary::read<std::int32_t>(in, "mf factor count");
    const auto mu = binary::read<float>(in, "mf global mean");
    if (users < 0 || items < 0 || k < 1 || k > 4096 || !std::isfinite(mu))
        throw std::runtime_error("mf: model body has an impossible header");
    auto bu = binary::readVector<float>(in, "mf user biases");
    auto bi = binary::readVector<float>(in, "mf item biases");
    auto p = binary::readVector<float>(in, "mf user factors");
    auto q = binary::readVector<float>(in, "mf item factors");
    auto rated = binary::readVector<std::uint8_t>(in, "mf rated items");
    auto curve = binary::readVector<double>(in, "mf training curve");
    const auto u = static_cast<std::size_t>(users), i = static_cast<std::size_t>(items),
               f = static_cast<std::size_t>(k);
    if (bu.size() != u || bi.size() != i || p.size() != u * f || q.size() != i * f ||
        rated.size() != i)
        throw std::runtime_error("mf: model body sizes do not match its header");
    if (!allFinite(bu) || !allFinite(bi) || !allFinite(p) || !allFinite(q))
        throw std::runtime_error("mf: model body holds non-finite parameters");
    config_ = config;
    userCount_ = users;
    itemCount_ = items;
    factors_ = k;
    globalMean_ = mu;
    userBias_ = std::move(bu);
    itemBias_ = std::move(bi);
    userFactors_ = std::move(p);
    itemFactors_ = std::move(q);
    itemRated_ = std::move(rated);
    trainingCurve_ = std::move(curve);
    trained_ = true;
}

}  // namespace animerec

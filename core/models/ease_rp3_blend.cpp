#include "models/ease_rp3_blend.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "util/binary_io.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;

void validateWeight(float weight) {
    if (!(weight >= 0.0f && weight <= 1.0f))
        throw std::invalid_argument("ease_rp3: ease_weight must be in [0, 1], got " +
                                    std::to_string(weight));
}

// mean and standard deviation in double: a 12k-item sum of floats loses the digits that the
// difference between close scores lives in.
std::pair<double, double> moments(std::span<const float> values) {
    if (values.empty()) return {0.0, 0.0};
    double sum = 0.0, squares = 0.0;
    for (float v : values) {
        sum += v;
        squares += static_cast<double>(v) * v;
    }
    const double n = static_cast<double>(values.size());
    const double mean = sum / n;
    return {mean, std::sqrt(std::max(0.0, squares / n - mean * mean))};
}

std::vector<int> distinctHistoryItems(const UserQuery& query) {
    std::vector<int> history;
    for (const auto& event : query.history) history.push_back(event.item);
    std::sort(history.begin(), history.end());
    history.erase(std::unique(history.begin(), history.end()), history.end());
    return history;
}

}  // namespace

EaseRp3Blend::EaseRp3Blend(EaseRp3BlendConfig config)
    : config_(config), ease_(config.ease), rp3_(config.rp3) {
    validateWeight(config_.easeWeight);
}

void EaseRp3Blend::setEaseWeight(float weight) {
    validateWeight(weight);
    config_.easeWeight = weight;
}

void EaseRp3Blend::fit(const Dataset& data, const ProgressCallback& progress) {
    validateWeight(config_.easeWeight);
    Ease ease(config_.ease);
    Rp3Beta rp3(config_.rp3);
    ease.fit(data, progress);
    rp3.fit(data, progress);
    ease_ = std::move(ease);
    rp3_ = std::move(rp3);
    indexEaseItems();
}

void EaseRp3Blend::indexEaseItems() {
    const auto& items = ease_.modelledItems();
    const int largest = items.empty() ? -1 : *std::max_element(items.begin(), items.end());
    easePosition_.assign(static_cast<std::size_t>(largest + 1), -1);
    for (std::size_t p = 0; p < items.size(); ++p)
        easePosition_[static_cast<std::size_t>(items[p])] = static_cast<int>(p);
}

EaseRp3Blend::Standardised EaseRp3Blend::blend(const UserQuery& query,
                                               std::span<float> scores) const {
    std::vector<float> rp3Scores(scores.size());
    ease_.score(query, scores);
    rp3_.score(query, rp3Scores);
    const auto [easeMean, easeSd] = moments(scores);
    const auto [rp3Mean, rp3Sd] = moments(rp3Scores);
    const float w = config_.easeWeight;
    Standardised scales;
    if (easeSd > 0.0) scales.easeScale = static_cast<float>(w / easeSd);
    if (rp3Sd > 0.0) scales.rp3Scale = static_cast<float>((1.0 - w) / rp3Sd);
    const auto easeShift = static_cast<float>(easeMean), rp3Shift = static_cast<float>(rp3Mean);
    for (std::size_t i = 0; i < scores.size(); ++i)
        scores[i] = scales.easeScale * (scores[i] - easeShift) +
                    scales.rp3Scale * (rp3Scores[i] - rp3Shift);
    return scales;
}

void EaseRp3Blend::score(const UserQuery& query, std::span<float> scores) const {
    blend(query, scores);
}

std::vector<Contribution> EaseRp3Blend::explain(const UserQuery& query, int item, int count) const {
    const int items[] = {item};
    return explainItems(query, items, count).front();
}

std::vector<std::vector<Contribution>> EaseRp3Blend::explainItems(const UserQuery& query,
                                                                  std::span<const int> items,
                                                                  int count) const {
    std::vector<std::vector<Contribution>> result(items.size());
    if (items.empty() || rp3_.itemCount() == 0) return result;
    // The scales depend on the whole score vector of this query, as in score().
    std::vector<float> scratch(static_cast<std::size_t>(rp3_.itemCount()));
    const Standardised scales = blend(query, scratch);
    const std::vector<int> history = distinctHistoryItems(query);
    for (std::size_t k = 0; k < items.size(); ++k)
        result[k] = explainWith(scales, history, items[k], count);
    return result;
}

std::vector<Contribution> EaseRp3Blend::explainWith(const Standardised& scales,
                                                    std::span<const int> history, int item,
                                                    int count) const {
    if (item < 0 || item >= rp3_.itemCount()) return {};
    const auto positionOf = [&](int catalogueIndex) {
        return catalogueIndex >= 0 && catalogueIndex < static_cast<int>(easePosition_.size())
                   ? easePosition_[static_cast<std::size_t>(catalogueIndex)]
                   : -1;
    };
    const int target = positionOf(item);
    std::vector<Contribution> all;
    for (int source : history) {
        float weight = scales.rp3Scale * rp3_.weight(source, item);
        if (const int p = positionOf(source); p >= 0 && target >= 0)
            weight += scales.easeScale * ease_.weight(p, target);
        all.push_back({source, weight});
    }
    return strongestContributions(std::move(all), count);
}

void EaseRp3Blend::save(std::ostream& out) const {
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<float>(out, config_.easeWeight);
    ease_.save(out);
    rp3_.save(out);
    if (!out) throw std::runtime_error("ease_rp3: writing the model failed");
}

void EaseRp3Blend::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "ease_rp3 body version");
    if (version != kBodyVersion)
        throw std::runtime_error("ease_rp3: unsupported body version " + std::to_string(version));
    const auto weight = binary::read<float>(in, "ease_rp3 weight");
    if (!(weight >= 0.0f && weight <= 1.0f))
        throw std::runtime_error("ease_rp3: model body has an impossible weight");
    Ease ease(config_.ease);
    Rp3Beta rp3(config_.rp3);
    ease.load(in);
    rp3.load(in);
    config_.easeWeight = weight;
    config_.ease = ease.config();
    config_.rp3 = rp3.config();
    ease_ = std::move(ease);
    rp3_ = std::move(rp3);
    indexEaseItems();
}

}  // namespace animerec

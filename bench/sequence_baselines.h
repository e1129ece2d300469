#pragma once

// Baselines with no learning beyond counting, for the session benchmarks: they show how much of
// a session model's figure a shortcut already explains. Bench-only (not model families).
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/recommender.h"

namespace animerec::bench {

// Train interaction counts scaled into [0, 1): added to a score, it orders only its ties.
inline std::vector<float> popularityTieBreak(const Interactions& train) {
    const auto counts = train.itemCounts();
    const int most = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
    std::vector<float> tieBreak(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
        tieBreak[i] = static_cast<float>(counts[i]) / static_cast<float>(most + 1);
    return tieBreak;
}

class CountingBaseline : public Recommender {
public:
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
};

// First-order Markov chain: how often title j followed the user's last title in the train
// histories (every event, in history order), popularity ordering the ties.
class MarkovChain final : public CountingBaseline {
public:
    std::string name() const override { return "markov"; }
    void fit(const Dataset& data, const ProgressCallback&) override {
        tieBreak_ = popularityTieBreak(data.interactions);
        next_.assign(tieBreak_.size(), {});
        for (int user = 0; user < data.interactions.userCount(); ++user) {
            const auto history = data.interactions.historyOf(user);
            for (std::size_t i = 1; i < history.size(); ++i)
                ++next_[static_cast<std::size_t>(history[i - 1].item)][history[i].item];
        }
    }
    void score(const UserQuery& query, std::span<float> scores) const override {
        std::copy(tieBreak_.begin(), tieBreak_.end(), scores.begin());
        if (query.history.empty()) return;
        for (const auto& [item, count] : next_[static_cast<std::size_t>(query.history.back().item)])
            scores[static_cast<std::size_t>(item)] += static_cast<float>(count);
    }

private:
    std::vector<float> tieBreak_;
    std::vector<std::unordered_map<int, int>> next_;
};

// "Popular titles with an id above the user's largest": the rule P2's id-sorted files reward.
class IdAboveRule final : public CountingBaseline {
public:
    std::string name() const override { return "id_above"; }
    void fit(const Dataset& data, const ProgressCallback&) override {
        tieBreak_ = popularityTieBreak(data.interactions);
        ids_.clear();
        for (int item = 0; item < data.catalog.size(); ++item)
            ids_.push_back(data.catalog.idAt(item));
    }
    void score(const UserQuery& query, std::span<float> scores) const override {
        std::int64_t largest = 0;
        for (const Event& event : query.history)
            largest = std::max(largest, ids_[static_cast<std::size_t>(event.item)]);
        for (std::size_t i = 0; i < scores.size(); ++i)
            scores[i] = tieBreak_[i] + (ids_[i] > largest ? 1.0f : 0.0f);
    }

private:
    std::vector<float> tieBreak_;
    std::vector<std::int64_t> ids_;
};

}  // namespace animerec::bench

#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace animerec {

std::vector<std::uint8_t> markHits(std::span<const int> ranking,
                                   std::span<const int> relevantSorted) {
    std::vector<std::uint8_t> hits(ranking.size(), 0);
    for (std::size_t i = 0; i < ranking.size(); ++i)
        hits[i] =
            std::binary_search(relevantSorted.begin(), relevantSorted.end(), ranking[i]) ? 1 : 0;
    return hits;
}

double rankDiscount(int rank) { return 1.0 / std::log2(static_cast<double>(rank) + 1.0); }

RankingMetrics rankingMetrics(std::span<const std::uint8_t> hits, int relevantCount, int k) {
    if (k < 1)
        throw std::invalid_argument("metric cut-off K must be >= 1, got " + std::to_string(k));
    RankingMetrics result;
    if (relevantCount <= 0) return result;
    const int depth = std::min<int>(k, static_cast<int>(hits.size()));
    const int ideal = std::min(k, relevantCount);
    int hitCount = 0;
    double dcg = 0.0;
    double precisionSum = 0.0;
    for (int i = 0; i < depth; ++i) {
        if (!hits[static_cast<std::size_t>(i)]) continue;
        ++hitCount;
        dcg += rankDiscount(i + 1);
        precisionSum += static_cast<double>(hitCount) / (i + 1);
        if (hitCount == 1) result.reciprocalRank = 1.0 / (i + 1);
    }
    double idcg = 0.0;
    for (int rank = 1; rank <= ideal; ++rank) idcg += rankDiscount(rank);
    result.precision = static_cast<double>(hitCount) / k;
    result.recall = static_cast<double>(hitCount) / ideal;
    result.ndcg = dcg / idcg;
    result.averagePrecision = precisionSum / ideal;
    result.hit = hitCount > 0 ? 1.0 : 0.0;
    return result;
}

RankingMetrics rankingMetrics(std::span<const int> ranking, std::span<const int> relevant, int k) {
    std::vector<int> sorted(relevant.begin(), relevant.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    const auto hits = markHits(ranking, sorted);
    return rankingMetrics(hits, static_cast<int>(sorted.size()), k);
}

namespace {

double jaccardDistance(const std::vector<int>& a, const std::vector<int>& b) {
    std::size_t common = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i < *j) {
            ++i;
        } else if (*j < *i) {
            ++j;
        } else {
            ++common;
            ++i;
            ++j;
        }
    }
    const std::size_t unionSize = a.size() + b.size() - common;
    return unionSize == 0 ? 0.0
                          : 1.0 - static_cast<double>(common) / static_cast<double>(unionSize);
}

}  // namespace

double intraListDiversity(std::span<const int> ranking,
                          const std::vector<std::vector<int>>& genreSets, int k) {
    const auto n = std::min<std::size_t>(ranking.size(), static_cast<std::size_t>(std::max(k, 0)));
    if (n < 2) return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            sum += jaccardDistance(genreSets.at(static_cast<std::size_t>(ranking[i])),
                                   genreSets.at(static_cast<std::size_t>(ranking[j])));
    return sum / (static_cast<double>(n) * static_cast<double>(n - 1) / 2.0);
}

double novelty(std::span<const int> ranking, std::span<const int> itemCounts, int userCount,
               int k) {
    const auto n = std::min<std::size_t>(ranking.size(), static_cast<std::size_t>(std::max(k, 0)));
    if (n == 0 || userCount <= 0) return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const int count = std::max(1, itemCounts[static_cast<std::size_t>(ranking[i])]);
        sum += -std::log2(static_cast<double>(count) / userCount);
    }
    return sum / static_cast<double>(n);
}

double catalogCoverage(const std::vector<std::vector<int>>& lists,
                       std::span<const int> candidateItems) {
    if (candidateItems.empty()) return 0.0;
    std::vector<int> shown;
    for (const auto& list : lists) shown.insert(shown.end(), list.begin(), list.end());
    std::sort(shown.begin(), shown.end());
    std::size_t covered = 0;
    for (const int item : candidateItems)
        covered += std::binary_search(shown.begin(), shown.end(), item) ? 1 : 0;
    return static_cast<double>(covered) / static_cast<double>(candidateItems.size());
}

double rootMeanSquaredError(std::span<const double> predicted, std::span<const double> truth) {
    if (predicted.size() != truth.size())
        throw std::invalid_argument("RMSE needs as many predictions as truths");
    if (predicted.empty()) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (std::size_t i = 0; i < predicted.size(); ++i)
        sum += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
    return std::sqrt(sum / static_cast<double>(predicted.size()));
}

double meanAbsoluteError(std::span<const double> predicted, std::span<const double> truth) {
    if (predicted.size() != truth.size())
        throw std::invalid_argument("MAE needs as many predictions as truths");
    if (predicted.empty()) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (std::size_t i = 0; i < predicted.size(); ++i) sum += std::abs(predicted[i] - truth[i]);
    return sum / static_cast<double>(predicted.size());
}

}  // namespace animerec

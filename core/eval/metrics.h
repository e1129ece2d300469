#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace animerec {

// Top-K accuracy of one ranked list against one user's relevant (held-out) items, binary
// relevance. With R = number of relevant items and hits counted in the first K positions:
//   precision = hits / K
//   recall    = hits / min(K, R)                      (so a perfect list scores 1 even if R > K)
//   ndcg      = DCG / IDCG, DCG = sum over hit ranks r (1-based) of 1 / log2(r + 1), IDCG the
//               DCG of min(K, R) hits at ranks 1..min(K, R)   (Jarvelin & Kekalainen 2002)
//   ap        = sum over hit ranks r of precision@r, divided by min(K, R)
//   rr        = 1 / rank of the first hit, 0 without a hit within K
//   hit       = 1 when hits > 0
// A list shorter than K is scored as if padded with misses. All values are 0 when R == 0.
struct RankingMetrics {
    double precision = 0.0;
    double recall = 0.0;
    double ndcg = 0.0;
    double averagePrecision = 0.0;
    double reciprocalRank = 0.0;
    double hit = 0.0;
};

// hits[i] = 1 when ranking[i] is in `relevantSorted` (ascending); length = ranking.size().
std::vector<std::uint8_t> markHits(std::span<const int> ranking,
                                   std::span<const int> relevantSorted);

// Metrics at cut-off k (k >= 1) from a hit vector and the number of relevant items.
RankingMetrics rankingMetrics(std::span<const std::uint8_t> hits, int relevantCount, int k);

// Convenience for tests and callers with plain lists: relevant in any order, duplicates ignored.
RankingMetrics rankingMetrics(std::span<const int> ranking, std::span<const int> relevant, int k);

// The DCG discount 1 / log2(rank + 1) of a 1-based rank.
double rankDiscount(int rank);

// Mean pairwise Jaccard distance 1 - |A n B| / |A u B| between the genre sets of the first k
// items of `ranking` (two empty sets are at distance 0). `genreSets[item]` is the item's genre
// ids, ascending. 0 for fewer than two items.
double intraListDiversity(std::span<const int> ranking,
                          const std::vector<std::vector<int>>& genreSets, int k);

// Mean self-information -log2(share(item)) of the first k items, share(item) = train count of
// the item / number of train users, with a count of 0 treated as 1 (Zhou et al. 2010).
double novelty(std::span<const int> ranking, std::span<const int> itemCounts, int userCount, int k);

// Share of `candidateItems` (e.g. items occurring in train) that appear in at least one list.
double catalogCoverage(const std::vector<std::vector<int>>& lists,
                       std::span<const int> candidateItems);

// Root mean squared error and mean absolute error of predictions against truth (equal sizes;
// NaN when empty).
double rootMeanSquaredError(std::span<const double> predicted, std::span<const double> truth);
double meanAbsoluteError(std::span<const double> predicted, std::span<const double> truth);

}  // namespace animerec

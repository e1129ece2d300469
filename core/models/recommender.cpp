#include "models/recommender.h"

namespace animerec {

std::vector<ScoredItem> Recommender::recommend(const UserQuery& query, int catalogueSize, int k,
                                               std::span<const int> exclude) const {
    // A catalogue-sized buffer per thread rather than per request, zeroed as a new one would be.
    thread_local std::vector<float> scores;
    scores.assign(static_cast<std::size_t>(catalogueSize), 0.0f);
    score(query, scores);
    return topK(scores, k, exclude);
}

}  // namespace animerec

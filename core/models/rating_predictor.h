#pragma once

namespace animerec {

// Optional second interface for models that predict explicit ratings (e.g. an SVD-style matrix
// factorisation). The evaluator detects it with dynamic_cast and then also reports RMSE and MAE
// on the held-out events that carry a rating.
class RatingPredictor {
public:
    virtual ~RatingPredictor() = default;

    // Predicted rating on the 1..10 scale for dense train user `user` (-1 = unknown user) and
    // catalogue item `item`. Const and thread-safe, like Recommender::score.
    virtual float predictRating(int user, int item) const = 0;
};

}  // namespace animerec

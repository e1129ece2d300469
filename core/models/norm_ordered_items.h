#pragma once

#include <span>
#include <vector>

#include "models/recommender.h"

namespace animerec {

// Item vectors kept in decreasing order of their norms, for an exact top-k of inner products
// without computing them all. By Cauchy-Schwarz y_i . x <= |y_i| |x|, so once the k-th best score
// found exceeds the next block's largest norm times |x| (with a margin for float rounding), no
// later item can enter the list. The scores that are computed are Eigen's products of blocks of
// rows, which give the same bits as the full catalogue product (a test checks it), so the answer
// is exactly topK() over the full product.
class NormOrderedItems {
public:
    NormOrderedItems() = default;
    // `factors` is a row-major rows x cols matrix, one row per item.
    NormOrderedItems(std::span<const float> factors, int rows, int cols);

    bool empty() const { return rows_ == 0; }

    // The k best items by y_i . x outside `exclude` (any order), best first, ties broken by the
    // lower index: what topK() gives over the full product. x.size() must be cols. When given,
    // `rowsScored` receives how many rows (padding included) were multiplied.
    std::vector<ScoredItem> topK(std::span<const float> x, int k, std::span<const int> exclude,
                                 int* rowsScored = nullptr) const;

private:
    int rows_ = 0;
    int cols_ = 0;
    std::vector<float> sorted_;       // rows by decreasing norm, padded with zero rows to blocks
    std::vector<int> order_;          // item of each sorted row; -1 for padding
    std::vector<double> blockNorms_;  // largest norm in each block of rows
};

}  // namespace animerec

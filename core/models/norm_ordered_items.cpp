#include "models/norm_ordered_items.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace animerec {

namespace {

// Rows scored per product. Eigen's matrix-vector kernel gives a row the same bits in a product
// of 3 or more rows as in the whole catalogue's (a single row takes another path).
constexpr int kBlockRows = 32;
// Relative margin on the bound: a float dot product of n terms is within n * 2^-24 |y| |x| of the
// exact value, under 1e-4 for any factor count used here.
constexpr double kBoundMargin = 1e-3;

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

NormOrderedItems::NormOrderedItems(std::span<const float> factors, int rows, int cols)
    : rows_(rows), cols_(cols) {
    if (rows < 0 || cols <= 0 ||
        factors.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols))
        throw std::invalid_argument("NormOrderedItems: " + std::to_string(factors.size()) +
                                    " values for " + std::to_string(rows) + " x " +
                                    std::to_string(cols));
    const Eigen::Map<const RowMatrix> y(factors.data(), rows, cols);
    std::vector<double> norms(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i)
        norms[static_cast<std::size_t>(i)] = y.row(i).cast<double>().norm();
    std::vector<int> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return norms[static_cast<std::size_t>(a)] > norms[static_cast<std::size_t>(b)];
    });
    const int blocks = (rows + kBlockRows - 1) / kBlockRows;
    const auto padded = static_cast<std::size_t>(blocks) * kBlockRows;
    order_.assign(padded, -1);
    sorted_.assign(padded * static_cast<std::size_t>(cols), 0.0f);
    blockNorms_.assign(static_cast<std::size_t>(blocks), 0.0);
    for (int r = 0; r < rows; ++r) {
        const int item = order[static_cast<std::size_t>(r)];
        order_[static_cast<std::size_t>(r)] = item;
        std::copy_n(factors.data() + static_cast<std::size_t>(item) * cols, cols,
                    sorted_.data() + static_cast<std::size_t>(r) * cols);
        auto& bound = blockNorms_[static_cast<std::size_t>(r / kBlockRows)];
        bound = std::max(bound, norms[static_cast<std::size_t>(item)]);
    }
}

std::vector<ScoredItem> NormOrderedItems::topK(std::span<const float> x, int k,
                                               std::span<const int> exclude,
                                               int* rowsScored) const {
    if (x.size() != static_cast<std::size_t>(cols_))
        throw std::invalid_argument("NormOrderedItems: a query of " + std::to_string(x.size()) +
                                    " values for " + std::to_string(cols_) + " columns");
    if (rowsScored) *rowsScored = 0;
    if (k <= 0) return {};
    thread_local std::vector<int> excluded;
    excluded.assign(exclude.begin(), exclude.end());
    std::sort(excluded.begin(), excluded.end());
    const auto better = [](const ScoredItem& a, const ScoredItem& b) {
        return a.score > b.score || (a.score == b.score && a.item < b.item);
    };
    std::vector<ScoredItem> heap;  // min-heap of the best k so far (top = the worst of them)
    heap.reserve(static_cast<std::size_t>(k) + 1);

    const Eigen::Map<const Eigen::VectorXf> query(x.data(), cols_);
    const double queryNorm = query.cast<double>().norm();
    // A dynamic-size view (a fixed-size vector would route the product through another path).
    float blockScores[kBlockRows];
    Eigen::Map<Eigen::VectorXf> scores(blockScores, kBlockRows);
    const auto blocks = static_cast<int>(blockNorms_.size());
    for (int b = 0; b < blocks; ++b) {
        const double bound =
            blockNorms_[static_cast<std::size_t>(b)] * queryNorm * (1.0 + kBoundMargin);
        // Strictly below the worst kept score: nothing here can even tie with it.
        if (static_cast<int>(heap.size()) == k && bound < static_cast<double>(heap.front().score))
            break;
        const Eigen::Map<const RowMatrix> rows(
            sorted_.data() + static_cast<std::size_t>(b) * kBlockRows * cols_, kBlockRows, cols_);
        scores.noalias() = rows * query;
        if (rowsScored) *rowsScored += kBlockRows;
        for (int r = 0; r < kBlockRows; ++r) {
            const int item = order_[static_cast<std::size_t>(b * kBlockRows + r)];
            if (item < 0) continue;
            const ScoredItem candidate{item, scores[r]};
            if (static_cast<int>(heap.size()) == k && !better(candidate, heap.front())) continue;
            if (std::binary_search(excluded.begin(), excluded.end(), item)) continue;
            heap.push_back(candidate);
            std::push_heap(heap.begin(), heap.end(), better);
            if (static_cast<int>(heap.size()) > k) {
                std::pop_heap(heap.begin(), heap.end(), better);
                heap.pop_back();
            }
        }
    }
    std::sort_heap(heap.begin(), heap.end(), better);
    return heap;
}

}  // namespace animerec

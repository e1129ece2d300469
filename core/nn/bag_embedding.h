#pragma once

#include <span>
#include <vector>

#include "nn/tensor.h"

namespace animerec::nn {

// A weighted bag of feature ids per row id (compressed rows): row r's features are
// ids[offsets[r] .. offsets[r + 1]) with their weights. Side information of items (a title's
// genres, each 1 / count, and its type, 1) is one such bag per item.
struct FeatureBags {
    std::vector<int> offsets{0};  // rows + 1 entries
    std::vector<int> ids;         // feature rows of the embedding table
    std::vector<float> weights;
    int features = 0;  // rows of the embedding table the ids index

    int rows() const { return static_cast<int>(offsets.size()) - 1; }
};

// out.row(i) += sum over the bag of rowIds[i]: weight * table.row(id). Rows of rowIds outside
// the bags add nothing. `out` must have rowIds.size() rows and table.cols() columns.
void addBagRows(const Matrix& table, const FeatureBags& bags, std::span<const int> rowIds,
                Matrix& out);
// Backward of addBagRows: grad.row(id) += weight * dOut.row(i) for each bag entry.
void scatterAddBagRows(Matrix& grad, const FeatureBags& bags, std::span<const int> rowIds,
                       const Matrix& dOut);

}  // namespace animerec::nn

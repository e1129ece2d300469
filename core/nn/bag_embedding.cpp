#include "nn/bag_embedding.h"

namespace animerec::nn {

void addBagRows(const Matrix& table, const FeatureBags& bags, std::span<const int> rowIds,
                Matrix& out) {
    const int bagRows = bags.rows();
    for (std::size_t i = 0; i < rowIds.size(); ++i) {
        const int row = rowIds[i];
        if (row < 0 || row >= bagRows) continue;
        for (int k = bags.offsets[static_cast<std::size_t>(row)];
             k < bags.offsets[static_cast<std::size_t>(row) + 1]; ++k)
            out.row(static_cast<Eigen::Index>(i)) +=
                bags.weights[static_cast<std::size_t>(k)] *
                table.row(bags.ids[static_cast<std::size_t>(k)]);
    }
}

void scatterAddBagRows(Matrix& grad, const FeatureBags& bags, std::span<const int> rowIds,
                       const Matrix& dOut) {
    const int bagRows = bags.rows();
    for (std::size_t i = 0; i < rowIds.size(); ++i) {
        const int row = rowIds[i];
        if (row < 0 || row >= bagRows) continue;
        for (int k = bags.offsets[static_cast<std::size_t>(row)];
             k < bags.offsets[static_cast<std::size_t>(row) + 1]; ++k)
            grad.row(bags.ids[static_cast<std::size_t>(k)]) +=
                bags.weights[static_cast<std::size_t>(k)] * dOut.row(static_cast<Eigen::Index>(i));
    }
}

}  // namespace animerec::nn

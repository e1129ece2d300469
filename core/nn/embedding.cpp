#include "nn/embedding.h"

namespace animerec::nn {

void gatherRows(const Matrix& table, std::span<const int> ids, Matrix& out) {
    out.resize(static_cast<Eigen::Index>(ids.size()), table.cols());
    for (std::size_t i = 0; i < ids.size(); ++i)
        out.row(static_cast<Eigen::Index>(i)) = table.row(ids[i]);
}

void scatterAddRows(Matrix& grad, std::span<const int> ids, const Matrix& dOut) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        grad.row(ids[i]) += dOut.row(static_cast<Eigen::Index>(i));
}

}  // namespace animerec::nn

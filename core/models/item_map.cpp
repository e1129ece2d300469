#include "models/item_map.h"

#include <Eigen/Dense>
#include <algorithm>
#include <stdexcept>
#include <string>

namespace animerec {

ItemMap projectItems(std::span<const float> vectors, int rows, int cols) {
    if (rows < 0 || cols < 1 ||
        vectors.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols))
        throw std::invalid_argument("item map: " + std::to_string(vectors.size()) +
                                    " values are not " + std::to_string(rows) + " x " +
                                    std::to_string(cols));
    ItemMap map;
    for (int row = 0; row < rows; ++row) {
        const float* begin = vectors.data() + static_cast<std::size_t>(row) * cols;
        if (std::any_of(begin, begin + cols, [](float v) { return v != 0.0f; }))
            map.items.push_back(row);
    }
    const auto n = static_cast<Eigen::Index>(map.items.size());
    if (n == 0) return map;
    Eigen::MatrixXd data(n, cols);
    for (Eigen::Index i = 0; i < n; ++i)
        for (int c = 0; c < cols; ++c)
            data(i, c) =
                vectors[static_cast<std::size_t>(map.items[static_cast<std::size_t>(i)]) * cols +
                        c];
    data.rowwise() -= data.colwise().mean();
    // The covariance is cols x cols (64 ALS factors, ~100 content features): small to decompose.
    const Eigen::MatrixXd covariance =
        data.transpose() * data / std::max<double>(1.0, double(n - 1));
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const Eigen::VectorXd values = solver.eigenvalues();  // ascending
    Eigen::MatrixXd axes(cols, 2);
    axes.col(0) = solver.eigenvectors().col(cols - 1);
    axes.col(1) = cols > 1 ? Eigen::VectorXd(solver.eigenvectors().col(cols - 2))
                           : Eigen::VectorXd::Zero(cols);
    const Eigen::MatrixXd projected = data * axes;
    map.x.resize(static_cast<std::size_t>(n));
    map.y.resize(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        map.x[static_cast<std::size_t>(i)] = static_cast<float>(projected(i, 0));
        map.y[static_cast<std::size_t>(i)] = static_cast<float>(projected(i, 1));
    }
    const double total = values.sum();
    const double kept = values(cols - 1) + (cols > 1 ? values(cols - 2) : 0.0);
    map.explainedShare = total > 0.0 ? kept / total : 0.0;
    return map;
}

}  // namespace animerec

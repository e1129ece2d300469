#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

namespace animerec::nn {

// Row-major float32 matrices: one row per sequence position, so a batch of sequences is one
// stacked matrix and every dense layer is a single matrix product.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

// All trainable tensors of a network, addressed by index. A gradient buffer is a Tensors of the
// same shapes, so per-thread buffers can be summed tensor by tensor.
using Tensors = std::vector<Matrix>;

// One sequence inside a stacked batch: rows [begin, begin + length).
struct Segment {
    int begin = 0;
    int length = 0;
};

// Registers named parameter tensors; layers keep the indices it returns.
class ParameterStore {
public:
    int add(std::string name, int rows, int cols) {
        values_.emplace_back(Matrix::Zero(rows, cols));
        names_.push_back(std::move(name));
        return static_cast<int>(values_.size()) - 1;
    }
    Tensors& values() { return values_; }
    const Tensors& values() const { return values_; }
    const std::vector<std::string>& names() const { return names_; }

private:
    Tensors values_;
    std::vector<std::string> names_;
};

// Zero tensors with the shapes of `like` (a fresh gradient buffer).
inline Tensors zerosLike(const Tensors& like) {
    Tensors out;
    out.reserve(like.size());
    for (const auto& tensor : like) out.emplace_back(Matrix::Zero(tensor.rows(), tensor.cols()));
    return out;
}

inline void setZero(Tensors& tensors) {
    for (auto& tensor : tensors) tensor.setZero();
}

}  // namespace animerec::nn

#include "nn/linear.h"

#include "nn/init.h"

namespace animerec::nn {

void Linear::create(ParameterStore& store, const std::string& name, int in, int out,
                    std::mt19937_64& random) {
    weight = store.add(name + ".weight", in, out);
    bias = store.add(name + ".bias", 1, out);
    initXavier(store.values()[static_cast<std::size_t>(weight)], random);
}

void Linear::forward(const Tensors& params, const Matrix& x, Matrix& y) const {
    y.noalias() = x * params[static_cast<std::size_t>(weight)];
    y.rowwise() += params[static_cast<std::size_t>(bias)].row(0);
}

void Linear::backward(const Tensors& params, const Matrix& x, const Matrix& dy, Tensors& grads,
                      Matrix* dx) const {
    grads[static_cast<std::size_t>(weight)].noalias() += x.transpose() * dy;
    grads[static_cast<std::size_t>(bias)].row(0) += dy.colwise().sum();
    if (dx) dx->noalias() = dy * params[static_cast<std::size_t>(weight)].transpose();
}

}  // namespace animerec::nn

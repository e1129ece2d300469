#pragma once

#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/tensor.h"

namespace animerec::nn {

// Gated recurrent unit (Cho et al. 2014), gates laid out [update z | reset r | candidate n]:
//   z = sigmoid(x Wz + h Uz + b), r = sigmoid(x Wr + h Ur + b),
//   n = tanh(x Wn + bn + r * (h Un + cn)),  h' = (1 - z) * n + z * h,  h_0 = 0.
// Each segment of the stacked input is its own sequence; output row t is h after step t.
struct Gru {
    int inputWeight = -1;   // (in x 3*hidden)
    int inputBias = -1;     // (1 x 3*hidden)
    int hiddenWeight = -1;  // (hidden x 3*hidden)
    int hiddenBias = -1;    // (1 x 3*hidden)
    int hiddenSize = 0;

    struct Cache {
        Matrix input, previous, z, r, n, hiddenCandidate;  // hiddenCandidate = h Un + cn
    };

    void create(ParameterStore& store, const std::string& name, int in, int hidden,
                std::mt19937_64& random);
    void forward(const Tensors& params, const Matrix& x, std::span<const Segment> segments,
                 Matrix& y, Cache& cache) const;
    // Back-propagation through time within each segment.
    void backward(const Tensors& params, std::span<const Segment> segments, const Cache& cache,
                  const Matrix& dy, Tensors& grads, Matrix& dx) const;
};

}  // namespace animerec::nn

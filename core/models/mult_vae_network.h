#pragma once

#include <random>

#include "nn/bag_embedding.h"
#include "nn/linear.h"
#include "nn/tensor.h"

namespace animerec {

// Layer widths of Mult-VAE: items -> hidden -> latent and back (the paper's 600 and 200).
struct MultVaeShape {
    int items = 0;
    int hidden = 600;
    int latent = 200;
};

// The network of Mult-VAE (Liang et al. 2018, "Variational Autoencoders for Collaborative
// Filtering"): encoder items -> hidden (tanh) -> [mean | log-variance] of the latent Gaussian,
// decoder latent -> hidden (tanh) -> one logit per item. A batch row is one user, given as a bag
// of (item, weight): the normalised, dropped-out history, so the first layer reads only the
// user's items rather than a dense row of the catalogue.
class MultVaeNetwork {
public:
    struct Cache {
        nn::Matrix encoderHidden;  // tanh(x W1 + b1)
        nn::Matrix stats;          // [mean | log-variance]
        nn::Matrix z;              // the latent sample (the mean at inference)
        nn::Matrix decoderHidden;  // tanh(z W3 + b3)
    };

    // Registers the four layers' tensors in `store` (Xavier weights, zero biases).
    MultVaeNetwork(MultVaeShape shape, nn::ParameterStore& store, std::mt19937_64& random);

    const MultVaeShape& shape() const { return shape_; }

    // Logits (input.rows() x items). `noise` (rows x latent standard normal draws) samples z while
    // training; empty, z is the mean.
    void forward(const nn::Tensors& params, const nn::FeatureBags& input, const nn::Matrix& noise,
                 Cache& cache, nn::Matrix& logits) const;
    // Accumulates into `grads` the gradient of L = f(logits) + klScale * KL(latent || N(0, I)),
    // given dLogits = df/dlogits and the forward pass's input, noise and cache.
    void backward(const nn::Tensors& params, const nn::FeatureBags& input, const nn::Matrix& noise,
                  const Cache& cache, const nn::Matrix& dLogits, float klScale,
                  nn::Tensors& grads) const;

private:
    MultVaeShape shape_;
    nn::Linear encoderIn_, encoderOut_, decoderIn_, decoderOut_;
};

}  // namespace animerec

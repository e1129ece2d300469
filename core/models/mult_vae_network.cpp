#include "models/mult_vae_network.h"

#include <numeric>
#include <vector>

#include "nn/gaussian_latent.h"

namespace animerec {

namespace {

std::vector<int> rowIds(int rows) {
    std::vector<int> ids(static_cast<std::size_t>(rows));
    std::iota(ids.begin(), ids.end(), 0);
    return ids;
}

// dL/dpre of y = tanh(pre), from dL/dy and y.
void tanhBackward(const nn::Matrix& y, nn::Matrix& dy) { dy.array() *= 1.0f - y.array().square(); }

}  // namespace

MultVaeNetwork::MultVaeNetwork(MultVaeShape shape, nn::ParameterStore& store,
                               std::mt19937_64& random)
    : shape_(shape) {
    encoderIn_.create(store, "encoder.in", shape.items, shape.hidden, random);
    encoderOut_.create(store, "encoder.out", shape.hidden, 2 * shape.latent, random);
    decoderIn_.create(store, "decoder.in", shape.latent, shape.hidden, random);
    decoderOut_.create(store, "decoder.out", shape.hidden, shape.items, random);
}

void MultVaeNetwork::forward(const nn::Tensors& params, const nn::FeatureBags& input,
                             const nn::Matrix& noise, Cache& cache, nn::Matrix& logits) const {
    const int rows = input.rows();
    const auto& w1 = params[static_cast<std::size_t>(encoderIn_.weight)];
    const auto& b1 = params[static_cast<std::size_t>(encoderIn_.bias)];
    cache.encoderHidden = b1.replicate(rows, 1);
    nn::addBagRows(w1, input, rowIds(rows), cache.encoderHidden);
    cache.encoderHidden = cache.encoderHidden.array().tanh();
    encoderOut_.forward(params, cache.encoderHidden, cache.stats);
    nn::gaussianSample(cache.stats, noise, cache.z);
    decoderIn_.forward(params, cache.z, cache.decoderHidden);
    cache.decoderHidden = cache.decoderHidden.array().tanh();
    decoderOut_.forward(params, cache.decoderHidden, logits);
}

void MultVaeNetwork::backward(const nn::Tensors& params, const nn::FeatureBags& input,
                              const nn::Matrix& noise, const Cache& cache,
                              const nn::Matrix& dLogits, float klScale, nn::Tensors& grads) const {
    nn::Matrix dHidden, dZ, dStats, dEncoderHidden;
    decoderOut_.backward(params, cache.decoderHidden, dLogits, grads, &dHidden);
    tanhBackward(cache.decoderHidden, dHidden);
    decoderIn_.backward(params, cache.z, dHidden, grads, &dZ);
    nn::gaussianBackward(cache.stats, noise, dZ, klScale, dStats);
    encoderOut_.backward(params, cache.encoderHidden, dStats, grads, &dEncoderHidden);
    tanhBackward(cache.encoderHidden, dEncoderHidden);
    nn::scatterAddBagRows(grads[static_cast<std::size_t>(encoderIn_.weight)], input,
                          rowIds(input.rows()), dEncoderHidden);
    grads[static_cast<std::size_t>(encoderIn_.bias)].row(0) += dEncoderHidden.colwise().sum();
}

}  // namespace animerec

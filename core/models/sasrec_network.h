#pragma once

#include <random>
#include <vector>

#include "nn/attention.h"
#include "nn/feed_forward.h"
#include "nn/layer_norm.h"
#include "nn/sequence_encoder.h"

namespace animerec {

// Sizes of a SASRec network.
struct SasrecShape {
    int itemCount = 0;
    int dim = 64;
    int blocks = 2;
    int heads = 1;
    int maxLength = 50;
    float dropout = 0.2f;
};

// SASRec (Kang & McAuley 2018) as pre-norm transformer blocks:
//   x = E[item] + P[position];  x += Drop(Attn(LN(x)));  x += Drop(FFN(LN(x)));  h = LN(x)
// with causal attention, so row t only sees items 0..t. The item table E is also the output layer.
class SasrecNetwork : public nn::SequenceEncoder {
public:
    // Registers and initialises all parameters in `store` (draws from `random`).
    SasrecNetwork(const SasrecShape& shape, nn::ParameterStore& store, std::mt19937_64& random);

    int itemTable() const override { return items_; }
    std::unique_ptr<Cache> makeCache() const override;
    void forward(const nn::Tensors& params, const nn::SequenceBatch& batch, bool training,
                 std::mt19937_64& random, Cache& cache, nn::Matrix& hidden) const override;
    void backward(const nn::Tensors& params, const nn::SequenceBatch& batch, Cache& cache,
                  const nn::Matrix& dHidden, nn::Tensors& grads) const override;

private:
    struct Block {
        nn::LayerNorm attentionNorm;
        nn::CausalSelfAttention attention;
        nn::LayerNorm feedForwardNorm;
        nn::FeedForward feedForward;
    };
    SasrecShape shape_;
    int items_ = -1;
    int positions_ = -1;
    std::vector<Block> blocks_;
    nn::LayerNorm finalNorm_;
};

}  // namespace animerec

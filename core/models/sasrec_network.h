#pragma once

#include <random>
#include <vector>

#include "models/sequence_context_embedding.h"
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
    int gapBuckets = 0;  // > 0: a learned row per time-gap bucket joins each input row
};

// SASRec (Kang & McAuley 2018) as pre-norm transformer blocks:
//   x = E[item] + P[position] (+ side[item] + G[gap]);  x += Drop(Attn(LN(x)));
//   x += Drop(FFN(LN(x)));  h = LN(x)
// with causal attention, so row t only sees items 0..t. The item table E is also the output layer.
class SasrecNetwork : public nn::SequenceEncoder {
public:
    // Registers and initialises all parameters in `store` (draws from `random`); `side`, when it
    // has rows, gives each item's side-feature bag (SequenceContextEmbedding). The optional
    // tables come last, so a network without them draws exactly as before they existed.
    SasrecNetwork(const SasrecShape& shape, nn::ParameterStore& store, std::mt19937_64& random,
                  nn::FeatureBags side = {});

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
    SequenceContextEmbedding context_;
};

}  // namespace animerec

#include "models/sasrec_network.h"

#include <cmath>
#include <string>
#include <utility>

#include "nn/dropout.h"
#include "nn/embedding.h"
#include "nn/init.h"

namespace animerec {

namespace {

struct SasrecCache : nn::SequenceEncoder::Cache {
    struct BlockCache {
        nn::LayerNorm::Cache attentionNorm, feedForwardNorm;
        nn::CausalSelfAttention::Cache attention;
        nn::FeedForward::Cache feedForward;
        nn::Matrix attentionMask, feedForwardMask;
    };
    nn::Matrix inputMask;
    std::vector<BlockCache> blocks;
    nn::LayerNorm::Cache finalNorm;
};

}  // namespace

SasrecNetwork::SasrecNetwork(const SasrecShape& shape, nn::ParameterStore& store,
                             std::mt19937_64& random, nn::FeatureBags side)
    : shape_(shape) {
    items_ = store.add("items", shape.itemCount, shape.dim);
    positions_ = store.add("positions", shape.maxLength, shape.dim);
    // Unit-norm-ish rows: logits h.e start near unit variance since h is layer-normalised.
    const float stddev = 1.0f / std::sqrt(static_cast<float>(shape.dim));
    nn::initNormal(store.values()[static_cast<std::size_t>(items_)], stddev, random);
    nn::initNormal(store.values()[static_cast<std::size_t>(positions_)], stddev, random);
    blocks_.resize(static_cast<std::size_t>(shape.blocks));
    for (int b = 0; b < shape.blocks; ++b) {
        const std::string name = "block" + std::to_string(b);
        auto& block = blocks_[static_cast<std::size_t>(b)];
        block.attentionNorm.create(store, name + ".attention_norm", shape.dim);
        block.attention.create(store, name + ".attention", shape.dim, shape.heads, random);
        block.feedForwardNorm.create(store, name + ".feed_forward_norm", shape.dim);
        block.feedForward.create(store, name + ".feed_forward", shape.dim, shape.dim, random);
    }
    finalNorm_.create(store, "final_norm", shape.dim);
    context_.create(store, shape.dim, std::move(side), shape.gapBuckets, random);
}

std::unique_ptr<nn::SequenceEncoder::Cache> SasrecNetwork::makeCache() const {
    auto cache = std::make_unique<SasrecCache>();
    cache->blocks.resize(blocks_.size());
    return cache;
}

void SasrecNetwork::forward(const nn::Tensors& params, const nn::SequenceBatch& batch,
                            bool training, std::mt19937_64& random, Cache& baseCache,
                            nn::Matrix& hidden) const {
    auto& cache = static_cast<SasrecCache&>(baseCache);
    nn::Matrix x, positionRows, normalized, branch;
    nn::gatherRows(params[static_cast<std::size_t>(items_)], batch.items, x);
    nn::gatherRows(params[static_cast<std::size_t>(positions_)], batch.positions, positionRows);
    x += positionRows;
    context_.forward(params, batch, x);
    nn::dropoutForward(x, shape_.dropout, training, random, cache.inputMask);
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const auto& block = blocks_[b];
        auto& c = cache.blocks[b];
        block.attentionNorm.forward(params, x, normalized, c.attentionNorm);
        block.attention.forward(params, normalized, batch.segments, branch, c.attention);
        nn::dropoutForward(branch, shape_.dropout, training, random, c.attentionMask);
        x += branch;
        block.feedForwardNorm.forward(params, x, normalized, c.feedForwardNorm);
        block.feedForward.forward(params, normalized, branch, c.feedForward);
        nn::dropoutForward(branch, shape_.dropout, training, random, c.feedForwardMask);
        x += branch;
    }
    finalNorm_.forward(params, x, hidden, cache.finalNorm);
}

void SasrecNetwork::backward(const nn::Tensors& params, const nn::SequenceBatch& batch,
                             Cache& baseCache, const nn::Matrix& dHidden,
                             nn::Tensors& grads) const {
    auto& cache = static_cast<SasrecCache&>(baseCache);
    nn::Matrix dx, dBranch, dNormalized, dInput;
    finalNorm_.backward(params, cache.finalNorm, dHidden, grads, dx);
    for (std::size_t b = blocks_.size(); b-- > 0;) {
        const auto& block = blocks_[b];
        auto& c = cache.blocks[b];
        // Residual: the branch receives dx, and dx also flows straight through.
        dBranch = dx;
        nn::dropoutBackward(dBranch, c.feedForwardMask);
        block.feedForward.backward(params, c.feedForward, dBranch, grads, dNormalized);
        block.feedForwardNorm.backward(params, c.feedForwardNorm, dNormalized, grads, dInput);
        dx += dInput;
        dBranch = dx;
        nn::dropoutBackward(dBranch, c.attentionMask);
        block.attention.backward(params, batch.segments, c.attention, dBranch, grads, dNormalized);
        block.attentionNorm.backward(params, c.attentionNorm, dNormalized, grads, dInput);
        dx += dInput;
    }
    nn::dropoutBackward(dx, cache.inputMask);
    nn::scatterAddRows(grads[static_cast<std::size_t>(items_)], batch.items, dx);
    nn::scatterAddRows(grads[static_cast<std::size_t>(positions_)], batch.positions, dx);
    context_.backward(batch, dx, grads);
}

}  // namespace animerec

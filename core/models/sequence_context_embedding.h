#pragma once

#include <random>

#include "nn/bag_embedding.h"
#include "nn/sequence_encoder.h"

namespace animerec {

// What a session network adds to each input item row besides the item's own embedding: the
// item's side features (a learned row per genre and type, averaged as the bags weigh them) and
// a learned row for the bucket of the time since the previous event (batch.gaps). Either part
// may be off; with both off it registers no parameters and adds nothing.
class SequenceContextEmbedding {
public:
    // Registers "side_features" (bags.features x dim) when `bags` has rows and "time_gaps"
    // (gapBuckets x dim) when gapBuckets > 0, drawn like item rows.
    void create(nn::ParameterStore& store, int dim, nn::FeatureBags bags, int gapBuckets,
                std::mt19937_64& random);
    bool readsTimeGaps() const { return gaps_ >= 0; }
    // x.row(i) += side(batch.items[i]) + gap(batch.gaps[i]); a batch without gaps adds none.
    void forward(const nn::Tensors& params, const nn::SequenceBatch& batch, nn::Matrix& x) const;
    void backward(const nn::SequenceBatch& batch, const nn::Matrix& dx, nn::Tensors& grads) const;

private:
    nn::FeatureBags bags_;
    int side_ = -1;
    int gaps_ = -1;
};

}  // namespace animerec

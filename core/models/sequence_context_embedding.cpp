#include "models/sequence_context_embedding.h"

#include <cmath>

#include "nn/embedding.h"
#include "nn/init.h"

namespace animerec {

void SequenceContextEmbedding::create(nn::ParameterStore& store, int dim, nn::FeatureBags bags,
                                      int gapBuckets, std::mt19937_64& random) {
    const float stddev = 1.0f / std::sqrt(static_cast<float>(dim));
    bags_ = std::move(bags);
    if (bags_.rows() > 0 && bags_.features > 0) {
        side_ = store.add("side_features", bags_.features, dim);
        nn::initNormal(store.values()[static_cast<std::size_t>(side_)], stddev, random);
    }
    if (gapBuckets > 0) {
        gaps_ = store.add("time_gaps", gapBuckets, dim);
        nn::initNormal(store.values()[static_cast<std::size_t>(gaps_)], stddev, random);
    }
}

void SequenceContextEmbedding::forward(const nn::Tensors& params, const nn::SequenceBatch& batch,
                                       nn::Matrix& x) const {
    if (side_ >= 0) nn::addBagRows(params[static_cast<std::size_t>(side_)], bags_, batch.items, x);
    if (gaps_ >= 0 && !batch.gaps.empty()) {
        nn::Matrix gapRows;
        nn::gatherRows(params[static_cast<std::size_t>(gaps_)], batch.gaps, gapRows);
        x += gapRows;
    }
}

void SequenceContextEmbedding::backward(const nn::SequenceBatch& batch, const nn::Matrix& dx,
                                        nn::Tensors& grads) const {
    if (side_ >= 0)
        nn::scatterAddBagRows(grads[static_cast<std::size_t>(side_)], bags_, batch.items, dx);
    if (gaps_ >= 0 && !batch.gaps.empty())
        nn::scatterAddRows(grads[static_cast<std::size_t>(gaps_)], batch.gaps, dx);
}

}  // namespace animerec

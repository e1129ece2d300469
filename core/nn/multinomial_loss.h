#pragma once

#include "nn/bag_embedding.h"
#include "nn/tensor.h"

namespace animerec::nn {

// Multinomial negative log-likelihood of Mult-VAE / Mult-DAE (Liang et al. 2018, eq. 2): row r of
// `logits` scores every item, and bag r of `targets` holds the user's items with their counts
// (1 for a binary history). loss = sum_r sum_{i in bag r} count_ri * -log softmax(logits_r)_i.
// Writes dL/dlogits * gradScale into `dLogits` (same shape as `logits`): for row r,
// softmax(logits_r) * sum_i count_ri minus the counts. Throws std::invalid_argument when the
// bags do not match the rows or name an item outside them.
double multinomialNegativeLogLikelihood(const Matrix& logits, const FeatureBags& targets,
                                        float gradScale, Matrix& dLogits);

}  // namespace animerec::nn

#pragma once

#include <span>

#include "nn/tensor.h"

namespace animerec::nn {

// Full softmax cross-entropy over the whole catalogue with tied output embeddings:
// logits = hidden * items^T, loss = sum_r -log softmax(logits_r)[targets[r]].
// Returns the summed loss; writes dL/dhidden * gradScale into `dHidden` and adds
// dL/ditems * gradScale into `dItems`. Works in row chunks so memory stays O(chunk * items).
double softmaxCrossEntropy(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                           float gradScale, Matrix& dHidden, Matrix& dItems);

}  // namespace animerec::nn

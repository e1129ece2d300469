#pragma once

#include <span>
#include <vector>

#include "nn/tensor.h"

namespace animerec::nn {

// Negative items drawn for the rows of one batch slice (shared by all its rows, so their logits
// are one matrix product), with the log of each item's sampling probability.
struct SampledNegatives {
    std::vector<int> items;
    std::vector<float> logProbability;  // log q(item), aligned with items
};

// Sampled softmax cross-entropy (Jean et al. 2015) with the logQ correction (Bengio & Senecal
// 2008; Yi et al. 2019): per row, a softmax over the target's logit and the negatives' logits
// less log(k q(item)), so the negatives' sum estimates the full partition function whatever
// distribution drew them; a negative equal to the row's target (an accidental hit) is left out.
// Returns the summed loss; gradients as softmaxCrossEntropy (dHidden written, dItems added).
double sampledSoftmaxCrossEntropy(const Matrix& hidden, const Matrix& items,
                                  std::span<const int> targets, const SampledNegatives& negatives,
                                  float gradScale, Matrix& dHidden, Matrix& dItems);

// The exponent gBCE puts on the positive's probability (Petrov & Macdonald 2023, gSASRec):
// beta = alpha (t (1 - 1/alpha) + 1/alpha), alpha = k / (itemCount - 1) the sampling rate, capped
// at 1. t = 0 is plain BCE (beta 1), t = 1 makes the model calibrated to the full softmax.
float gbceBeta(int negatives, int itemCount, float calibration);

// Generalised binary cross-entropy: per row, -beta log sigmoid(s+) - sum over the negatives of
// log(1 - sigmoid(s_j - log(itemCount q(j)))): uniform draws keep their logits (as gSASRec), a
// popular item drawn more often than uniform counts for less. Accidental hits are left out.
double gbceLoss(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                const SampledNegatives& negatives, float beta, float gradScale, Matrix& dHidden,
                Matrix& dItems);

}  // namespace animerec::nn

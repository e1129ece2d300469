#pragma once

#include <span>
#include <vector>

#include "nn/tensor.h"

namespace animerec::nn {

// Negative items with the log of each one's sampling probability: for the sampled softmax one
// draw shared by every row of a batch slice (their logits are one matrix product), for gBCE a
// draw per row.
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

// Generalised binary cross-entropy: per row, -beta log sigmoid(s+) - sum over the row's negatives
// of log(1 - sigmoid(s_j - log(itemCount q(j)))): uniform draws keep their logits (as gSASRec), a
// popular item drawn more often than uniform counts for less. Accidental hits are left out.
// Each row has negatives of its own, as in gSASRec: `negatives` holds rows x k draws, row r's at
// [r k, (r + 1) k). Shared by a whole slice of ~800 positions, every drawn title was pushed down
// by all of them at once, and one epoch at 17,500 titles learned nothing (bench/README.md,
// *2020 scale*). Throws std::invalid_argument when the draws do not divide among the rows.
double gbceLoss(const Matrix& hidden, const Matrix& items, std::span<const int> targets,
                const SampledNegatives& negatives, float beta, float gradScale, Matrix& dHidden,
                Matrix& dItems);

}  // namespace animerec::nn

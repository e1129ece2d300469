#pragma once

#include "nn/tensor.h"

namespace animerec::nn {

// The Gaussian latent layer of a variational autoencoder (Kingma & Welling 2014). Each row of
// `stats` is [mean | log-variance], 2 * d columns, from the encoder.

// z = mean + noise * exp(logVariance / 2) (the reparameterisation trick) when `noise` (rows x d,
// standard normal draws) is given; z = mean when it is empty, as at inference.
void gaussianSample(const Matrix& stats, const Matrix& noise, Matrix& z);

// Sum over the rows of KL(N(mean, variance) || N(0, I)) =
// 0.5 * sum(exp(logVariance) + mean^2 - 1 - logVariance).
double gaussianKlDivergence(const Matrix& stats);

// dL/dstats for L = f(z) + klScale * KL, from dz = df/dz and the same `noise` as the sample.
void gaussianBackward(const Matrix& stats, const Matrix& noise, const Matrix& dz, float klScale,
                      Matrix& dStats);

}  // namespace animerec::nn

#include "nn/gaussian_latent.h"

namespace animerec::nn {

void gaussianSample(const Matrix& stats, const Matrix& noise, Matrix& z) {
    const Eigen::Index d = stats.cols() / 2;
    z = stats.leftCols(d);
    if (noise.size() != 0) z.array() += noise.array() * (0.5f * stats.rightCols(d).array()).exp();
}

double gaussianKlDivergence(const Matrix& stats) {
    const Eigen::Index d = stats.cols() / 2;
    const auto mean = stats.leftCols(d).array().cast<double>();
    const auto logVariance = stats.rightCols(d).array().cast<double>();
    return 0.5 * (logVariance.exp() + mean.square() - 1.0 - logVariance).sum();
}

void gaussianBackward(const Matrix& stats, const Matrix& noise, const Matrix& dz, float klScale,
                      Matrix& dStats) {
    const Eigen::Index d = stats.cols() / 2;
    dStats.resize(stats.rows(), stats.cols());
    const auto mean = stats.leftCols(d).array();
    const auto logVariance = stats.rightCols(d).array();
    dStats.leftCols(d) = dz.array() + klScale * mean;
    dStats.rightCols(d) = klScale * 0.5f * (logVariance.exp() - 1.0f);
    if (noise.size() != 0)
        dStats.rightCols(d).array() +=
            dz.array() * noise.array() * 0.5f * (0.5f * logVariance).exp();
}

}  // namespace animerec::nn

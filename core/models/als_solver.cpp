#include "models/als_solver.h"

#include <Eigen/Cholesky>

namespace animerec::als {

Eigen::MatrixXf gramMatrix(const RowMatrixXf& factors) {
    const auto k = factors.cols();
    Eigen::MatrixXf gram = Eigen::MatrixXf::Zero(k, k);
    gram.selfadjointView<Eigen::Lower>().rankUpdate(factors.transpose());
    return gram.selfadjointView<Eigen::Lower>();
}

void normalEquations(const Problem& problem, std::span<const WeightedItem> row, Eigen::MatrixXf& a,
                     Eigen::VectorXf& b) {
    const auto k = problem.fixed.cols();
    a = problem.gram;
    a.diagonal().array() += problem.regularization;
    b = Eigen::VectorXf::Zero(k);
    for (const auto& entry : row) {
        const auto y = problem.fixed.row(entry.item).transpose();
        const float confidence = 1.0f + problem.alpha * entry.strength;
        a.selfadjointView<Eigen::Lower>().rankUpdate(y, confidence - 1.0f);
        b.noalias() += confidence * y;
    }
    a.triangularView<Eigen::StrictlyUpper>() = a.transpose();
}

void solveCholesky(const Problem& problem, std::span<const WeightedItem> row,
                   Eigen::Ref<Eigen::VectorXf> x) {
    Eigen::MatrixXf a;
    Eigen::VectorXf b;
    normalEquations(problem, row, a, b);
    x = a.llt().solve(b);
}

void solveConjugateGradient(const Problem& problem, std::span<const WeightedItem> row, int steps,
                            Eigen::Ref<Eigen::VectorXf> x) {
    const auto& fixed = problem.fixed;
    // r = b - A x, accumulated without forming A: the sparse part touches only the row's entries.
    Eigen::VectorXf r = -(problem.gram * x) - problem.regularization * x;
    for (const auto& entry : row) {
        const auto y = fixed.row(entry.item).transpose();
        const float confidence = 1.0f + problem.alpha * entry.strength;
        r.noalias() += (confidence - (confidence - 1.0f) * y.dot(x)) * y;
    }
    Eigen::VectorXf p = r;
    float rsOld = r.squaredNorm();
    Eigen::VectorXf ap(x.size());
    for (int step = 0; step < steps; ++step) {
        if (rsOld < 1e-20f) break;
        ap.noalias() = problem.gram * p;
        ap += problem.regularization * p;
        for (const auto& entry : row) {
            const auto y = fixed.row(entry.item).transpose();
            ap.noalias() += (problem.alpha * entry.strength * y.dot(p)) * y;
        }
        const float stepSize = rsOld / p.dot(ap);
        x += stepSize * p;
        r -= stepSize * ap;
        const float rsNew = r.squaredNorm();
        p = r + (rsNew / rsOld) * p;
        rsOld = rsNew;
    }
}

double rowLoss(const Problem& problem, std::span<const WeightedItem> row,
               const Eigen::Ref<const Eigen::VectorXf>& x) {
    double loss = static_cast<double>(x.dot(problem.gram * x));
    for (const auto& entry : row) {
        const double prediction = problem.fixed.row(entry.item).dot(x);
        const double confidence = 1.0 + problem.alpha * entry.strength;
        loss += confidence * (1.0 - prediction) * (1.0 - prediction) - prediction * prediction;
    }
    return loss;
}

}  // namespace animerec::als

#include "models/als_column_solver.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "models/als_kernels.h"
#include "util/parallel_for.h"

namespace animerec::als {

namespace {

constexpr int kRowsPerChunk = 512;
constexpr Eigen::Index kColumnsPerBlock = 1024;

// sum.row(c) += w x_r for the entries (r, c, s) of rows [begin, end), w = alpha s (x_r . v_c),
// or, when `residual`, the right-hand side term (1 + alpha s) - alpha s (x_r . v_c) instead.
ANIMEREC_ALS_CLONES
void accumulateRows(const WeightedMatrix& byRow, const float* rowFactors, const float* v,
                    std::ptrdiff_t k, float alpha, bool residual, int begin, int end, float* sum) {
    for (int r = begin; r < end; ++r) {
        const float* x = rowFactors + static_cast<std::ptrdiff_t>(r) * k;
        const auto entries = byRow.row(r);
        for (std::size_t e = 0; e < entries.size(); ++e) {
            if (e + kPrefetchDistance < entries.size()) {
                const auto ahead =
                    static_cast<std::ptrdiff_t>(entries[e + kPrefetchDistance].item) * k;
                prefetchRow(v + ahead, k);
                prefetchRow<1>(sum + ahead, k);
            }
            const auto offset = static_cast<std::ptrdiff_t>(entries[e].item) * k;
            const float weight = alpha * entries[e].strength;
            const float projection = dot(x, v + offset, k);
            axpy(residual ? 1.0f + weight - weight * projection : weight * projection, x,
                 sum + offset, k);
        }
    }
}

// out.row(c) = the sum of accumulateRows over all rows. One sequential pass over the rows;
// workers take chunks of rows and own an accumulator each.
void accumulate(const WeightedMatrix& byRow, const RowMatrixXf& rowFactors, const RowMatrixXf& v,
                float alpha, bool residual, int threads, RowMatrixXf& out) {
    const auto k = rowFactors.cols();
    const int chunks = (byRow.rows + kRowsPerChunk - 1) / kRowsPerChunk;
    const int workers = std::clamp(threads, 1, std::max(1, chunks));
    out.setZero(byRow.cols, k);
    std::vector<RowMatrixXf> partial(static_cast<std::size_t>(workers - 1));
    std::atomic<int> next{0};
    const auto work = [&](RowMatrixXf& sum) {
        for (;;) {
            const int chunk = next.fetch_add(1, std::memory_order_relaxed);
            if (chunk >= chunks) return;
            accumulateRows(byRow, rowFactors.data(), v.data(), k, alpha, residual,
                           chunk * kRowsPerChunk, std::min(byRow.rows, (chunk + 1) * kRowsPerChunk),
                           sum.data());
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < workers; ++t) {
        auto& sum = partial[static_cast<std::size_t>(t - 1)];
        sum.setZero(byRow.cols, k);
        pool.emplace_back(work, std::ref(sum));
    }
    work(out);
    for (auto& thread : pool) thread.join();
    for (const auto& sum : partial) out += sum;
}

}  // namespace

void solveColumnsConjugateGradient(const WeightedMatrix& byRow, const RowMatrixXf& rowFactors,
                                   const Eigen::MatrixXf& gram, float regularization, float alpha,
                                   int steps, int threads, RowMatrixXf& columnFactors) {
    const auto cols = static_cast<Eigen::Index>(byRow.cols);
    const auto k = rowFactors.cols();
    Eigen::MatrixXf system = gram;
    system.diagonal().array() += regularization;

    // The dense k x k products and the per-column updates run over blocks of columns in
    // parallel: on small data (P1) they are a third of the sweep when done on one thread.
    const int blocks = static_cast<int>((cols + kColumnsPerBlock - 1) / kColumnsPerBlock);
    const auto forBlocks = [&](const auto& body) {
        parallelFor(
            0, blocks, threads,
            [&](int b) {
                const Eigen::Index begin = Eigen::Index{b} * kColumnsPerBlock;
                body(begin, std::min(cols, begin + kColumnsPerBlock) - begin);
            },
            1);
    };

    // r = b - A y for every column at once (system is symmetric: y A = (A y)^T row-wise).
    RowMatrixXf r;
    accumulate(byRow, rowFactors, columnFactors, alpha, true, threads, r);
    forBlocks([&](Eigen::Index begin, Eigen::Index count) {
        r.middleRows(begin, count).noalias() -= columnFactors.middleRows(begin, count) * system;
    });
    RowMatrixXf p = r;
    Eigen::VectorXf rsOld = r.rowwise().squaredNorm();
    std::vector<char> active(static_cast<std::size_t>(cols), 1);
    RowMatrixXf ap(cols, k);
    for (int step = 0; step < steps; ++step) {
        bool any = false;
        for (Eigen::Index c = 0; c < cols; ++c) {
            if (rsOld[c] < 1e-20f) active[static_cast<std::size_t>(c)] = 0;
            any = any || active[static_cast<std::size_t>(c)];
        }
        if (!any) break;
        accumulate(byRow, rowFactors, p, alpha, false, threads, ap);
        forBlocks([&](Eigen::Index begin, Eigen::Index count) {
            ap.middleRows(begin, count).noalias() += p.middleRows(begin, count) * system;
            for (Eigen::Index c = begin; c < begin + count; ++c) {
                if (!active[static_cast<std::size_t>(c)]) continue;
                const float stepSize = rsOld[c] / p.row(c).dot(ap.row(c));
                columnFactors.row(c) += stepSize * p.row(c);
                r.row(c) -= stepSize * ap.row(c);
                const float rsNew = r.row(c).squaredNorm();
                p.row(c) = r.row(c) + (rsNew / rsOld[c]) * p.row(c);
                rsOld[c] = rsNew;
            }
        });
    }
}

}  // namespace animerec::als

#include "nn/sequence_trainer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "nn/adam.h"
#include "nn/negative_sampler.h"
#include "nn/parallel_slices.h"
#include "nn/sampled_loss.h"
#include "nn/softmax_loss.h"
#include "nn/training_windows.h"

namespace animerec::nn {

namespace {

// Sequences with their time-gap buckets (`gaps` empty, or aligned with `items`).
struct Sequences {
    std::vector<std::vector<int>> items;
    std::vector<std::vector<int>> gaps;

    void add(std::vector<int> sequence, std::vector<int> sequenceGaps, bool withGaps) {
        items.push_back(std::move(sequence));
        if (withGaps) gaps.push_back(std::move(sequenceGaps));
    }
    std::span<const int> gapsOf(std::size_t u) const {
        return gaps.empty() ? std::span<const int>{} : std::span<const int>(gaps[u]);
    }
};

// Scratch space of one training thread; the gradient buffer is summed after each batch.
struct Worker {
    std::unique_ptr<SequenceEncoder::Cache> cache;
    Tensors grads;
    SequenceBatch batch;
    std::vector<int> targets;
    Matrix hidden, dHidden;
    double loss = 0.0;
};

// Where a validation reports its progress: at `done` of `total`, the training's own units (the
// batches of the epoch it follows), so a bar over the whole fit does not jump while it runs; the
// users scored go into the detail.
struct ValidationProgress {
    std::string stage;  // empty: no reports
    std::int64_t done = 0;
    std::int64_t total = 0;
};

// nextItemNdcgAt10 with progress: the calling thread's slice reports about every 10% of its
// users (ValidationProgress), so a cancel during a long validation is honoured promptly; the
// other slices stop at their next user.
double rankTargets(const SequenceEncoder& encoder, const Tensors& params,
                   std::span<const std::vector<int>> inputs,
                   std::span<const std::vector<int>> inputGaps, std::span<const int> targets,
                   int maxLength, int threads, const ProgressCallback& progress,
                   const ValidationProgress& at) {
    const int itemCount =
        static_cast<int>(params[static_cast<std::size_t>(encoder.itemTable())].rows());
    const int users = static_cast<int>(inputs.size());
    threads = std::max(1, threads);
    std::vector<double> sums(static_cast<std::size_t>(threads), 0.0);
    std::vector<int> counts(static_cast<std::size_t>(threads), 0);
    const int reportEvery = std::max(1, users / threads / 10);
    runSlices(threads, [&](int t, const std::atomic<bool>& stop) {
        std::vector<float> scores(static_cast<std::size_t>(itemCount));
        std::vector<char> seen(static_cast<std::size_t>(itemCount), 0);
        int done = 0;
        for (int u = t; u < users && !stop.load(std::memory_order_relaxed); u += threads) {
            if (t == 0 && !at.stage.empty() && ++done % reportEvery == 0)
                reportProgress(progress,
                               {at.stage, at.done, at.total,
                                "user " + std::to_string(u) + " of " + std::to_string(users)});
            const auto& input = inputs[static_cast<std::size_t>(u)];
            if (input.empty()) continue;
            const int target = targets[static_cast<std::size_t>(u)];
            scoreNextItem(encoder, params, input, maxLength, scores,
                          inputGaps.empty()
                              ? std::span<const int>{}
                              : std::span<const int>(inputGaps[static_cast<std::size_t>(u)]));
            for (int item : input) seen[static_cast<std::size_t>(item)] = 1;
            const float targetScore = scores[static_cast<std::size_t>(target)];
            int rank = 0;
            for (int item = 0; item < itemCount && rank < 10; ++item)
                if (item != target && !seen[static_cast<std::size_t>(item)] &&
                    scores[static_cast<std::size_t>(item)] > targetScore)
                    ++rank;
            for (int item : input) seen[static_cast<std::size_t>(item)] = 0;
            if (rank < 10) sums[static_cast<std::size_t>(t)] += 1.0 / std::log2(rank + 2.0);
            ++counts[static_cast<std::size_t>(t)];
        }
    });
    const int total = std::accumulate(counts.begin(), counts.end(), 0);
    return total == 0 ? 0.0 : std::accumulate(sums.begin(), sums.end(), 0.0) / total;
}

// Epochs over the training windows of `sequences` (trainingWindows), each in a shuffled order:
// mini-batches sliced over the threads, the gradients summed and one Adam step per batch.
class EpochRunner {
public:
    // `sampler` draws the negatives of a sampled loss (null for the full softmax). With
    // config.averageEpochs the runner keeps the running average of the parameters, starting from
    // `params` (the run's starting point).
    EpochRunner(const SequenceEncoder& encoder, const SequenceTrainingConfig& config,
                const NegativeSampler* sampler, const Sequences& sequences, const Tensors& params)
        : encoder_(encoder),
          config_(config),
          sampler_(sampler),
          sequences_(sequences),
          workers_(static_cast<std::size_t>(config.threads)),
          average_(config.averageEpochs > 0.0f ? params : Tensors{}) {
        std::vector<std::size_t> lengths;
        lengths.reserve(sequences.items.size());
        for (const auto& sequence : sequences.items) lengths.push_back(sequence.size());
        windows_ = trainingWindows(lengths, config.maxLength, config.everyTransition);
        order_.resize(windows_.size());
        std::iota(order_.begin(), order_.end(), 0);
    }

    std::int64_t batches() const {
        return static_cast<std::int64_t>((windows_.size() + config_.batchSize - 1) /
                                         config_.batchSize);
    }

    // One epoch; returns the mean loss per target. The average, when kept, follows the parameters
    // after each Adam step.
    float run(Tensors& params, Adam& adam, std::mt19937_64& random, int epoch,
              const std::string& stage, std::int64_t totalBatches,
              const ProgressCallback& progress) {
        for (auto& worker : workers_)
            if (!worker.cache) {
                worker.cache = encoder_.makeCache();
                worker.grads = zerosLike(params);
            }
        const int table = encoder_.itemTable();
        const float beta = gbceBeta(
            config_.negatives, static_cast<int>(params[static_cast<std::size_t>(table)].rows()),
            config_.gbceCalibration);
        std::shuffle(order_.begin(), order_.end(), random);
        const int batches = static_cast<int>(this->batches());
        const int reportEvery = std::max(1, batches / 10);
        double epochLoss = 0.0;
        std::int64_t epochTargets = 0;
        for (int b = 0; b < batches; ++b) {
            const int begin = b * config_.batchSize;
            const int end =
                std::min<int>(begin + config_.batchSize, static_cast<int>(order_.size()));
            std::int64_t targetCount = 0;
            for (int i = begin; i < end; ++i) targetCount += windowAt(i).length;
            const float scale = 1.0f / static_cast<float>(targetCount);
            const std::uint64_t batchSeed =
                config_.seed ^
                (0x9E3779B97F4A7C15ull * (static_cast<std::uint64_t>(epoch) * 100003u + b + 1));
            runSlices(config_.threads, [&](int t, const std::atomic<bool>&) {
                Worker& worker = workers_[static_cast<std::size_t>(t)];
                setZero(worker.grads);
                worker.loss = 0.0;
                worker.batch = SequenceBatch{};
                worker.targets.clear();
                const int sliceBegin = begin + (end - begin) * t / config_.threads;
                const int sliceEnd = begin + (end - begin) * (t + 1) / config_.threads;
                for (int i = sliceBegin; i < sliceEnd; ++i) {
                    const TrainingWindow& window = windowAt(i);
                    const auto u = static_cast<std::size_t>(window.sequence);
                    const auto start = static_cast<std::size_t>(window.start);
                    const auto length = static_cast<std::size_t>(window.length);
                    const std::span<const int> all(sequences_.items[u]);
                    const auto gaps = sequences_.gapsOf(u);
                    worker.batch.add(all.subspan(start, length), config_.maxLength,
                                     gaps.empty() ? gaps : gaps.subspan(start, length));
                    const auto targets = all.subspan(start + 1, length);
                    worker.targets.insert(worker.targets.end(), targets.begin(), targets.end());
                }
                if (worker.batch.rows() == 0) return;
                std::mt19937_64 dropoutRandom(batchSeed + static_cast<std::uint64_t>(t));
                encoder_.forward(params, worker.batch, true, dropoutRandom, *worker.cache,
                                 worker.hidden);
                const Matrix& items = params[static_cast<std::size_t>(table)];
                Matrix& dItems = worker.grads[static_cast<std::size_t>(table)];
                if (!sampler_) {
                    worker.loss = softmaxCrossEntropy(worker.hidden, items, worker.targets, scale,
                                                      worker.dHidden, dItems);
                } else {
                    // Its own stream: the draws do not shift the dropout masks.
                    std::mt19937_64 negativeRandom((batchSeed + static_cast<std::uint64_t>(t)) ^
                                                   0xD1B54A32D192ED03ull);
                    const bool gbce = config_.loss == SequenceLoss::Gbce;
                    // gBCE draws for each position, the sampled softmax once for the slice.
                    const auto draws =
                        gbce ? config_.negatives * static_cast<int>(worker.targets.size())
                             : config_.negatives;
                    const auto negatives = sampler_->sample(draws, negativeRandom);
                    worker.loss =
                        gbce ? gbceLoss(worker.hidden, items, worker.targets, negatives, beta,
                                        scale, worker.dHidden, dItems)
                             : sampledSoftmaxCrossEntropy(worker.hidden, items, worker.targets,
                                                          negatives, scale, worker.dHidden, dItems);
                }
                encoder_.backward(params, worker.batch, *worker.cache, worker.dHidden,
                                  worker.grads);
            });
            Tensors& grads = workers_[0].grads;
            for (std::size_t t = 1; t < workers_.size(); ++t)
                for (std::size_t p = 0; p < grads.size(); ++p) grads[p] += workers_[t].grads[p];
            adam.step(params, grads);
            if (!average_.empty()) follow(params);
            for (const auto& worker : workers_) epochLoss += worker.loss;
            epochTargets += targetCount;
            if ((b + 1) % reportEvery == 0 && b + 1 < batches)
                reportProgress(progress,
                               {stage, static_cast<std::int64_t>(epoch - 1) * batches + b + 1,
                                totalBatches, ""});
        }
        const float meanLoss = static_cast<float>(
            epochLoss / static_cast<double>(std::max<std::int64_t>(1, epochTargets)));
        if (!std::isfinite(meanLoss))
            throw std::runtime_error(config_.stage +
                                     ": training diverged (loss is not finite) at epoch " +
                                     std::to_string(epoch) + "; lower the learning rate");
        return meanLoss;
    }

    // What validation scores and training keeps: the running average when kept, else `params`.
    const Tensors& kept(const Tensors& params) const {
        return average_.empty() ? params : average_;
    }
    // Leaves the training's result in `params`: the running average (moved out) when kept.
    void keepResult(Tensors& params) {
        if (!average_.empty()) params = std::move(average_);
    }

private:
    // The exponential moving average with the bias correction of Adam's moments: step t enters
    // with rate (1 - d) / (1 - d^t), so the first step replaces the average outright and the
    // average never leans on the parameters training started from.
    void follow(const Tensors& params) {
        const double decay = 1.0 - 1.0 / std::max(1.0, static_cast<double>(config_.averageEpochs) *
                                                           static_cast<double>(batches()));
        decayPower_ *= decay;
        const auto rate = static_cast<float>((1.0 - decay) / (1.0 - decayPower_));
        for (std::size_t p = 0; p < params.size(); ++p)
            average_[p] = (1.0f - rate) * average_[p] + rate * params[p];
    }

    const TrainingWindow& windowAt(int shuffled) const {
        return windows_[static_cast<std::size_t>(order_[static_cast<std::size_t>(shuffled)])];
    }

    const SequenceEncoder& encoder_;
    const SequenceTrainingConfig& config_;
    const NegativeSampler* sampler_;
    const Sequences& sequences_;
    std::vector<Worker> workers_;
    std::vector<TrainingWindow> windows_;
    std::vector<int> order_;   // a shuffle of windows_' indices
    Tensors average_;          // the running average of the parameters; empty when not kept
    double decayPower_ = 1.0;  // decay^steps of the average so far
};

}  // namespace

double nextItemNdcgAt10(const SequenceEncoder& encoder, const Tensors& params,
                        std::span<const std::vector<int>> inputs, std::span<const int> targets,
                        int maxLength, int threads, std::span<const std::vector<int>> inputGaps) {
    return rankTargets(encoder, params, inputs, inputGaps, targets, maxLength, threads, {}, {});
}

namespace {

// The sampler of a sampled loss, over the items' frequency as training targets; null for the
// full softmax.
std::unique_ptr<NegativeSampler> makeSampler(const SequenceTrainingConfig& config,
                                             const Sequences& training, int itemCount) {
    if (config.loss == SequenceLoss::FullSoftmax) return nullptr;
    std::vector<int> counts(static_cast<std::size_t>(itemCount), 0);
    for (const auto& sequence : training.items)
        for (std::size_t t = 1; t < sequence.size(); ++t)
            ++counts[static_cast<std::size_t>(sequence[t])];
    return std::make_unique<NegativeSampler>(counts, config.negativePopularity);
}

}  // namespace

TrainingHistory trainSequenceEncoder(const SequenceEncoder& encoder, Tensors& params,
                                     std::span<const std::vector<int>> sequences,
                                     const SequenceTrainingConfig& config,
                                     const ProgressCallback& progress,
                                     std::span<const std::vector<int>> gaps) {
    if (config.maxLength <= 0 || config.batchSize <= 0 || config.epochs < 0 ||
        config.threads <= 0 || config.learningRate <= 0.0f)
        throw std::invalid_argument(
            "sequence training: maxLength, batchSize, threads and "
            "learningRate must be positive");
    if (config.loss != SequenceLoss::FullSoftmax &&
        (config.negatives <= 0 || !(config.negativePopularity >= 0.0f) ||
         !(config.gbceCalibration >= 0.0f && config.gbceCalibration <= 1.0f)))
        throw std::invalid_argument(
            "sequence training: a sampled loss needs negatives > 0, a popularity exponent >= 0 "
            "and a gBCE calibration in [0, 1]");
    if (!(config.averageEpochs >= 0.0f && config.averageEpochs <= kMaxAverageEpochs))
        throw std::invalid_argument("sequence training: averageEpochs " +
                                    std::to_string(config.averageEpochs) + " is not in [0, " +
                                    std::to_string(kMaxAverageEpochs) + "]");
    if (!gaps.empty() && gaps.size() != sequences.size())
        throw std::invalid_argument("sequence training: " + std::to_string(gaps.size()) +
                                    " gap sequences for " + std::to_string(sequences.size()) +
                                    " sequences");
    const bool withGaps = !gaps.empty();
    const int itemCount =
        static_cast<int>(params[static_cast<std::size_t>(encoder.itemTable())].rows());
    const auto started = std::chrono::steady_clock::now();
    std::mt19937_64 random(config.seed);

    // Hold out each user's last item for early stopping (users with at least 3 items).
    Sequences training;
    Sequences validationInputs;
    std::vector<int> validationTargets;
    training.items.reserve(sequences.size());
    std::vector<std::size_t> eligible;
    for (std::size_t u = 0; u < sequences.size(); ++u)
        if (config.validationUsers > 0 && sequences[u].size() >= 3) eligible.push_back(u);
    std::shuffle(eligible.begin(), eligible.end(), random);
    eligible.resize(
        std::min(eligible.size(), static_cast<std::size_t>(std::max(0, config.validationUsers))));
    std::vector<char> heldOut(sequences.size(), 0);
    for (auto u : eligible) heldOut[u] = 1;
    for (std::size_t u = 0; u < sequences.size(); ++u) {
        std::vector<int> sequence = sequences[u];
        std::vector<int> sequenceGaps = withGaps ? gaps[u] : std::vector<int>{};
        if (withGaps && sequenceGaps.size() != sequence.size())
            throw std::invalid_argument("sequence training: gap buckets not aligned with items");
        if (heldOut[u]) {
            validationTargets.push_back(sequence.back());
            sequence.pop_back();
            if (withGaps) sequenceGaps.pop_back();
            validationInputs.add(sequence, sequenceGaps, withGaps);
        }
        if (sequence.size() >= 2)
            training.add(std::move(sequence), std::move(sequenceGaps), withGaps);
    }

    TrainingHistory history;
    if (training.items.empty()) return history;
    const bool refit = config.refit && !validationInputs.items.empty();
    const Tensors initial = refit ? params : Tensors{};
    const auto sampler = makeSampler(config, training, itemCount);
    EpochRunner runner(encoder, config, sampler.get(), training, params);

    Tensors best = params;
    double bestNdcg = -1.0;
    int sinceBest = 0;
    {
        Adam adam(params, Adam::Config{config.learningRate});
        const std::int64_t totalBatches = runner.batches() * config.epochs;
        for (int epoch = 1; epoch <= config.epochs; ++epoch) {
            const std::string stage = config.stage + " epoch " + std::to_string(epoch);
            const float meanLoss =
                runner.run(params, adam, random, epoch, stage, totalBatches, progress);
            history.loss.push_back(meanLoss);
            char detail[128];
            std::snprintf(detail, sizeof detail, "epoch %d loss %.4f", epoch, meanLoss);
            std::string text = detail;
            bool stop = false;
            if (!validationInputs.items.empty() &&
                (epoch % config.validateEvery == 0 || epoch == config.epochs)) {
                const double ndcg = rankTargets(
                    encoder, runner.kept(params), validationInputs.items, validationInputs.gaps,
                    validationTargets, config.maxLength, config.threads, progress,
                    {config.stage + " validation", runner.batches() * epoch, totalBatches});
                history.validationNdcg.push_back(static_cast<float>(ndcg));
                std::snprintf(detail, sizeof detail, " valid NDCG@10 %.4f", ndcg);
                text += detail;
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    if (!refit) best = runner.kept(params);
                    history.bestEpoch = epoch;
                    sinceBest = 0;
                } else if (++sinceBest >= config.patience) {
                    stop = true;
                }
            } else if (validationInputs.items.empty()) {
                history.bestEpoch = epoch;
            }
            reportProgress(progress, {stage, runner.batches() * epoch, totalBatches, text});
            if (stop) break;
        }
    }
    if (refit && history.bestEpoch > 0) {
        // The held-out titles are the users' latest: train again from the same start on every
        // sequence, for the epoch count validation chose.
        Sequences all;
        all.items.reserve(sequences.size());
        for (std::size_t u = 0; u < sequences.size(); ++u)
            if (sequences[u].size() >= 2)
                all.add(sequences[u], withGaps ? gaps[u] : std::vector<int>{}, withGaps);
        // Fresh optimiser, shuffling and batch order: the same run as one without validation
        // (the sampler too: it counts targets over every sequence, as that run would).
        params = initial;
        Adam adam(params, Adam::Config{config.learningRate});
        std::mt19937_64 refitRandom(config.seed);
        const auto refitSampler = makeSampler(config, all, itemCount);
        EpochRunner refitRunner(encoder, config, refitSampler.get(), all, params);
        const std::int64_t totalBatches = refitRunner.batches() * history.bestEpoch;
        for (int epoch = 1; epoch <= history.bestEpoch; ++epoch) {
            const std::string stage = config.stage + " refit epoch " + std::to_string(epoch);
            refitRunner.run(params, adam, refitRandom, epoch, stage, totalBatches, progress);
            reportProgress(progress, {stage, refitRunner.batches() * epoch, totalBatches, ""});
        }
        refitRunner.keepResult(params);
    } else if (!validationInputs.items.empty() && bestNdcg >= 0.0) {
        params = std::move(best);
    } else {
        runner.keepResult(params);
    }
    history.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return history;
}

}  // namespace animerec::nn

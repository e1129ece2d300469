#pragma once

#include <span>
#include <vector>

#include "nn/sequence_encoder.h"
#include "nn/training_config.h"
#include "util/progress.h"

namespace animerec::nn {

// Trains `params` on next-item prediction over `sequences` (item indices, oldest first, one per
// user) with config.loss: full-softmax cross-entropy, or a sampled loss whose negatives follow
// the items' frequency as training targets raised to config.negativePopularity. `gaps`, when not
// empty, holds each sequence's time-gap buckets (aligned with its items) for encoders that read
// them. With validation, each user's last item is held out
// and scored by full ranking against all items the user has not seen; the parameters of the best
// validation NDCG@10 are kept, or with config.refit, training starts again from the initial
// parameters on every sequence for that best epoch count (the history keeps the curves of the
// validation run). With config.averageEpochs, "the parameters" above (what validation scores,
// what is kept, what the refit returns) are the running average of each Adam step's. Reports
// progress per batch group, in batches of all epochs (the refit counts its own), and during
// validation (stage "<stage> validation", at the batches done so far, the users scored in the
// detail); throws OperationCancelled. An exception in a worker thread is rethrown
// here after every worker stopped.
TrainingHistory trainSequenceEncoder(const SequenceEncoder& encoder, Tensors& params,
                                     std::span<const std::vector<int>> sequences,
                                     const SequenceTrainingConfig& config,
                                     const ProgressCallback& progress,
                                     std::span<const std::vector<int>> gaps = {});

// Mean NDCG@10 of predicting `targets[u]` after `inputs[u]`, ranking against all items not in
// `inputs[u]` (with its gap buckets `inputGaps[u]` when not empty). Users with an empty input
// are skipped. Uses `threads` threads.
double nextItemNdcgAt10(const SequenceEncoder& encoder, const Tensors& params,
                        std::span<const std::vector<int>> inputs, std::span<const int> targets,
                        int maxLength, int threads,
                        std::span<const std::vector<int>> inputGaps = {});

}  // namespace animerec::nn

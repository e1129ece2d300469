#include "models/mult_vae.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <istream>
#include <iterator>
#include <limits>
#include <numeric>
#include <ostream>
#include <random>
#include <stdexcept>

#include "models/ease.h"
#include "models/modelled_positions.h"
#include "models/mult_vae_network.h"
#include "models/unknown_items.h"
#include "nn/adam.h"
#include "nn/gaussian_latent.h"
#include "nn/multinomial_loss.h"
#include "nn/parallel_slices.h"
#include "nn/tensor_io.h"
#include "nn/training_config.h"
#include "util/binary_io.h"

namespace animerec {

namespace {

constexpr std::uint32_t kBodyVersion = 1;
// The decoder's output layer alone is hidden x items floats: refuse shapes that could not be
// a model of a real catalogue (a corrupt header must not allocate gigabytes).
constexpr std::int64_t kMaxLayerFloats = std::int64_t{1} << 28;

void validate(const MultVaeConfig& c) {
    const auto fail = [](const std::string& what) {
        throw std::invalid_argument("mult_vae: " + what);
    };
    if (c.hidden < 1 || c.hidden > 8192) fail("hidden must be in [1, 8192]");
    if (c.latent < 1 || c.latent > 8192) fail("latent must be in [1, 8192]");
    if (!(c.dropout >= 0.0f && c.dropout < 1.0f)) fail("dropout must be in [0, 1)");
    if (!(c.betaCap >= 0.0f)) fail("beta_cap must be >= 0");
    if (!(c.annealEpochs >= 0.0f)) fail("anneal_epochs must be >= 0");
    if (c.maxItems < 1) fail("max_items must be >= 1");
    if (c.epochs < 1) fail("epochs must be >= 1");
    if (c.batchSize < 1) fail("batch_size must be >= 1");
    if (!(c.learningRate > 0.0f)) fail("learning_rate must be > 0");
    if (c.validationUsers < 0) fail("validation_users must be >= 0");
    if (c.patience < 1) fail("patience must be >= 1");
    if (c.threads < 1) fail("threads must be >= 1");
}

// Each user's modelled items as sorted compact positions.
using ItemRows = std::vector<std::vector<int>>;

// The encoder's input bag of one user: every item weighted 1 / sqrt(n), the L2 normalisation of
// the paper; while training (`random` given) each item is dropped with probability `dropout` and
// the kept ones scaled by 1 / (1 - dropout).
void appendInput(std::span<const int> items, float dropout, std::mt19937_64* random,
                 nn::FeatureBags& bags) {
    const float weight = items.empty() ? 0.0f : 1.0f / std::sqrt(static_cast<float>(items.size()));
    std::bernoulli_distribution dropped(dropout);
    for (int item : items) {
        if (random && dropout > 0.0f && dropped(*random)) continue;
        bags.ids.push_back(item);
        bags.weights.push_back(random ? weight / (1.0f - dropout) : weight);
    }
    bags.offsets.push_back(static_cast<int>(bags.ids.size()));
}

// The likelihood's targets: every item of the user, count 1.
void appendTargets(std::span<const int> items, nn::FeatureBags& bags) {
    for (int item : items) {
        bags.ids.push_back(item);
        bags.weights.push_back(1.0f);
    }
    bags.offsets.push_back(static_cast<int>(bags.ids.size()));
}

struct ValidationUser {
    std::vector<int> input;    // sorted positions the encoder reads
    std::vector<int> targets;  // sorted positions to find
};

// Validation users: up to `count` of the users with five or more items (at most a fifth of
// them), each split 80/20 at random into input and targets.
std::vector<int> chooseValidationUsers(const ItemRows& rows, int count, std::uint64_t seed,
                                       std::vector<ValidationUser>& split) {
    std::vector<int> candidates;
    for (std::size_t u = 0; u < rows.size(); ++u)
        if (rows[u].size() >= 5) candidates.push_back(static_cast<int>(u));
    std::mt19937_64 random(seed);
    std::shuffle(candidates.begin(), candidates.end(), random);
    candidates.resize(std::min(candidates.size(),
                               std::min(static_cast<std::size_t>(count), candidates.size() / 5)));
    for (int user : candidates) {
        std::vector<int> items = rows[static_cast<std::size_t>(user)];
        std::shuffle(items.begin(), items.end(), random);
        const auto targets = std::max<std::size_t>(
            1, static_cast<std::size_t>(std::lround(0.2 * static_cast<double>(items.size()))));
        ValidationUser v;
        v.targets.assign(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(targets));
        v.input.assign(items.begin() + static_cast<std::ptrdiff_t>(targets), items.end());
        std::sort(v.targets.begin(), v.targets.end());
        std::sort(v.input.begin(), v.input.end());
        split.push_back(std::move(v));
    }
    std::sort(candidates.begin(), candidates.end());
    return candidates;
}

// Mean NDCG@10 of the validation users' targets among all modelled items but their input.
double validationNdcg(const MultVaeNetwork& network, const nn::Tensors& params,
                      const std::vector<ValidationUser>& users, int threads) {
    constexpr int kCutoff = 10;
    constexpr int kChunk = 128;
    std::vector<double> sums(static_cast<std::size_t>(threads), 0.0);
    nn::runSlices(threads, [&](int t, const std::atomic<bool>& stop) {
        MultVaeNetwork::Cache cache;
        nn::Matrix logits;
        const nn::Matrix noNoise;
        for (std::size_t begin = static_cast<std::size_t>(t) * kChunk; begin < users.size();
             begin += static_cast<std::size_t>(threads) * kChunk) {
            if (stop.load(std::memory_order_relaxed)) return;
            const std::size_t end = std::min(users.size(), begin + kChunk);
            nn::FeatureBags input;
            for (std::size_t u = begin; u < end; ++u)
                appendInput(users[u].input, 0.0f, nullptr, input);
            network.forward(params, input, noNoise, cache, logits);
            std::vector<int> order(static_cast<std::size_t>(logits.cols()));
            for (std::size_t u = begin; u < end; ++u) {
                auto row = logits.row(static_cast<Eigen::Index>(u - begin));
                for (int item : users[u].input) row[item] = -std::numeric_limits<float>::infinity();
                std::iota(order.begin(), order.end(), 0);
                const auto k = std::min<std::size_t>(kCutoff, order.size());
                // Ties to the lower position: the comparison is strict, the order stable.
                std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k),
                                  order.end(), [&row](int a, int b) {
                                      return row[a] > row[b] || (row[a] == row[b] && a < b);
                                  });
                double dcg = 0.0, ideal = 0.0;
                const auto& targets = users[u].targets;
                for (std::size_t r = 0; r < k; ++r) {
                    const double discount = 1.0 / std::log2(static_cast<double>(r) + 2.0);
                    if (std::binary_search(targets.begin(), targets.end(), order[r]))
                        dcg += discount;
                    if (r < targets.size()) ideal += discount;
                }
                sums[static_cast<std::size_t>(t)] += dcg / ideal;
            }
        }
    });
    double total = 0.0;
    for (double s : sums) total += s;
    return users.empty() ? 0.0 : total / static_cast<double>(users.size());
}

struct TrainingRun {
    nn::Tensors params;  // the best epoch's with validation, else the last epoch's
    nn::TrainingHistory history;
};

// Trains from the seed's initial weights on `users` for at most `epochs` epochs; with
// validation users, stops early and keeps the best epoch's weights.
TrainingRun train(const MultVaeConfig& c, MultVaeShape shape, const ItemRows& rows,
                  std::vector<int> users, const std::vector<ValidationUser>& validation, int epochs,
                  const std::string& stage, const ProgressCallback& progress) {
    const auto start = std::chrono::steady_clock::now();
    std::mt19937_64 init(c.seed);
    nn::ParameterStore store;
    const MultVaeNetwork network(shape, store, init);
    nn::Tensors& params = store.values();
    nn::Adam adam(params, {.learningRate = c.learningRate, .beta1 = 0.9f, .beta2 = 0.999f});
    std::vector<nn::Tensors> grads(static_cast<std::size_t>(c.threads), nn::zerosLike(params));
    std::vector<double> sliceLoss(static_cast<std::size_t>(c.threads));
    std::mt19937_64 shuffle(c.seed + 1);

    TrainingRun run;
    double best = -1.0;
    const auto batchCount =
        static_cast<int>((users.size() + static_cast<std::size_t>(c.batchSize) - 1) /
                         static_cast<std::size_t>(c.batchSize));
    std::int64_t step = 0;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        std::shuffle(users.begin(), users.end(), shuffle);
        double epochLoss = 0.0;
        for (int batch = 0; batch < batchCount; ++batch, ++step) {
            const double progressInEpochs = epoch + static_cast<double>(batch) / batchCount;
            const float beta = c.annealEpochs > 0.0f
                                   ? c.betaCap * static_cast<float>(std::min(
                                                     1.0, progressInEpochs / c.annealEpochs))
                                   : c.betaCap;
            const std::size_t begin = static_cast<std::size_t>(batch) * c.batchSize;
            const std::size_t end = std::min(users.size(), begin + c.batchSize);
            const float scale = 1.0f / static_cast<float>(end - begin);
            nn::runSlices(c.threads, [&](int t, const std::atomic<bool>&) {
                auto& g = grads[static_cast<std::size_t>(t)];
                nn::setZero(g);
                sliceLoss[static_cast<std::size_t>(t)] = 0.0;
                const std::size_t span = (end - begin + c.threads - 1) / c.threads;
                const std::size_t from = begin + span * static_cast<std::size_t>(t);
                const std::size_t to = std::min(end, from + span);
                if (from >= to) return;
                // Dropout and noise draws depend on the step and slice only, so a run repeats.
                std::mt19937_64 random(c.seed ^ (0x9E3779B97F4A7C15ull *
                                                 static_cast<std::uint64_t>(step * 64 + t + 1)));
                nn::FeatureBags input, targets;
                for (std::size_t i = from; i < to; ++i) {
                    const auto& items = rows[static_cast<std::size_t>(users[i])];
                    appendInput(items, c.dropout, &random, input);
                    appendTargets(items, targets);
                }
                nn::Matrix noise(static_cast<Eigen::Index>(to - from), shape.latent);
                std::normal_distribution<float> normal(0.0f, 1.0f);
                for (Eigen::Index i = 0; i < noise.size(); ++i) noise.data()[i] = normal(random);
                MultVaeNetwork::Cache cache;
                nn::Matrix logits, dLogits;
                network.forward(params, input, noise, cache, logits);
                const double likelihood =
                    nn::multinomialNegativeLogLikelihood(logits, targets, scale, dLogits);
                const double kl = nn::gaussianKlDivergence(cache.stats);
                network.backward(params, input, noise, cache, dLogits, beta * scale, g);
                sliceLoss[static_cast<std::size_t>(t)] = likelihood + beta * kl;
            });
            for (int t = 1; t < c.threads; ++t)
                for (std::size_t i = 0; i < params.size(); ++i)
                    grads[0][i] += grads[static_cast<std::size_t>(t)][i];
            adam.step(params, grads[0]);
            for (double loss : sliceLoss) epochLoss += loss;
            char detail[96];
            std::snprintf(detail, sizeof detail, "epoch %d, loss %.1f", epoch + 1,
                          epochLoss / static_cast<double>(end));
            reportProgress(progress, {stage, batch + 1, batchCount, detail});
        }
        run.history.loss.push_back(
            static_cast<float>(epochLoss / static_cast<double>(users.size())));
        if (validation.empty()) continue;
        const double ndcg = validationNdcg(network, params, validation, c.threads);
        run.history.validationNdcg.push_back(static_cast<float>(ndcg));
        char detail[96];
        std::snprintf(detail, sizeof detail, "epoch %d, validation NDCG@10 %.4f", epoch + 1, ndcg);
        reportProgress(progress, {stage, batchCount, batchCount, detail});
        if (ndcg > best) {
            best = ndcg;
            run.history.bestEpoch = epoch + 1;
            run.params = params;
        } else if (epoch + 1 - run.history.bestEpoch >= c.patience) {
            break;
        }
    }
    if (validation.empty()) {
        run.history.bestEpoch = static_cast<int>(run.history.loss.size());
        run.params = params;
    }
    run.history.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return run;
}

}  // namespace

struct MultVae::State {
    int itemCount = 0;
    std::vector<int> items;       // compact position -> catalogue index
    std::vector<int> positionOf;  // catalogue index -> compact position or -1
    nn::ParameterStore store;
    std::unique_ptr<MultVaeNetwork> network;
    nn::TrainingHistory history;

    State(const MultVaeConfig& config, int catalogueSize, std::vector<int> modelled)
        : itemCount(catalogueSize), items(std::move(modelled)) {
        positionOf.assign(static_cast<std::size_t>(itemCount), -1);
        for (std::size_t p = 0; p < items.size(); ++p)
            positionOf[static_cast<std::size_t>(items[p])] = static_cast<int>(p);
        std::mt19937_64 unused(0);
        network = std::make_unique<MultVaeNetwork>(
            MultVaeShape{static_cast<int>(items.size()), config.hidden, config.latent}, store,
            unused);
    }
};

MultVae::MultVae(MultVaeConfig config) : config_(config) { validate(config_); }
MultVae::~MultVae() = default;

void MultVae::fit(const Dataset& data, const ProgressCallback& progress) {
    validate(config_);
    const auto& interactions = data.interactions;
    const int itemCount = std::max(interactions.itemCount(), data.catalog.size());
    ItemRows rows;
    std::vector<int> items =
        Ease::mostFrequentItems(interactions, itemCount, config_.maxItems, &rows);
    if (items.empty()) throw std::invalid_argument("mult_vae: no interactions to train on");
    auto state = std::make_unique<State>(config_, itemCount, std::move(items));
    std::vector<int> everyone;
    for (std::size_t u = 0; u < rows.size(); ++u) {
        auto& row = rows[u];
        std::vector<int> positions;
        for (int item : row)
            if (const int p = state->positionOf[static_cast<std::size_t>(item)]; p >= 0)
                positions.push_back(p);
        std::sort(positions.begin(), positions.end());
        row = std::move(positions);
        if (!row.empty()) everyone.push_back(static_cast<int>(u));
    }
    const MultVaeShape shape{static_cast<int>(state->items.size()), config_.hidden, config_.latent};

    std::vector<ValidationUser> validation;
    const std::vector<int> heldOut =
        config_.validationUsers > 0
            ? chooseValidationUsers(rows, config_.validationUsers, config_.seed + 2, validation)
            : std::vector<int>{};
    TrainingRun run;
    if (validation.empty()) {
        run = train(config_, shape, rows, everyone, {}, config_.epochs, "mult_vae epoch", progress);
    } else {
        std::vector<int> trainUsers;
        std::set_difference(everyone.begin(), everyone.end(), heldOut.begin(), heldOut.end(),
                            std::back_inserter(trainUsers));
        run = train(config_, shape, rows, trainUsers, validation, config_.epochs, "mult_vae epoch",
                    progress);
        if (config_.refit) {
            TrainingRun refit = train(config_, shape, rows, everyone, {}, run.history.bestEpoch,
                                      "mult_vae refit", progress);
            run.params = std::move(refit.params);
            run.history.loss = std::move(refit.history.loss);
            run.history.seconds += refit.history.seconds;
        }
    }
    state->store.values() = std::move(run.params);
    state->history = std::move(run.history);
    state_ = std::move(state);
}

void MultVae::score(const UserQuery& query, std::span<float> scores) const {
    if (!state_) throw std::runtime_error("mult_vae: score() called before fit() or load()");
    // Buffers per thread rather than per request: score() runs on every HTTP worker at once.
    thread_local std::vector<int> positions;
    thread_local nn::FeatureBags input;
    thread_local MultVaeNetwork::Cache cache;
    thread_local nn::Matrix logits;
    modelledPositions(query.history, state_->positionOf, positions);
    input.offsets.assign(1, 0);
    input.ids.clear();
    input.weights.clear();
    appendInput(positions, 0.0f, nullptr, input);
    static const nn::Matrix noNoise;
    state_->network->forward(state_->store.values(), input, noNoise, cache, logits);
    for (std::size_t p = 0; p < state_->items.size(); ++p)
        if (const auto item = static_cast<std::size_t>(state_->items[p]); item < scores.size())
            scores[item] = logits(0, static_cast<Eigen::Index>(p));
    const auto& positionOf = state_->positionOf;
    scoreUnknownItemsLast(scores, [&positionOf](std::size_t item) {
        return item < positionOf.size() && positionOf[item] >= 0;
    });
}

void MultVae::save(std::ostream& out) const {
    if (!state_) throw std::runtime_error("mult_vae: save() called before fit() or load()");
    binary::write<std::uint32_t>(out, kBodyVersion);
    binary::write<std::int32_t>(out, config_.hidden);
    binary::write<std::int32_t>(out, config_.latent);
    binary::write<float>(out, config_.dropout);
    binary::write<float>(out, config_.betaCap);
    binary::write<float>(out, config_.annealEpochs);
    binary::write<std::int32_t>(out, config_.maxItems);
    binary::write<std::int32_t>(out, config_.epochs);
    binary::write<std::int32_t>(out, config_.batchSize);
    binary::write<float>(out, config_.learningRate);
    binary::write<std::int32_t>(out, config_.validationUsers);
    binary::write<std::int32_t>(out, config_.patience);
    binary::write<std::uint8_t>(out, config_.refit ? 1 : 0);
    binary::write<std::uint64_t>(out, config_.seed);
    binary::write<std::int32_t>(out, state_->itemCount);
    binary::writeVector(out, state_->items);
    nn::writeTrainingHistory(out, state_->history);
    nn::writeTensors(out, state_->store.values());
    if (!out) throw std::runtime_error("mult_vae: write failed");
}

void MultVae::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "mult_vae body version");
    if (version != kBodyVersion)
        throw std::runtime_error("mult_vae: unsupported body version " + std::to_string(version));
    MultVaeConfig config = config_;
    config.hidden = binary::read<std::int32_t>(in, "mult_vae hidden");
    config.latent = binary::read<std::int32_t>(in, "mult_vae latent");
    config.dropout = binary::read<float>(in, "mult_vae dropout");
    config.betaCap = binary::read<float>(in, "mult_vae beta cap");
    config.annealEpochs = binary::read<float>(in, "mult_vae anneal epochs");
    config.maxItems = binary::read<std::int32_t>(in, "mult_vae max items");
    config.epochs = binary::read<std::int32_t>(in, "mult_vae epochs");
    config.batchSize = binary::read<std::int32_t>(in, "mult_vae batch size");
    config.learningRate = binary::read<float>(in, "mult_vae learning rate");
    config.validationUsers = binary::read<std::int32_t>(in, "mult_vae validation users");
    config.patience = binary::read<std::int32_t>(in, "mult_vae patience");
    config.refit = binary::read<std::uint8_t>(in, "mult_vae refit flag") != 0;
    config.seed = binary::read<std::uint64_t>(in, "mult_vae seed");
    const auto itemCount = binary::read<std::int32_t>(in, "mult_vae item count");
    try {
        validate(config);
        if (itemCount < 1 || itemCount > (1 << 24))
            throw std::invalid_argument("item count " + std::to_string(itemCount));
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("mult_vae: corrupt model body: ") + error.what());
    }
    auto items = binary::readVector<int>(in, "mult_vae items");
    if (items.empty() || items.size() > static_cast<std::size_t>(itemCount) ||
        static_cast<std::int64_t>(items.size()) * std::max(config.hidden, config.latent) >
            kMaxLayerFloats)
        throw std::runtime_error("mult_vae: corrupt model body: " + std::to_string(items.size()) +
                                 " modelled items for a catalogue of " + std::to_string(itemCount));
    std::vector<char> seen(static_cast<std::size_t>(itemCount), 0);
    for (int item : items) {
        if (item < 0 || item >= itemCount || seen[static_cast<std::size_t>(item)])
            throw std::runtime_error("mult_vae: corrupt model body: bad item index " +
                                     std::to_string(item));
        seen[static_cast<std::size_t>(item)] = 1;
    }
    nn::TrainingHistory history = nn::readTrainingHistory(in, "mult_vae");
    auto state = std::make_unique<State>(config, itemCount, std::move(items));
    nn::readTensors(in, state->store.values());
    state->history = std::move(history);
    config_ = config;
    state_ = std::move(state);
}

int MultVae::itemCount() const { return state_ ? state_->itemCount : -1; }

std::vector<double> MultVae::trainingCurve() const {
    if (!state_) return {};
    return {state_->history.loss.begin(), state_->history.loss.end()};
}

const std::vector<float>& MultVae::validationCurve() const {
    static const std::vector<float> empty;
    return state_ ? state_->history.validationNdcg : empty;
}

int MultVae::bestEpoch() const { return state_ ? state_->history.bestEpoch : 0; }

}  // namespace animerec

#include "models/gru4rec.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "models/item_side_features.h"
#include "models/sequence_context_embedding.h"
#include "models/sequence_data.h"
#include "models/unknown_items.h"
#include "nn/dropout.h"
#include "nn/embedding.h"
#include "nn/gru.h"
#include "nn/init.h"
#include "nn/linear.h"
#include "nn/sequence_trainer.h"
#include "nn/tensor_io.h"
#include "util/binary_io.h"

namespace animerec {

namespace {
// Version 2 added the projection flag (version 1 bodies load with projection off), version 3
// the plan-to-watch flag (older bodies read watched items only), version 4 the side-feature and
// time-gap flags (then the side-feature bags when that flag is set).
constexpr std::uint32_t kFormatVersion = 4;

struct GruCache : nn::SequenceEncoder::Cache {
    nn::Matrix inputMask, outputMask;
    nn::Gru::Cache gru;
    nn::Matrix recurrent;  // GRU output after dropout: the projection's input
};

// embedding (+ side features + time gap) -> dropout -> GRU -> dropout [-> affine projection].
// The optional context tables are registered last, so without them the draws are as before.
// The projection lets the hidden
// vector leave the GRU's (-1, 1) range, so logits can sharpen without first inflating the item
// table; without it training on P2 is several times slower.
class GruNetwork : public nn::SequenceEncoder {
public:
    GruNetwork(const Gru4RecConfig& config, int itemCount, nn::ParameterStore& store,
               std::mt19937_64& random, nn::FeatureBags side)
        : dropout_(config.dropout), projected_(config.projection) {
        const float stddev = 1.0f / std::sqrt(static_cast<float>(config.dim));
        inputItems_ = store.add("items", itemCount, config.dim);
        nn::initNormal(store.values()[static_cast<std::size_t>(inputItems_)], stddev, random);
        gru_.create(store, "gru", config.dim, config.dim, random);
        if (projected_) projection_.create(store, "projection", config.dim, config.dim, random);
        outputItems_ = inputItems_;
        if (!config.tiedOutput) {
            outputItems_ = store.add("output_items", itemCount, config.dim);
            nn::initNormal(store.values()[static_cast<std::size_t>(outputItems_)], stddev, random);
        }
        context_.create(store, config.dim, std::move(side), config.timeGaps ? kTimeGapBuckets : 0,
                        random);
    }

    int itemTable() const override { return outputItems_; }
    std::unique_ptr<Cache> makeCache() const override { return std::make_unique<GruCache>(); }

    void forward(const nn::Tensors& params, const nn::SequenceBatch& batch, bool training,
                 std::mt19937_64& random, Cache& baseCache, nn::Matrix& hidden) const override {
        auto& cache = static_cast<GruCache&>(baseCache);
        nn::Matrix x;
        nn::gatherRows(params[static_cast<std::size_t>(inputItems_)], batch.items, x);
        context_.forward(params, batch, x);
        nn::dropoutForward(x, dropout_, training, random, cache.inputMask);
        gru_.forward(params, x, batch.segments, cache.recurrent, cache.gru);
        nn::dropoutForward(cache.recurrent, dropout_, training, random, cache.outputMask);
        if (projected_)
            projection_.forward(params, cache.recurrent, hidden);
        else
            hidden = cache.recurrent;
    }

    void backward(const nn::Tensors& params, const nn::SequenceBatch& batch, Cache& baseCache,
                  const nn::Matrix& dHidden, nn::Tensors& grads) const override {
        auto& cache = static_cast<GruCache&>(baseCache);
        nn::Matrix dOutput, dx;
        if (projected_)
            projection_.backward(params, cache.recurrent, dHidden, grads, &dOutput);
        else
            dOutput = dHidden;
        nn::dropoutBackward(dOutput, cache.outputMask);
        gru_.backward(params, batch.segments, cache.gru, dOutput, grads, dx);
        nn::dropoutBackward(dx, cache.inputMask);
        nn::scatterAddRows(grads[static_cast<std::size_t>(inputItems_)], batch.items, dx);
        context_.backward(batch, dx, grads);
    }

private:
    float dropout_;
    bool projected_;
    int inputItems_ = -1;
    int outputItems_ = -1;
    nn::Gru gru_;
    nn::Linear projection_;
    SequenceContextEmbedding context_;
};

std::uint8_t readFlag(std::istream& in, const char* what) {
    const auto flag = binary::read<std::uint8_t>(in, what);
    if (flag > 1)
        throw std::runtime_error(std::string("gru: corrupt model body: ") + what + " " +
                                 std::to_string(flag));
    return flag;
}

void validate(const Gru4RecConfig& c, int itemCount) {
    if (c.dim <= 0 || c.dim > 4096 || c.training.maxLength <= 0 || c.training.maxLength > 100000 ||
        !(c.dropout >= 0.0f && c.dropout < 1.0f) || itemCount <= 0)
        throw std::invalid_argument("gru: invalid shape (dim " + std::to_string(c.dim) +
                                    ", maxLength " + std::to_string(c.training.maxLength) +
                                    ", dropout " + std::to_string(c.dropout) + ", items " +
                                    std::to_string(itemCount) + ")");
}
}  // namespace

struct Gru4RecModel::State {
    State(const Gru4RecConfig& config, int items, nn::FeatureBags side)
        : random(config.training.seed),
          sideFeatures(std::move(side)),
          network(config, items, store, random, sideFeatures),
          itemCount(items) {}
    nn::ParameterStore store;
    std::mt19937_64 random;
    nn::FeatureBags sideFeatures;  // no rows when the model reads none
    GruNetwork network;
    int itemCount;
    nn::TrainingHistory history;
};

Gru4RecModel::Gru4RecModel(Gru4RecConfig config) : config_(std::move(config)) {}
Gru4RecModel::~Gru4RecModel() = default;

int Gru4RecModel::itemCount() const { return state_ ? state_->itemCount : -1; }

void Gru4RecModel::fit(const Dataset& data, const ProgressCallback& progress) {
    const int itemCount = data.interactions.itemCount();
    validate(config_, itemCount);
    Gru4RecConfig config = config_;
    config.timeGaps = config.timeGaps && ordersAreTimes(data.interactions);
    auto state = std::make_unique<State>(
        config, itemCount,
        config.sideFeatures ? buildItemSideFeatures(data.catalog, itemCount) : nn::FeatureBags{});
    const auto sequences = buildTrainingSequences(data.interactions, config.training.planToWatch);
    const auto gaps = config.timeGaps
                          ? buildTrainingGaps(data.interactions, config.training.planToWatch)
                          : std::vector<std::vector<int>>{};
    auto training = config.training;
    training.stage = "gru";
    state->history = nn::trainSequenceEncoder(state->network, state->store.values(), sequences,
                                              training, progress, gaps);
    config_ = config;
    state_ = std::move(state);
}

void Gru4RecModel::score(const UserQuery& query, std::span<float> scores) const {
    if (!state_) throw std::runtime_error("gru: score() called before fit() or load()");
    const int itemCount = state_->itemCount;
    // The whole sequence when reading gaps, so the first gap of the last maxLength is the real
    // one; scoreNextItem keeps the last maxLength.
    const int readLength = config_.timeGaps ? 0 : config_.training.maxLength;
    const auto items =
        watchedSequence(query.history, itemCount, readLength, config_.training.planToWatch);
    const auto gaps = config_.timeGaps
                          ? timeGapBuckets(watchedOrders(query.history, itemCount, readLength,
                                                         config_.training.planToWatch))
                          : std::vector<int>{};
    if (items.empty()) {
        std::fill(scores.begin(), scores.end(), 0.0f);
        return;
    }
    const auto known = std::min<std::size_t>(scores.size(), static_cast<std::size_t>(itemCount));
    std::vector<float> all(static_cast<std::size_t>(itemCount));
    nn::scoreNextItem(state_->network, state_->store.values(), items, config_.training.maxLength,
                      all, gaps);
    std::copy_n(all.begin(), known, scores.begin());
    scoreUnknownItemsLast(scores, known);
}

std::vector<double> Gru4RecModel::trainingCurve() const {
    if (!state_) return {};
    return {state_->history.loss.begin(), state_->history.loss.end()};
}

const std::vector<float>& Gru4RecModel::validationCurve() const {
    static const std::vector<float> empty;
    return state_ ? state_->history.validationNdcg : empty;
}

void Gru4RecModel::save(std::ostream& out) const {
    if (!state_) throw std::runtime_error("gru: save() called before fit() or load()");
    binary::write<std::uint32_t>(out, kFormatVersion);
    binary::write<std::int32_t>(out, state_->itemCount);
    binary::write<std::int32_t>(out, config_.dim);
    binary::write<std::int32_t>(out, config_.training.maxLength);
    binary::write<float>(out, config_.dropout);
    binary::write<std::uint8_t>(out, config_.tiedOutput ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.projection ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.training.planToWatch ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.sideFeatures ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.timeGaps ? 1 : 0);
    if (config_.sideFeatures) writeItemSideFeatures(out, state_->sideFeatures);
    nn::writeTrainingHistory(out, state_->history);
    nn::writeTensors(out, state_->store.values());
    if (!out) throw std::runtime_error("gru: write failed");
}

void Gru4RecModel::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "gru format version");
    if (version < 1 || version > kFormatVersion)
        throw std::runtime_error("gru: unsupported body version " + std::to_string(version));
    Gru4RecConfig config = config_;
    const auto itemCount = binary::read<std::int32_t>(in, "gru item count");
    config.dim = binary::read<std::int32_t>(in, "gru dim");
    config.training.maxLength = binary::read<std::int32_t>(in, "gru max length");
    config.dropout = binary::read<float>(in, "gru dropout");
    const auto tied = binary::read<std::uint8_t>(in, "gru tied output");
    if (tied > 1)
        throw std::runtime_error("gru: corrupt model body: tied flag " + std::to_string(tied));
    config.tiedOutput = tied == 1;
    const auto projection =
        version >= 2 ? binary::read<std::uint8_t>(in, "gru projection") : std::uint8_t{0};
    if (projection > 1)
        throw std::runtime_error("gru: corrupt model body: projection flag " +
                                 std::to_string(projection));
    config.projection = projection == 1;
    const auto planToWatch =
        version >= 3 ? binary::read<std::uint8_t>(in, "gru plan to watch") : std::uint8_t{0};
    if (planToWatch > 1)
        throw std::runtime_error("gru: corrupt model body: plan-to-watch flag " +
                                 std::to_string(planToWatch));
    config.training.planToWatch = planToWatch == 1;
    config.sideFeatures = version >= 4 && readFlag(in, "side-feature flag") == 1;
    config.timeGaps = version >= 4 && readFlag(in, "time-gap flag") == 1;
    try {
        validate(config, itemCount);
        if (itemCount > (1 << 24)) throw std::invalid_argument("item count too large");
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("gru: corrupt model body: ") + error.what());
    }
    nn::FeatureBags side =
        config.sideFeatures ? readItemSideFeatures(in, itemCount, "gru") : nn::FeatureBags{};
    nn::TrainingHistory history = nn::readTrainingHistory(in, "gru");
    auto state = std::make_unique<State>(config, itemCount, std::move(side));
    nn::readTensors(in, state->store.values());
    state->history = std::move(history);
    config_ = config;
    state_ = std::move(state);
}

}  // namespace animerec

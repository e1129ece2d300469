#include "models/sasrec.h"

#include <algorithm>
#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "models/item_side_features.h"
#include "models/sasrec_network.h"
#include "models/sequence_data.h"
#include "models/unknown_items.h"
#include "nn/sequence_trainer.h"
#include "nn/tensor_io.h"
#include "util/binary_io.h"

namespace animerec {

namespace {
// Version 2 added the plan-to-watch flag (version 1 bodies read watched items only), version 3
// the side-feature and time-gap flags (then the side-feature bags when that flag is set).
constexpr std::uint32_t kFormatVersion = 3;

void validate(const SasrecConfig& c, int itemCount) {
    if (c.dim <= 0 || c.dim > 4096 || c.blocks < 0 || c.blocks > 64 || c.heads <= 0 ||
        c.dim % c.heads != 0 || c.training.maxLength <= 0 || c.training.maxLength > 100000 ||
        !(c.dropout >= 0.0f && c.dropout < 1.0f) || itemCount <= 0)
        throw std::invalid_argument(
            "sasrec: invalid shape (dim " + std::to_string(c.dim) + ", blocks " +
            std::to_string(c.blocks) + ", heads " + std::to_string(c.heads) + ", maxLength " +
            std::to_string(c.training.maxLength) + ", dropout " + std::to_string(c.dropout) +
            ", items " + std::to_string(itemCount) + ")");
}

SasrecShape shapeOf(const SasrecConfig& c, int itemCount) {
    return {itemCount,
            c.dim,
            c.blocks,
            c.heads,
            c.training.maxLength,
            c.dropout,
            c.timeGaps ? kTimeGapBuckets : 0};
}

std::uint8_t readFlag(std::istream& in, const char* what) {
    const auto flag = binary::read<std::uint8_t>(in, what);
    if (flag > 1)
        throw std::runtime_error(std::string("sasrec: corrupt model body: ") + what + " " +
                                 std::to_string(flag));
    return flag;
}
}  // namespace

struct SasrecModel::State {
    State(const SasrecConfig& config, int itemCount, nn::FeatureBags side)
        : random(config.training.seed),
          sideFeatures(std::move(side)),
          network(shapeOf(config, itemCount), store, random, sideFeatures) {}
    nn::ParameterStore store;
    std::mt19937_64 random;        // only used while building (init); kept for member order
    nn::FeatureBags sideFeatures;  // no rows when the model reads none
    SasrecNetwork network;
    nn::TrainingHistory history;
    int itemCount() const { return static_cast<int>(store.values()[0].rows()); }
};

SasrecModel::SasrecModel(SasrecConfig config) : config_(std::move(config)) {}
SasrecModel::~SasrecModel() = default;

int SasrecModel::itemCount() const { return state_ ? state_->itemCount() : -1; }

void SasrecModel::fit(const Dataset& data, const ProgressCallback& progress) {
    const int itemCount = data.interactions.itemCount();
    validate(config_, itemCount);
    SasrecConfig config = config_;
    config.timeGaps = config.timeGaps && ordersAreTimes(data.interactions);
    auto state = std::make_unique<State>(
        config, itemCount,
        config.sideFeatures ? buildItemSideFeatures(data.catalog, itemCount) : nn::FeatureBags{});
    const auto sequences = buildTrainingSequences(data.interactions, config.training.planToWatch);
    const auto gaps = config.timeGaps
                          ? buildTrainingGaps(data.interactions, config.training.planToWatch)
                          : std::vector<std::vector<int>>{};
    auto training = config.training;
    training.stage = "sasrec";
    state->history = nn::trainSequenceEncoder(state->network, state->store.values(), sequences,
                                              training, progress, gaps);
    config_ = config;
    state_ = std::move(state);
}

void SasrecModel::score(const UserQuery& query, std::span<float> scores) const {
    if (!state_) throw std::runtime_error("sasrec: score() called before fit() or load()");
    const int itemCount = state_->itemCount();
    // The whole sequence, so the first gap of the last maxLength is the real one; scoreNextItem
    // keeps the last maxLength.
    const int readLength = config_.timeGaps ? 0 : config_.training.maxLength;
    const auto items =
        watchedSequence(query.history, itemCount, readLength, config_.training.planToWatch);
    const auto gaps = config_.timeGaps
                          ? timeGapBuckets(watchedOrders(query.history, itemCount, readLength,
                                                         config_.training.planToWatch))
                          : std::vector<int>{};
    const auto known = std::min<std::size_t>(scores.size(), static_cast<std::size_t>(itemCount));
    if (items.empty()) {
        std::fill(scores.begin(), scores.end(), 0.0f);
        return;
    }
    if (known == static_cast<std::size_t>(itemCount)) {
        nn::scoreNextItem(state_->network, state_->store.values(), items,
                          config_.training.maxLength, scores.first(known), gaps);
    } else {
        std::vector<float> all(static_cast<std::size_t>(itemCount));
        nn::scoreNextItem(state_->network, state_->store.values(), items,
                          config_.training.maxLength, all, gaps);
        std::copy_n(all.begin(), known, scores.begin());
    }
    scoreUnknownItemsLast(scores, known);
}

std::vector<double> SasrecModel::trainingCurve() const {
    if (!state_) return {};
    return {state_->history.loss.begin(), state_->history.loss.end()};
}

const std::vector<float>& SasrecModel::validationCurve() const {
    static const std::vector<float> empty;
    return state_ ? state_->history.validationNdcg : empty;
}

void SasrecModel::save(std::ostream& out) const {
    if (!state_) throw std::runtime_error("sasrec: save() called before fit() or load()");
    binary::write<std::uint32_t>(out, kFormatVersion);
    binary::write<std::int32_t>(out, state_->itemCount());
    binary::write<std::int32_t>(out, config_.dim);
    binary::write<std::int32_t>(out, config_.blocks);
    binary::write<std::int32_t>(out, config_.heads);
    binary::write<std::int32_t>(out, config_.training.maxLength);
    binary::write<float>(out, config_.dropout);
    binary::write<std::uint8_t>(out, config_.training.planToWatch ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.sideFeatures ? 1 : 0);
    binary::write<std::uint8_t>(out, config_.timeGaps ? 1 : 0);
    if (config_.sideFeatures) writeItemSideFeatures(out, state_->sideFeatures);
    nn::writeTrainingHistory(out, state_->history);
    nn::writeTensors(out, state_->store.values());
    if (!out) throw std::runtime_error("sasrec: write failed");
}

void SasrecModel::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "sasrec format version");
    if (version < 1 || version > kFormatVersion)
        throw std::runtime_error("sasrec: unsupported body version " + std::to_string(version));
    SasrecConfig config = config_;
    const auto itemCount = binary::read<std::int32_t>(in, "sasrec item count");
    config.dim = binary::read<std::int32_t>(in, "sasrec dim");
    config.blocks = binary::read<std::int32_t>(in, "sasrec blocks");
    config.heads = binary::read<std::int32_t>(in, "sasrec heads");
    config.training.maxLength = binary::read<std::int32_t>(in, "sasrec max length");
    config.dropout = binary::read<float>(in, "sasrec dropout");
    config.training.planToWatch = version >= 2 && readFlag(in, "plan-to-watch flag") == 1;
    config.sideFeatures = version >= 3 && readFlag(in, "side-feature flag") == 1;
    config.timeGaps = version >= 3 && readFlag(in, "time-gap flag") == 1;
    try {
        validate(config, itemCount);
        if (itemCount > (1 << 24)) throw std::invalid_argument("item count too large");
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("sasrec: corrupt model body: ") + error.what());
    }
    nn::FeatureBags side =
        config.sideFeatures ? readItemSideFeatures(in, itemCount, "sasrec") : nn::FeatureBags{};
    nn::TrainingHistory history = nn::readTrainingHistory(in, "sasrec");
    auto state = std::make_unique<State>(config, itemCount, std::move(side));
    nn::readTensors(in, state->store.values());
    state->history = std::move(history);
    config_ = config;
    state_ = std::move(state);
}

}  // namespace animerec

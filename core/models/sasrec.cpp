#include "models/sasrec.h"

#include <algorithm>
#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>

#include "models/sasrec_network.h"
#include "models/sequence_data.h"
#include "models/unknown_items.h"
#include "nn/sequence_trainer.h"
#include "nn/tensor_io.h"
#include "util/binary_io.h"

namespace animerec {

namespace {
// Version 2 added the plan-to-watch flag (version 1 bodies read watched items only).
constexpr std::uint32_t kFormatVersion = 2;

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
    return {itemCount, c.dim, c.blocks, c.heads, c.training.maxLength, c.dropout};
}
}  // namespace

struct SasrecModel::State {
    State(const SasrecConfig& config, int itemCount)
        : random(config.training.seed), network(shapeOf(config, itemCount), store, random) {}
    nn::ParameterStore store;
    std::mt19937_64 random;  // only used while building (init); kept for member order
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
    auto state = std::make_unique<State>(config_, itemCount);
    const auto sequences = buildTrainingSequences(data.interactions, config_.training.planToWatch);
    auto training = config_.training;
    training.stage = "sasrec";
    state->history = nn::trainSequenceEncoder(state->network, state->store.values(), sequences,
                                              training, progress);
    state_ = std::move(state);
}

void SasrecModel::score(const UserQuery& query, std::span<float> scores) const {
    if (!state_) throw std::runtime_error("sasrec: score() called before fit() or load()");
    const int itemCount = state_->itemCount();
    const auto items = watchedSequence(query.history, itemCount, config_.training.maxLength,
                                       config_.training.planToWatch);
    const auto known = std::min<std::size_t>(scores.size(), static_cast<std::size_t>(itemCount));
    if (items.empty()) {
        std::fill(scores.begin(), scores.end(), 0.0f);
        return;
    }
    if (known == static_cast<std::size_t>(itemCount)) {
        nn::scoreNextItem(state_->network, state_->store.values(), items,
                          config_.training.maxLength, scores.first(known));
    } else {
        std::vector<float> all(static_cast<std::size_t>(itemCount));
        nn::scoreNextItem(state_->network, state_->store.values(), items,
                          config_.training.maxLength, all);
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
    nn::writeTrainingHistory(out, state_->history);
    nn::writeTensors(out, state_->store.values());
    if (!out) throw std::runtime_error("sasrec: write failed");
}

void SasrecModel::load(std::istream& in) {
    const auto version = binary::read<std::uint32_t>(in, "sasrec format version");
    if (version != 1 && version != kFormatVersion)
        throw std::runtime_error("sasrec: unsupported body version " + std::to_string(version));
    SasrecConfig config = config_;
    const auto itemCount = binary::read<std::int32_t>(in, "sasrec item count");
    config.dim = binary::read<std::int32_t>(in, "sasrec dim");
    config.blocks = binary::read<std::int32_t>(in, "sasrec blocks");
    config.heads = binary::read<std::int32_t>(in, "sasrec heads");
    config.training.maxLength = binary::read<std::int32_t>(in, "sasrec max length");
    config.dropout = binary::read<float>(in, "sasrec dropout");
    const auto planToWatch =
        version >= 2 ? binary::read<std::uint8_t>(in, "sasrec plan to watch") : std::uint8_t{0};
    if (planToWatch > 1)
        throw std::runtime_error("sasrec: corrupt model body: plan-to-watch flag " +
                                 std::to_string(planToWatch));
    config.training.planToWatch = planToWatch == 1;
    try {
        validate(config, itemCount);
        if (itemCount > (1 << 24)) throw std::invalid_argument("item count too large");
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("sasrec: corrupt model body: ") + error.what());
    }
    nn::TrainingHistory history = nn::readTrainingHistory(in, "sasrec");
    auto state = std::make_unique<State>(config, itemCount);
    nn::readTensors(in, state->store.values());
    state->history = std::move(history);
    config_ = config;
    state_ = std::move(state);
}

}  // namespace animerec

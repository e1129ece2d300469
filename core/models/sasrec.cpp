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
// the side-feature and time-gap flags (then the side-feature bags when that flag is set), version
// 4 the member count (then a training history and the tensors per member).
constexpr std::uint32_t kFormatVersion = 4;
constexpr int kMaxMembers = 64;

void validate(const SasrecConfig& c, int itemCount) {
    if (c.dim <= 0 || c.dim > 4096 || c.blocks < 0 || c.blocks > 64 || c.heads <= 0 ||
        c.dim % c.heads != 0 || c.training.maxLength <= 0 || c.training.maxLength > 100000 ||
        !(c.dropout >= 0.0f && c.dropout < 1.0f) || c.members < 1 || c.members > kMaxMembers ||
        itemCount <= 0)
        throw std::invalid_argument(
            "sasrec: invalid shape (dim " + std::to_string(c.dim) + ", blocks " +
            std::to_string(c.blocks) + ", heads " + std::to_string(c.heads) + ", maxLength " +
            std::to_string(c.training.maxLength) + ", dropout " + std::to_string(c.dropout) +
            ", members " + std::to_string(c.members) + ", items " + std::to_string(itemCount) +
            ")");
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

// One trained network of the ensemble, initialised from its own seed.
struct SasrecModel::Member {
    Member(const SasrecConfig& config, int itemCount, const nn::FeatureBags& side,
           std::uint64_t seed)
        : seed(seed), random(seed), network(shapeOf(config, itemCount), store, random, side) {}
    std::uint64_t seed;  // of its initialisation and of its training
    nn::ParameterStore store;
    std::mt19937_64 random;  // only used while building (init); kept for member order
    SasrecNetwork network;
    nn::TrainingHistory history;
};

struct SasrecModel::State {
    explicit State(nn::FeatureBags side) : sideFeatures(std::move(side)) {}
    // Member m starts from seed config.training.seed + m, so one member is the single model.
    Member& addMember(const SasrecConfig& config, int itemCount) {
        const auto seed = config.training.seed + static_cast<std::uint64_t>(members.size());
        members.push_back(std::make_unique<Member>(config, itemCount, sideFeatures, seed));
        return *members.back();
    }
    nn::FeatureBags sideFeatures;  // no rows when the model reads none
    std::vector<std::unique_ptr<Member>> members;
    int itemCount() const { return static_cast<int>(members[0]->store.values()[0].rows()); }
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
        config.sideFeatures ? buildItemSideFeatures(data.catalog, itemCount) : nn::FeatureBags{});
    const auto sequences = buildTrainingSequences(data.interactions, config.training.planToWatch);
    const auto gaps = config.timeGaps
                          ? buildTrainingGaps(data.interactions, config.training.planToWatch)
                          : std::vector<std::vector<int>>{};
    for (int m = 0; m < config.members; ++m) {
        Member& member = state->addMember(config, itemCount);
        auto training = config.training;
        training.seed = member.seed;
        training.stage = config.members == 1 ? "sasrec"
                                             : "sasrec member " + std::to_string(m + 1) + "/" +
                                                   std::to_string(config.members);
        member.history = nn::trainSequenceEncoder(member.network, member.store.values(), sequences,
                                                  training, progress, gaps);
    }
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
    // The first member writes straight into the answer when the answer covers the catalogue, so
    // a single network allocates nothing per query; further members add theirs to it.
    std::vector<float> buffer;
    std::span<float> mean = scores.first(known);
    if (known < static_cast<std::size_t>(itemCount)) {
        buffer.resize(static_cast<std::size_t>(itemCount));
        mean = buffer;
    }
    const auto& members = state_->members;
    nn::scoreNextItem(members[0]->network, members[0]->store.values(), items,
                      config_.training.maxLength, mean, gaps);
    if (members.size() > 1) {
        std::vector<float> logits(mean.size());
        for (std::size_t m = 1; m < members.size(); ++m) {
            nn::scoreNextItem(members[m]->network, members[m]->store.values(), items,
                              config_.training.maxLength, logits, gaps);
            for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += logits[i];
        }
        const auto count = static_cast<float>(members.size());
        for (float& sum : mean) sum /= count;
    }
    if (!buffer.empty()) std::copy_n(buffer.begin(), known, scores.begin());
    scoreUnknownItemsLast(scores, known);
}

std::vector<double> SasrecModel::trainingCurve() const {
    if (!state_) return {};
    const auto& loss = state_->members[0]->history.loss;
    return {loss.begin(), loss.end()};
}

const std::vector<float>& SasrecModel::validationCurve() const {
    static const std::vector<float> empty;
    return state_ ? state_->members[0]->history.validationNdcg : empty;
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
    binary::write<std::int32_t>(out, config_.members);
    if (config_.sideFeatures) writeItemSideFeatures(out, state_->sideFeatures);
    for (const auto& member : state_->members) {
        nn::writeTrainingHistory(out, member->history);
        nn::writeTensors(out, member->store.values());
    }
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
    config.members = version >= 4 ? binary::read<std::int32_t>(in, "sasrec member count") : 1;
    try {
        validate(config, itemCount);
        if (itemCount > (1 << 24)) throw std::invalid_argument("item count too large");
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(std::string("sasrec: corrupt model body: ") + error.what());
    }
    nn::FeatureBags side =
        config.sideFeatures ? readItemSideFeatures(in, itemCount, "sasrec") : nn::FeatureBags{};
    // Each member's network is built only when its data comes, so a corrupt count fails at the
    // first missing member instead of allocating every network first.
    auto state = std::make_unique<State>(std::move(side));
    for (int m = 0; m < config.members; ++m) {
        Member& member = state->addMember(config, itemCount);
        member.history = nn::readTrainingHistory(in, "sasrec");
        nn::readTensors(in, member.store.values());
    }
    config_ = config;
    state_ = std::move(state);
}

}  // namespace animerec

#include "models/model_factory.h"

#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>

#include "models/als.h"
#include "models/content_based.h"
#include "models/ease.h"
#include "models/ease_rp3_blend.h"
#include "models/explicit_mf.h"
#include "models/gru4rec.h"
#include "models/popularity.h"
#include "models/rp3beta.h"
#include "models/sasrec.h"

namespace animerec {

namespace {

// Moves named values from ModelParameters into a config struct, range-checked; finish() then
// rejects any name no bind() asked for, so a typo fails loudly instead of training with defaults.
class ParameterBinder {
public:
    ParameterBinder(const std::string& family, const ModelParameters& parameters)
        : family_(family), parameters_(parameters) {}

    template <typename T>
    void bind(const std::string& name, T& field, double min, double max) {
        known_.insert(name);
        const auto it = parameters_.find(name);
        if (it == parameters_.end()) return;
        const double value = it->second;
        if (!(value >= min && value <= max))
            throw std::invalid_argument(family_ + ": parameter '" + name +
                                        "' = " + std::to_string(value) + " is outside [" +
                                        std::to_string(min) + ", " + std::to_string(max) + "]");
        if constexpr (std::is_same_v<T, bool>) {
            field = value != 0.0;
        } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
            if (value != std::floor(value))
                throw std::invalid_argument(family_ + ": parameter '" + name +
                                            "' must be an integer");
            field = static_cast<T>(static_cast<long long>(value));
        } else {
            field = static_cast<T>(value);
        }
    }

    void finish() const {
        for (const auto& [name, value] : parameters_) {
            if (known_.count(name)) continue;
            std::string names;
            for (const auto& k : known_) names += (names.empty() ? "" : ", ") + k;
            throw std::invalid_argument(family_ + ": unknown parameter '" + name +
                                        "' (known: " + (names.empty() ? "none" : names) + ")");
        }
    }

private:
    std::string family_;
    const ModelParameters& parameters_;
    std::set<std::string> known_;
};

using Maker = std::function<std::unique_ptr<Recommender>(ParameterBinder&)>;

struct Family {
    std::string name;
    ModelKind kind;
    Maker make;
};

std::unique_ptr<Recommender> makePopularity(ParameterBinder& p) {
    PopularityConfig c;
    p.bind("mode", c.mode, 0, 2);  // 0 interactions, 1 members, 2 weighted rating
    p.bind("prior_votes", c.priorVotes, 0, 1e9);
    return std::make_unique<PopularityModel>(c);
}

// Feature weights of one content space; `prefix` is "" for the profile space, "similar_" for
// the item-to-item one.
void bindFeatures(ParameterBinder& p, const std::string& prefix, ItemFeatureConfig& f) {
    p.bind(prefix + "genre_weight", f.genreWeight, 0, 100);
    p.bind(prefix + "type_weight", f.typeWeight, 0, 100);
    p.bind(prefix + "episodes_weight", f.episodesWeight, 0, 100);
    p.bind(prefix + "episode_bins", f.episodeBins, 1, 62);
    p.bind(prefix + "rating_weight", f.ratingWeight, 0, 100);
    p.bind(prefix + "members_weight", f.membersWeight, 0, 100);
    p.bind(prefix + "title_weight", f.titleWeight, 0, 100);
    p.bind(prefix + "title_max_share", f.titleMaxShare, 1e-6, 1);
}

// `content` and its popularity hybrid `content_pop` take the same parameters from other defaults.
std::unique_ptr<Recommender> makeContentFamily(ParameterBinder& p, ContentConfig c,
                                               std::string family) {
    bindFeatures(p, "", c.profile);
    bindFeatures(p, "similar_", c.similarity);
    p.bind("rating_centre", c.ratingCentre, 0, 10);
    p.bind("centre_on_user_mean", c.centreOnUserMean, 0, 1);
    p.bind("rating_scale", c.ratingScale, 1e-3, 100);
    p.bind("unrated_weight", c.unratedWeight, -10, 10);
    p.bind("dropped_weight", c.droppedWeight, -10, 10);
    return std::make_unique<ContentBasedModel>(c, std::move(family));
}

std::unique_ptr<Recommender> makeContent(ParameterBinder& p) {
    return makeContentFamily(p, ContentConfig{}, "content");
}

std::unique_ptr<Recommender> makeContentPop(ParameterBinder& p) {
    return makeContentFamily(p, contentWithPopularityPrior(), "content_pop");
}

void bindSequenceTraining(ParameterBinder& p, nn::SequenceTrainingConfig& t) {
    p.bind("max_length", t.maxLength, 1, 10000);
    p.bind("epochs", t.epochs, 0, 100000);
    p.bind("batch_size", t.batchSize, 1, 65536);
    p.bind("learning_rate", t.learningRate, 1e-7, 1);
    p.bind("patience", t.patience, 1, 10000);
    p.bind("validate_every", t.validateEvery, 1, 10000);
    p.bind("validation_users", t.validationUsers, 0, 1e9);
    p.bind("threads", t.threads, 1, 256);
    p.bind("seed", t.seed, 0, 9.007199254740992e15);
}

std::unique_ptr<Recommender> makeSasrec(ParameterBinder& p) {
    SasrecConfig c;
    p.bind("dim", c.dim, 1, 4096);
    p.bind("blocks", c.blocks, 0, 64);
    p.bind("heads", c.heads, 1, 64);
    p.bind("dropout", c.dropout, 0, 0.95);
    bindSequenceTraining(p, c.training);
    return std::make_unique<SasrecModel>(c);
}

std::unique_ptr<Recommender> makeGru(ParameterBinder& p) {
    Gru4RecConfig c;
    p.bind("dim", c.dim, 1, 4096);
    p.bind("dropout", c.dropout, 0, 0.95);
    p.bind("tied_output", c.tiedOutput, 0, 1);
    p.bind("projection", c.projection, 0, 1);
    bindSequenceTraining(p, c.training);
    return std::make_unique<Gru4RecModel>(c);
}

std::unique_ptr<Recommender> makeAls(ParameterBinder& p) {
    AlsConfig c;
    p.bind("factors", c.factors, 1, 1024);
    p.bind("regularization", c.regularization, 0, 1e6);
    p.bind("alpha", c.alpha, 0, 1e6);
    p.bind("iterations", c.iterations, 1, 1000);
    p.bind("solver", c.solver, 0, 1);  // 0 conjugate gradient, 1 Cholesky
    p.bind("cg_steps", c.cgSteps, 1, 100);
    p.bind("threads", c.threads, 0, 256);
    p.bind("seed", c.seed, 0, 9.007199254740992e15);
    p.bind("completed_weight", c.confidence.completed, 0, 100);
    p.bind("watching_weight", c.confidence.watching, 0, 100);
    p.bind("on_hold_weight", c.confidence.onHold, 0, 100);
    p.bind("dropped_weight", c.confidence.dropped, 0, 100);
    p.bind("plan_to_watch_weight", c.confidence.planToWatch, 0, 100);
    p.bind("unknown_status_weight", c.confidence.unknownStatus, 0, 100);
    p.bind("rating_influence", c.confidence.ratingInfluence, 0, 10);
    return std::make_unique<Als>(c);
}

std::unique_ptr<Recommender> makeMf(ParameterBinder& p) {
    ExplicitMfConfig c;
    p.bind("factors", c.factors, 1, 1024);
    p.bind("epochs", c.epochs, 1, 10000);
    p.bind("learning_rate", c.learningRate, 1e-7, 1);
    p.bind("regularization", c.regularization, 0, 100);
    p.bind("init_std", c.initStd, 0, 10);
    p.bind("seed", c.seed, 0, 9.007199254740992e15);
    return std::make_unique<ExplicitMf>(c);
}

std::unique_ptr<Recommender> makeEase(ParameterBinder& p) {
    EaseConfig c;
    p.bind("lambda", c.lambda, 1e-6, 1e9);
    p.bind("max_items", c.maxItems, 1, 30000);
    p.bind("dropout", c.dropout, 0, 0.99);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<Ease>(c);
}

// Full-rank EDLAE: EASE's item-item model without the zero-diagonal constraint, kept from the
// identity by emphasised dropout alone (so dropout must be > 0 to mean anything). Defaults chosen
// on the validation split carved from P1's train part (`bench_collaborative tuned:edlae`).
std::unique_ptr<Recommender> makeEdlae(ParameterBinder& p) {
    EaseConfig c;
    c.fullRank = true;
    c.lambda = 200.0f;
    c.dropout = 0.4f;
    p.bind("lambda", c.lambda, 1e-6, 1e9);
    p.bind("max_items", c.maxItems, 1, 30000);
    p.bind("dropout", c.dropout, 0, 0.99);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<Ease>(c);
}

void bindRp3(ParameterBinder& p, Rp3BetaConfig& c) {
    p.bind("alpha", c.alpha, 1e-3, 10);
    p.bind("beta", c.beta, 0, 10);
    p.bind("neighbours", c.neighbours, 0, 1e6);
}

std::unique_ptr<Recommender> makeRp3Beta(ParameterBinder& p) {
    Rp3BetaConfig c;
    bindRp3(p, c);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<Rp3Beta>(c);
}

// EASE's and RP3beta's parameters under their own names (they do not overlap).
std::unique_ptr<Recommender> makeEaseRp3(ParameterBinder& p) {
    EaseRp3BlendConfig c;
    p.bind("lambda", c.ease.lambda, 1e-6, 1e9);
    p.bind("max_items", c.ease.maxItems, 1, 30000);
    p.bind("dropout", c.ease.dropout, 0, 0.99);
    bindRp3(p, c.rp3);
    p.bind("ease_weight", c.easeWeight, 0, 1);
    int threads = 0;
    p.bind("threads", threads, 0, 256);
    c.ease.threads = c.rp3.threads = threads;
    return std::make_unique<EaseRp3Blend>(c);
}

// One entry per model family, in presentation order. A family adds its line here and a make
// function above; nothing else in the factory changes.
const std::vector<Family>& families() {
    static const std::vector<Family> table{
        {"popularity", ModelKind::Popularity, makePopularity},
        {"content", ModelKind::Content, makeContent},
        {"content_pop", ModelKind::Content, makeContentPop},
        {"als", ModelKind::Collaborative, makeAls},
        {"mf", ModelKind::Collaborative, makeMf},
        {"ease", ModelKind::Collaborative, makeEase},
        {"edlae", ModelKind::Collaborative, makeEdlae},
        {"rp3beta", ModelKind::Collaborative, makeRp3Beta},
        {"ease_rp3", ModelKind::Collaborative, makeEaseRp3},
        {"sasrec", ModelKind::Session, makeSasrec},
        {"gru", ModelKind::Session, makeGru},
    };
    return table;
}

}  // namespace

std::vector<std::string> knownModelNames() {
    std::vector<std::string> names;
    for (const auto& family : families()) names.push_back(family.name);
    return names;
}

std::vector<std::string> modelNamesOfKind(ModelKind kind) {
    std::vector<std::string> names;
    for (const auto& family : families())
        if (family.kind == kind) names.push_back(family.name);
    return names;
}

ModelKind kindOfModel(const std::string& name) {
    for (const auto& family : families())
        if (family.name == name) return family.kind;
    createRecommender(name);  // throws the message naming the known families
    throw std::invalid_argument("unknown model '" + name + "'");
}

std::unique_ptr<Recommender> createRecommender(const std::string& name,
                                               const ModelParameters& parameters) {
    for (const auto& family : families()) {
        if (family.name != name) continue;
        ParameterBinder binder(name, parameters);
        auto model = family.make(binder);
        binder.finish();
        return model;
    }
    std::string names;
    for (const auto& known : knownModelNames()) names += (names.empty() ? "" : ", ") + known;
    throw std::invalid_argument("unknown model '" + name + "' (known: " + names + ")");
}

}  // namespace animerec

#include "models/model_families.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "models/als.h"
#include "models/content_based.h"
#include "models/ease.h"
#include "models/ease_pairs.h"
#include "models/ease_rp3_blend.h"
#include "models/explicit_mf.h"
#include "models/gru4rec.h"
#include "models/infinite_ae.h"
#include "models/mult_vae.h"
#include "models/popularity.h"
#include "models/rp3beta.h"
#include "models/sasrec.h"

// A description Studio shows translated: scripts/update-translations.sh has lupdate read this
// as QT_TRANSLATE_NOOP, so the Russian text lives in translations/animerec_ru.ts under the
// context "ModelFamily"; core itself has no Qt and keeps the English text.
#define TRANSLATABLE_TEXT(context, text) text

namespace animerec {

namespace {

// Make functions: each family's config, its parameters bound under their public names.

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
    p.bind("every_transition", t.everyTransition, 0, 1);
    p.bind("plan_to_watch", t.planToWatch, 0, 1);
    p.bind("epochs", t.epochs, 0, 100000);
    p.bind("batch_size", t.batchSize, 1, 65536);
    p.bind("learning_rate", t.learningRate, 1e-7, 1);
    p.bind("patience", t.patience, 1, 10000);
    p.bind("validate_every", t.validateEvery, 1, 10000);
    p.bind("validation_users", t.validationUsers, 0, 1e9);
    p.bind("refit", t.refit, 0, 1);
    p.bind("average_epochs", t.averageEpochs, 0, nn::kMaxAverageEpochs);
    p.bind("loss", t.loss, 0, 2);  // 0 full softmax, 1 sampled softmax, 2 gBCE
    p.bind("negatives", t.negatives, 1, 1e6);
    p.bind("negative_popularity", t.negativePopularity, 0, 4);
    p.bind("gbce_t", t.gbceCalibration, 0, 1);
    p.bind("threads", t.threads, 1, 256);
    p.bind("seed", t.seed, 0, 9.007199254740992e15);
}

std::unique_ptr<Recommender> makeSasrec(ParameterBinder& p) {
    SasrecConfig c;
    p.bind("dim", c.dim, 1, 4096);
    p.bind("blocks", c.blocks, 0, 64);
    p.bind("heads", c.heads, 1, 64);
    p.bind("dropout", c.dropout, 0, 0.95);
    p.bind("side_features", c.sideFeatures, 0, 1);
    p.bind("time_gaps", c.timeGaps, 0, 1);
    p.bind("members", c.members, 1, 64);
    bindSequenceTraining(p, c.training);
    return std::make_unique<SasrecModel>(c);
}

std::unique_ptr<Recommender> makeGru(ParameterBinder& p) {
    Gru4RecConfig c;
    p.bind("dim", c.dim, 1, 4096);
    p.bind("dropout", c.dropout, 0, 0.95);
    p.bind("tied_output", c.tiedOutput, 0, 1);
    p.bind("projection", c.projection, 0, 1);
    p.bind("side_features", c.sideFeatures, 0, 1);
    p.bind("time_gaps", c.timeGaps, 0, 1);
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

// EASE's model parameters, shared by ease, edlae and the ease_rp3 blend.
void bindEase(ParameterBinder& p, EaseConfig& c) {
    p.bind("lambda", c.lambda, 1e-6, 1e9);
    p.bind("max_items", c.maxItems, 1, 30000);
    p.bind("dropout", c.dropout, 0, 0.99);
}

// The user weighting of ease, edlae and ease_rp3 (ease_pairs fits its own, unweighted Gram).
void bindUserWeight(ParameterBinder& p, EaseConfig& c) {
    p.bind("user_weight", c.userWeightExponent, 0, 4);
}

std::unique_ptr<Recommender> makeEase(ParameterBinder& p) {
    EaseConfig c;
    bindEase(p, c);
    bindUserWeight(p, c);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<Ease>(c);
}

// Full-rank EDLAE: EASE's item-item model without the zero-diagonal constraint, kept from the
// identity by emphasised dropout alone (so dropout must be > 0 to mean anything), users weighted
// n_u^-0.75. Defaults chosen on the validation split carved from P1's train part
// (`bench_collaborative tuned:edlae`, 36 settings; bench/README.md).
std::unique_ptr<Recommender> makeEdlae(ParameterBinder& p) {
    EaseConfig c;
    c.fullRank = true;
    c.lambda = 200.0f;
    c.dropout = 0.25f;
    c.userWeightExponent = 0.75f;
    bindEase(p, c);
    bindUserWeight(p, c);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<Ease>(c);
}

// Higher-order EASE: B is EDLAE with its own defaults (the same parameter names as `edlae`),
// plus a row of weights per frequent item pair.
std::unique_ptr<Recommender> makeEasePairs(ParameterBinder& p) {
    EasePairsConfig c;
    bindEase(p, c.base);
    p.bind("pairs", c.pairs, 0, 100000);
    p.bind("pair_lambda", c.pairLambda, 1e-6, 1e9);
    p.bind("pair_dropout", c.pairDropout, 0, 0.99);
    p.bind("pair_items", c.pairItems, 2, 30000);
    p.bind("full_rank", c.base.fullRank, 0, 1);  // 0: B is EASE (zero diagonal), as in the paper
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<EasePairs>(c);
}

std::unique_ptr<Recommender> makeInfiniteAe(ParameterBinder& p) {
    InfiniteAeConfig c;
    p.bind("lambda", c.lambda, 1e-6, 1e6);
    p.bind("max_items", c.maxItems, 1, 1 << 24);
    p.bind("max_users", c.maxUsers, 1, 1 << 24);
    p.bind("seed", c.seed, 0, 9.007199254740992e15);
    p.bind("threads", c.threads, 0, 256);
    return std::make_unique<InfiniteAe>(c);
}

std::unique_ptr<Recommender> makeMultVae(ParameterBinder& p) {
    MultVaeConfig c;
    p.bind("hidden", c.hidden, 1, 8192);
    p.bind("latent", c.latent, 1, 8192);
    p.bind("dropout", c.dropout, 0, 0.95);
    p.bind("beta_cap", c.betaCap, 0, 100);
    p.bind("anneal_epochs", c.annealEpochs, 0, 100000);
    p.bind("max_items", c.maxItems, 1, 1 << 24);
    p.bind("epochs", c.epochs, 1, 100000);
    p.bind("batch_size", c.batchSize, 1, 1 << 20);
    p.bind("learning_rate", c.learningRate, 1e-7, 1);
    p.bind("validation_users", c.validationUsers, 0, 1e9);
    p.bind("patience", c.patience, 1, 10000);
    p.bind("refit", c.refit, 0, 1);
    p.bind("threads", c.threads, 1, 256);
    p.bind("seed", c.seed, 0, 9.007199254740992e15);
    return std::make_unique<MultVae>(c);
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
    bindEase(p, c.ease);
    bindUserWeight(p, c.ease);
    bindRp3(p, c.rp3);
    p.bind("ease_weight", c.easeWeight, 0, 1);
    int threads = 0;
    p.bind("threads", threads, 0, 256);
    c.ease.threads = c.rp3.threads = threads;
    return std::make_unique<EaseRp3Blend>(c);
}

// Families whose single trial trains for minutes are left to explicit parameters.
const char* const kSlowTrials = "one trial trains for minutes";

}  // namespace

// One row per family, in presentation order (the CLI, reports and Studio list them so).
// Default searches (trials per family): popularity 3, content 9, content_pop 9, als 18, mf 8,
// ease 9, edlae 12, ease_pairs 3, rp3beta 9, ease_rp3 6.
const std::vector<ModelFamily>& modelFamilies() {
    static const std::vector<ModelFamily> table{
        {.name = "popularity",
         .kind = ModelKind::Popularity,
         .description = TRANSLATABLE_TEXT("ModelFamily",
                                          "the most popular titles, the same list for everyone"),
         .make = makePopularity,
         .search = {.grid = {{"mode", {0, 1, 2}}}}},
        {.name = "content",
         .kind = ModelKind::Content,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "titles like those the user rated well (genres, type, episodes)"),
         .make = makeContent,
         // Content features only: a members or rating direction makes it content_pop.
         .search = {.grid = {{"genre_weight", {1, 2, 4}}, {"episodes_weight", {0.25, 0.5, 1}}}}},
        {.name = "content_pop",
         .kind = ModelKind::Content,
         .description =
             TRANSLATABLE_TEXT("ModelFamily", "content features plus a members and score prior"),
         .make = makeContentPop,
         .search = {.grid = {{"genre_weight", {0.5, 1, 2}}, {"members_weight", {1.5, 3, 6}}}}},
        // A strong ridge and a low alpha (against the paper's alpha = 40) matter more than the
        // factor count on this data; the grid spans both sides of what P1's validation split
        // chose (bench/README.md, `bench_collaborative tuned:als`).
        {.name = "als",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "implicit ALS matrix factorisation of watch statuses and ratings"),
         .make = makeAls,
         .search = {.fixed = {{"iterations", 15}},
                    .grid = {{"factors", {128, 256}},
                             {"regularization", {30, 60, 120}},
                             {"alpha", {2, 4, 8}}}}},
        // A rating model: chosen by held-out RMSE, not by ranking accuracy.
        {.name = "mf",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "matrix factorisation of explicit ratings (SGD), chosen by RMSE"),
         .make = makeMf,
         .search = {.fixed = {{"epochs", 30}},
                    .grid = {{"factors", {50, 100}},
                             {"regularization", {0.05, 0.1}},
                             {"learning_rate", {0.005, 0.01}}},
                    .metric = "rmse",
                    .minimize = true}},
        // On a validation split of P1's train part, emphasised denoising (dropout 0.25) with a
        // lighter ridge (100) came first of a 4 x 5 grid (bench_collaborative tuned).
        {.name = "ease",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT("ModelFamily",
                                          "EASE linear item-to-item model, solved in closed form"),
         .make = makeEase,
         .search = {.grid = {{"lambda", {100, 200, 400}}, {"dropout", {0, 0.1, 0.25}}}}},
        {.name = "edlae",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "EDLAE: EASE without the zero diagonal, kept off it by dropout"),
         .make = makeEdlae,
         // Weighting users by a power of their list length moved P1's validation figure the
         // most of anything tried on EDLAE, so it is searched; the 36 settings that chose the
         // defaults are in bench/README.md (*User weights*), this grid spans their best.
         .search = {.grid = {{"lambda", {100, 200, 400}},
                             {"dropout", {0.25, 0.4}},
                             {"user_weight", {0, 0.75}}}}},
        // On P1's validation split every pair weighting tried fell below EDLAE alone, the more
        // the lighter the pairs' ridge (bench/README.md); the grid reaches ridges where the pairs
        // fade to EDLAE. About a minute per trial (one inverse of items + pairs each).
        {.name = "ease_pairs",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "higher-order EASE: EDLAE plus weights of frequent title pairs"),
         .make = makeEasePairs,
         .search = {.fixed = {{"pairs", 1000}}, .grid = {{"pair_lambda", {1000, 3000, 10000}}}}},
        {.name = "inf_ae",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "infinite-width autoencoder: kernel regression between users"),
         .make = makeInfiniteAe,
         .search = {.grid = {{"lambda", {2, 3, 5}}}}},
        {.name = "mult_vae",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "Mult-VAE: a variational autoencoder over each user's titles"),
         .make = makeMultVae,
         .search = {.untuned = kSlowTrials}},
        // About a second per trial.
        {.name = "rp3beta",
         .kind = ModelKind::Collaborative,
         .description =
             TRANSLATABLE_TEXT("ModelFamily", "RP3beta random walk over the user-item graph"),
         .make = makeRp3Beta,
         .search = {.grid = {{"alpha", {0.5, 0.8, 1.0}}, {"beta", {0.5, 0.7, 0.9}}}}},
        // The parts keep their defaults (chosen on a validation split of P1's train part); the
        // share of EASE decides most of the blend's gain, the ridge the rest. One EASE fit a trial.
        {.name = "ease_rp3",
         .kind = ModelKind::Collaborative,
         .description = TRANSLATABLE_TEXT("ModelFamily", "blend of EASE and RP3beta scores"),
         .make = makeEaseRp3,
         .search = {.grid = {{"lambda", {100, 200}}, {"ease_weight", {0.7, 0.8, 0.9}}}}},
        // Session options, off by default (none beat the defaults on P3's validation split over
        // five seeds, bench/README.md): side_features (genre/type rows averaged into each input
        // item), time_gaps (log-bucketed time since the previous event; only when Event::order
        // is a time), loss 1 sampled softmax / 2 gBCE with `negatives` drawn by
        // (count + 1)^negative_popularity and gBCE's calibration gbce_t.
        {.name = "sasrec",
         .kind = ModelKind::Session,
         .description = TRANSLATABLE_TEXT("ModelFamily",
                                          "SASRec self-attention over the recent watching order"),
         .make = makeSasrec,
         .search = {.untuned = kSlowTrials}},
        {.name = "gru",
         .kind = ModelKind::Session,
         .description = TRANSLATABLE_TEXT(
             "ModelFamily", "GRU next-item model over the watching order, trained like SASRec"),
         .make = makeGru,
         .search = {.untuned = kSlowTrials}},
    };
    return table;
}

const ModelFamily& modelFamily(const std::string& name) {
    for (const ModelFamily& family : modelFamilies())
        if (family.name == name) return family;
    std::string names;
    for (const ModelFamily& family : modelFamilies())
        names += (names.empty() ? "" : ", ") + family.name;
    throw std::invalid_argument("unknown model '" + name + "' (known: " + names + ")");
}

}  // namespace animerec

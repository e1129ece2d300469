#pragma once

#include <QString>
#include <memory>
#include <span>
#include <vector>

#include "eval/split.h"
#include "experiments/experiment.h"
#include "storage/event_records.h"
#include "util/progress.h"

namespace animerec {
class Catalog;
class Recommender;
}  // namespace animerec

namespace animerec::experiments {

// One variant of a replay: a model trained on the split's train part (or any model to compare).
struct SimulationArm {
    QString name;
    service::ModelRole role = service::ModelRole::Collaborative;
    std::shared_ptr<const Recommender> model;
    QString version;
};

struct SimulationOptions {
    int k = 10;          // list length served to each simulated user
    bool paired = true;  // every user sees every arm; false = one arm by the experiment's hash
    QString salt = QStringLiteral("replay");
    qint64 startMs = 1'700'000'000'000;  // simulated clock: users arrive one per stepMs from here
    qint64 stepMs = 60'000;
    float completeRating = 7.0f;  // a held-out hit rated at least this counts as completed
};

// The log of a replayed experiment, in the same records the online service writes, so it goes
// through the same buildReport().
struct Simulation {
    ExperimentDefinition experiment;  // id 0, status stopped, variants = arms with equal shares
    std::vector<storage::ExposureRecord> exposures;
    std::vector<storage::FeedbackRecord> feedback;
};

// Replays held-out interactions as behaviour: each test user of `split` is served a top-k list
// (items of the train history excluded) by each arm (or by its assigned arm); every listed item
// the user holds out becomes a click and a watch at its position, a complete when its held-out
// rating is >= completeRating, and a rate when it has a rating. Throws std::invalid_argument for
// fewer than two arms, a null model or k < 1.
Simulation simulateReplay(const Catalog& catalog, const Split& split,
                          std::span<const SimulationArm> arms,
                          const SimulationOptions& options = {},
                          const ProgressCallback& progress = {});

}  // namespace animerec::experiments

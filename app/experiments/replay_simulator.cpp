#include "experiments/replay_simulator.h"

#include <algorithm>
#include <stdexcept>

#include "data/catalog.h"
#include "models/recommender.h"

namespace animerec::experiments {

namespace {

constexpr int kUsersPerReport = 256;

}  // namespace

Simulation simulateReplay(const Catalog& catalog, const Split& split,
                          std::span<const SimulationArm> arms, const SimulationOptions& options,
                          const ProgressCallback& progress) {
    if (arms.size() < 2) throw std::invalid_argument("simulateReplay: need at least two arms");
    if (options.k < 1) throw std::invalid_argument("simulateReplay: k must be >= 1");
    for (const SimulationArm& arm : arms)
        if (!arm.model)
            throw std::invalid_argument("simulateReplay: arm " + arm.name.toStdString() +
                                        " has no model");

    Simulation simulation;
    ExperimentDefinition& experiment = simulation.experiment;
    experiment.name = QStringLiteral("replay");
    experiment.salt = options.salt;
    experiment.status = ExperimentStatus::Stopped;
    experiment.routes = experimentRoutes();
    for (const SimulationArm& arm : arms)
        experiment.variants.push_back({arm.name, arm.role,
                                       QString::fromStdString(arm.model->name()), arm.version,
                                       1.0 / static_cast<double>(arms.size())});
    experiment.startedAtMs = options.startMs;

    const Interactions& train = split.train;
    std::vector<float> scores(static_cast<std::size_t>(catalog.size()));
    std::vector<int> exclude;
    qint64 nextExposure = 1;
    qint64 clock = options.startMs;
    Progress report{"replay", 0, split.testUserCount(), {}};
    for (int user = 0; user < train.userCount(); ++user) {
        if (static_cast<std::size_t>(user) >= split.test.size()) break;
        const HeldOut& heldOut = split.test[static_cast<std::size_t>(user)];
        if (heldOut.items.empty()) continue;
        const std::span<const Event> history = train.historyOf(user);
        exclude.clear();
        for (const Event& event : history) exclude.push_back(event.item);
        const qint64 userId = train.userIdAt(user);
        clock += options.stepMs;

        std::vector<std::size_t> served;
        if (options.paired) {
            for (std::size_t a = 0; a < arms.size(); ++a) served.push_back(a);
        } else {
            served.push_back(static_cast<std::size_t>(assignVariant(experiment, userUnit(userId))));
        }
        for (const std::size_t a : served) {
            const SimulationArm& arm = arms[a];
            std::fill(scores.begin(), scores.end(), 0.0f);
            arm.model->score(UserQuery{user, history}, scores);
            const std::vector<ScoredItem> top = topK(scores, options.k, exclude);
            storage::ExposureRecord exposure;
            exposure.exposureId = nextExposure++;
            exposure.variant = arm.name;
            exposure.userId = userId;
            exposure.route = QStringLiteral("replay");
            exposure.model = QString::fromStdString(arm.model->name());
            exposure.modelVersion = arm.version;
            exposure.servedAtMs = clock;
            for (std::size_t position = 0; position < top.size(); ++position) {
                const int item = top[position].item;
                exposure.items.push_back(catalog.idAt(item));
                const auto hit = std::lower_bound(heldOut.items.begin(), heldOut.items.end(), item);
                if (hit == heldOut.items.end() || *hit != item) continue;
                const float rating =
                    heldOut.ratings[static_cast<std::size_t>(hit - heldOut.items.begin())];
                storage::FeedbackRecord event;
                event.userId = userId;
                event.animeId = catalog.idAt(item);
                event.createdAtMs = clock + 1;
                event.exposureId = exposure.exposureId;
                event.variant = arm.name;
                event.position = static_cast<int>(position) + 1;
                for (const storage::FeedbackEvent kind :
                     {storage::FeedbackEvent::Click, storage::FeedbackEvent::Watch}) {
                    event.event = kind;
                    simulation.feedback.push_back(event);
                }
                if (rating >= options.completeRating) {
                    event.event = storage::FeedbackEvent::Complete;
                    simulation.feedback.push_back(event);
                }
                if (rating > 0.0f) {
                    event.event = storage::FeedbackEvent::Rate;
                    event.value = rating;
                    simulation.feedback.push_back(event);
                }
            }
            simulation.exposures.push_back(std::move(exposure));
        }
        if (++report.done % kUsersPerReport == 0) reportProgress(progress, report);
    }
    reportProgress(progress, report);
    experiment.stoppedAtMs = clock;
    return simulation;
}

}  // namespace animerec::experiments

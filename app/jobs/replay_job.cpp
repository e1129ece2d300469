#include "jobs/replay_job.h"

#include <stdexcept>
#include <vector>

#include "eval/split.h"
#include "experiments/experiment.h"
#include "experiments/replay_simulator.h"
#include "jobs/job_database.h"
#include "jobs/phase_progress.h"
#include "models/model_factory.h"
#include "service/model_registry.h"

namespace animerec::jobs {

ReplayResult runReplay(const ReplaySettings& settings, const ProgressCallback& progress) {
    if (settings.variants.size() < 2)
        throw std::invalid_argument("a replay needs at least two variants");
    const bool fromFiles = !settings.modelsDirectory.isEmpty();
    for (const QString& name : settings.variants) {
        if (fromFiles && !experiments::parseRole(name))
            throw std::invalid_argument(
                ("with a models directory, variants are roles (popularity, content, "
                 "collaborative, session), not " +
                 name)
                    .toStdString());
        if (!fromFiles) createRecommender(name.toStdString());  // an unknown family fails here
    }
    const int variantCount = static_cast<int>(settings.variants.size());
    const int phases = 2 + (fromFiles ? 0 : variantCount);
    int phase = 0;

    ReplayResult result;
    const auto database = openJobDatabase(settings.databasePath, QStringLiteral("replay"));
    const Dataset all = loadJobDataset(*database, phaseProgress(progress, "load", phase++, phases));
    Split split = holdoutSplit(
        all.interactions,
        HoldoutOptions{settings.holdoutShare, settings.minInteractions, false, settings.seed});
    if (settings.maxUsers > 0) {
        int kept = 0;
        for (HeldOut& heldOut : split.test)
            if (!heldOut.items.empty() && ++kept > settings.maxUsers) heldOut = {};
    }
    const Dataset train{all.catalog, split.train};

    std::vector<experiments::SimulationArm> arms;
    service::ModelRegistry registry;
    if (fromFiles) {
        result.notes << QStringLiteral(
                            "models from %1 were trained on all interactions, held-out ones "
                            "included; their numbers are optimistic (without a models directory "
                            "the variants are fitted on the train part)")
                            .arg(settings.modelsDirectory);
        const service::ReloadReport loaded = registry.loadDirectory(settings.modelsDirectory);
        result.notes << loaded.failed;
    }
    for (const QString& name : settings.variants) {
        experiments::SimulationArm arm;
        arm.name = name;
        if (fromFiles) {
            const auto role = *experiments::parseRole(name);
            const auto served = registry.get(role);
            if (!served)
                throw std::invalid_argument(
                    ("no " + name + " model in " + settings.modelsDirectory).toStdString());
            arm.role = role;
            arm.model = served->model;
            arm.version = served->version;
        } else {
            std::shared_ptr<Recommender> model = createRecommender(name.toStdString());
            model->fit(train,
                       phaseProgress(progress, "fit " + name.toStdString(), phase++, phases));
            arm.role = *service::roleOfFamily(name);  // a family createRecommender knows
            arm.model = std::move(model);
            arm.version = QStringLiteral("replay-fit");
        }
        arms.push_back(std::move(arm));
    }
    experiments::SimulationOptions simulation;
    simulation.k = settings.report.k;
    simulation.paired = settings.paired;
    const experiments::Simulation replayed = experiments::simulateReplay(
        all.catalog, split, arms, simulation, phaseProgress(progress, "replay", phase++, phases));
    experiments::ReportOptions report = settings.report;
    report.catalogueSize = all.catalog.size();
    result.report = experiments::buildReport(replayed.experiment, replayed.exposures,
                                             replayed.feedback, report);
    return result;
}

}  // namespace animerec::jobs

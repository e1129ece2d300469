#include "jobs/evaluation_job.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "data/csv_dataset.h"
#include "eval/model_selection.h"
#include "eval/search_spaces.h"
#include "eval/split.h"
#include "jobs/job_database.h"
#include "jobs/phase_progress.h"
#include "storage/evaluation_store.h"

namespace animerec::jobs {

namespace {

// Log-spaced ranks 1..count (each once), so a chart of 10^4 items needs ~200 points.
std::vector<int> sampledRanks(int count) {
    std::vector<int> ranks;
    double rank = 1.0;
    while (rank <= count) {
        const int r = static_cast<int>(std::lround(rank));
        if (ranks.empty() || r > ranks.back()) ranks.push_back(r);
        rank *= 1.05;
    }
    if (count > 0 && (ranks.empty() || ranks.back() != count)) ranks.push_back(count);
    return ranks;
}

// Cumulative share of `counts` (indexed by item) over items ordered by `order`, at `ranks`.
std::vector<double> cumulativeShare(const std::vector<int>& order,
                                    const std::vector<std::int64_t>& counts,
                                    const std::vector<int>& ranks) {
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    std::vector<double> shares;
    double running = 0.0;
    std::size_t next = 0;
    for (std::size_t position = 0; position < order.size() && next < ranks.size(); ++position) {
        running += static_cast<double>(counts[static_cast<std::size_t>(order[position])]);
        if (static_cast<int>(position) + 1 == ranks[next]) {
            shares.push_back(total > 0 ? running / total : 0.0);
            ++next;
        }
    }
    return shares;
}

// How often each item lands in the top-k lists of a sample of the evaluated users.
std::vector<std::int64_t> recommendationCounts(const Recommender& model, const Interactions& train,
                                               const std::vector<HeldOut>& test, int k,
                                               int maxUsers, const ProgressCallback& progress) {
    std::vector<int> users;
    for (int user = 0; user < static_cast<int>(test.size()); ++user)
        if (!test[static_cast<std::size_t>(user)].items.empty()) users.push_back(user);
    const std::size_t stride = std::max<std::size_t>(1, users.size() / std::max(1, maxUsers));
    const int itemCount = train.itemCount();
    std::vector<std::int64_t> counts(static_cast<std::size_t>(itemCount), 0);
    std::vector<float> scores(static_cast<std::size_t>(itemCount));
    std::vector<int> exclude;
    const auto total = static_cast<std::int64_t>((users.size() + stride - 1) / stride);
    std::int64_t done = 0;
    for (std::size_t index = 0; index < users.size(); index += stride) {
        const int user = users[index];
        const auto history = train.historyOf(user);
        model.score(UserQuery{user, history}, scores);
        exclude.clear();
        for (const Event& event : history) exclude.push_back(event.item);
        for (const ScoredItem& scored : topK(scores, k, exclude))
            ++counts[static_cast<std::size_t>(scored.item)];
        if (++done % 50 == 0) reportProgress(progress, {"long tail", done, total, {}});
    }
    return counts;
}

struct LoadedSplit {
    Catalog catalog;
    Split split;
};

LoadedSplit loadSplit(const EvaluationSettings& settings, const ProgressCallback& progress,
                      QStringList& notes) {
    LoadedSplit loaded;
    if (!settings.trainFile.isEmpty()) {
        auto files = loadCsvFiles(
            settings.animeFile.toStdString(),
            {settings.trainFile.toStdString(), settings.testFile.toStdString()}, progress);
        if (!files.rejects.empty())
            notes << QStringLiteral("%1 rows rejected while reading the files")
                         .arg(files.rejects.size());
        loaded.split = splitFromParts(files.interactions.at(0), files.interactions.at(1));
        loaded.split.protocol.push_back({"train_file", settings.trainFile.toStdString()});
        loaded.split.protocol.push_back({"test_file", settings.testFile.toStdString()});
        loaded.catalog = std::move(files.catalog);
        return loaded;
    }
    const auto database = openJobDatabase(settings.databasePath, QStringLiteral("evaluate-load"));
    Dataset data = loadJobDataset(*database, progress);
    switch (settings.protocol) {
        case SplitProtocol::Holdout:
            loaded.split = holdoutSplit(
                data.interactions, HoldoutOptions{settings.holdoutShare, settings.minInteractions,
                                                  false, settings.seed});
            break;
        case SplitProtocol::LastN:
            loaded.split = leaveLastOutSplit(
                data.interactions,
                LeaveLastOptions{settings.lastN, settings.minInteractions, false});
            break;
        case SplitProtocol::Time:
            loaded.split =
                timeSplit(data.interactions,
                          TimeSplitOptions{settings.timeQuantile, settings.minInteractions, false});
            break;
    }
    loaded.split.protocol.push_back({"database", database->path().toStdString()});
    loaded.catalog = std::move(data.catalog);
    return loaded;
}

void checkSettings(const EvaluationSettings& settings) {
    const int files = int(!settings.animeFile.isEmpty()) + int(!settings.trainFile.isEmpty()) +
                      int(!settings.testFile.isEmpty());
    if (files != 0 && files != 3)
        throw std::invalid_argument("a user-supplied split needs the anime, train and test files");
    if (settings.k < 1) throw std::invalid_argument("K must be at least 1");
    for (const int k : settings.ks)
        if (k < 1) throw std::invalid_argument("every cut-off must be at least 1");
    if (settings.bootstrapResamples < 0)
        throw std::invalid_argument("bootstrap resamples must not be negative");
}

}  // namespace

EvaluationResult runEvaluation(const EvaluationSettings& settings,
                               const ProgressCallback& progress) {
    checkSettings(settings);
    const std::vector<std::string> names =
        settings.models.empty() ? knownModelNames() : settings.models;
    const auto parametersOf = [&settings](const std::string& family) {
        const auto it = settings.parameters.find(family);
        return it == settings.parameters.end() ? ModelParameters{} : it->second;
    };
    // Build every model first so a typo in a name or parameter fails before minutes of work.
    for (const auto& [family, unused] : settings.parameters)
        if (std::find(names.begin(), names.end(), family) == names.end())
            throw std::invalid_argument("parameters for '" + family +
                                        "', which is not among the models evaluated");
    for (const auto& name : names) createRecommender(name, parametersOf(name));

    const int perModel = settings.tune ? 4 : 3;  // (tune,) fit, evaluate, long tail
    const int modelCount = static_cast<int>(names.size());
    const int phases = 2 + perModel * modelCount;
    EvaluationResult result;
    LoadedSplit loaded =
        loadSplit(settings, phaseProgress(progress, "load", 0, phases), result.notes);
    reportProgress(progress, {"split", 1000, phases * 1000, {}});
    Split& split = loaded.split;
    result.notes.prepend(QStringLiteral("split: %1 train users, %2 train events, %3 test users, "
                                        "%4 test items")
                             .arg(split.train.userCount())
                             .arg(split.train.size())
                             .arg(split.testUserCount())
                             .arg(split.testItemCount()));
    if (split.testUserCount() == 0)
        throw std::invalid_argument("no user has enough interactions to be evaluated (minimum " +
                                    std::to_string(settings.minInteractions) + ")");

    EvaluatorOptions options;
    options.ks = settings.ks;
    options.ks.push_back(settings.k);
    std::sort(options.ks.begin(), options.ks.end());
    options.ks.erase(std::unique(options.ks.begin(), options.ks.end()), options.ks.end());
    options.catalogMode = settings.catalogMode;
    options.threads = settings.threads;
    options.confidenceIntervals = settings.bootstrapResamples > 0;
    options.bootstrap.resamples = std::max(1, settings.bootstrapResamples);
    options.bootstrap.seed = settings.seed;

    // Models fit on a Dataset that owns the train part; the evaluator only references it.
    const Dataset train{std::move(loaded.catalog), std::move(split.train)};
    const Evaluator evaluator(train.interactions, split.test, train.catalog, options);
    result.k = settings.k;
    EvaluationReport& report = result.report;
    report.protocol = split.protocol;
    report.protocol.push_back(
        {"catalog", settings.catalogMode == CatalogMode::All ? "all" : "interacted"});
    report.protocol.push_back({"users", std::to_string(evaluator.evaluatedUserCount())});
    report.ks = options.ks;

    // Tuning sees only the train part: a validation split carved from it (search_spaces.h).
    std::optional<Split> validation;
    EvaluatorOptions tuningOptions = searchEvaluatorOptions();
    tuningOptions.catalogMode = settings.catalogMode;
    tuningOptions.threads = settings.threads;
    if (settings.tune) {
        validation = validationSplit(train.interactions, settings.seed);
        report.protocol.push_back({"tuning", "validation split of train, seed " +
                                                 std::to_string(settings.seed) +
                                                 ", by ndcg@10 (mf: rmse)"});
    }

    const std::vector<int> trainCounts = train.interactions.itemCounts();
    std::vector<int> order(trainCounts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&trainCounts](int a, int b) {
        return trainCounts[static_cast<std::size_t>(a)] > trainCounts[static_cast<std::size_t>(b)];
    });
    const std::vector<int> ranks = sampledRanks(static_cast<int>(order.size()));
    result.longTail.ranks.assign(ranks.begin(), ranks.end());
    result.longTail.trainShare = cumulativeShare(
        order, std::vector<std::int64_t>(trainCounts.begin(), trainCounts.end()), ranks);

    for (int m = 0; m < modelCount; ++m) {
        const std::string& name = names[static_cast<std::size_t>(m)];
        int phase = 2 + perModel * m;
        try {
            ModelParameters parameters = parametersOf(name);
            if (validation) {
                std::string skipped;
                const SelectionCandidate tuned =
                    tuneFamily(*validation, train.catalog, name, tuningOptions, settings.seed,
                               &skipped, phaseProgress(progress, "tune " + name, phase++, phases));
                if (!skipped.empty()) {
                    result.notes << QString::fromStdString(skipped);
                } else {
                    parameters = tuned.parameters;
                    report.protocol.push_back(
                        {name + "_parameters", describeParameters(parameters)});
                    result.notes << QStringLiteral("tuned %1 over %2 trials: %3 (validation %4 %5)")
                                        .arg(QString::fromStdString(name))
                                        .arg(tuned.trials.size())
                                        .arg(QString::fromStdString(describeParameters(parameters)),
                                             QString::fromStdString(tuned.metric))
                                        .arg(tuned.score);
                }
            }
            auto model = createRecommender(name, parameters);
            QElapsedTimer timer;
            timer.start();
            model->fit(train, phaseProgress(progress, "fit " + name, phase, phases));
            const double trainSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
            ModelReport modelReport = evaluator.evaluate(
                *model, phaseProgress(progress, "evaluate " + name, phase + 1, phases));
            modelReport.trainSeconds = trainSeconds;
            modelReport.parameters = parameters;
            const auto counts = recommendationCounts(
                *model, train.interactions, split.test, settings.k, settings.longTailUsers,
                phaseProgress(progress, name, phase + 2, phases));
            report.models.push_back(std::move(modelReport));
            result.longTail.recommendedShare.push_back(cumulativeShare(order, counts, ranks));
            result.trainingCurves.push_back(model->trainingCurve());
        } catch (const OperationCancelled&) {
            throw;
        } catch (const std::exception& error) {
            result.failures << QStringLiteral("%1: %2").arg(QString::fromStdString(name),
                                                            QString::fromUtf8(error.what()));
        }
    }

    if (settings.storeRun) {
        try {
            const auto database =
                openJobDatabase(settings.databasePath, QStringLiteral("evaluate-store"));
            if (const QSqlError error = storage::EvaluationStore(*database).saveRun(
                    report, static_cast<qint64>(settings.seed), settings.k, &result.runId);
                error.isValid())
                result.storeError = database->path() + QStringLiteral(": ") + error.text();
        } catch (const std::runtime_error& error) {
            result.storeError = QString::fromUtf8(error.what());
        }
    }
    return result;
}

}  // namespace animerec::jobs

#include "studio_tasks.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "eval/split.h"
#include "evaluation_history.h"
#include "models/als.h"
#include "models/explicit_mf.h"
#include "models/gru4rec.h"
#include "models/sasrec.h"
#include "studio_dataset.h"

namespace animerec::ui {

namespace {

constexpr std::int64_t kPhaseUnits = 1000;

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
std::vector<std::int64_t> recommendationCounts(const Recommender& model, const Split& split, int k,
                                               int maxUsers, const ProgressCallback& progress) {
    std::vector<int> users;
    for (int user = 0; user < static_cast<int>(split.test.size()); ++user)
        if (!split.test[static_cast<std::size_t>(user)].items.empty()) users.push_back(user);
    const std::size_t stride = std::max<std::size_t>(1, users.size() / std::max(1, maxUsers));
    const int itemCount = split.train.itemCount();
    std::vector<std::int64_t> counts(static_cast<std::size_t>(itemCount), 0);
    std::vector<float> scores(static_cast<std::size_t>(itemCount));
    std::vector<int> exclude;
    const auto total = static_cast<std::int64_t>((users.size() + stride - 1) / stride);
    std::int64_t done = 0;
    for (std::size_t index = 0; index < users.size(); index += stride) {
        const int user = users[index];
        const auto history = split.train.historyOf(user);
        model.score(UserQuery{user, history}, scores);
        exclude.clear();
        for (const Event& event : history) exclude.push_back(event.item);
        for (const ScoredItem& scored : topK(scores, k, exclude))
            ++counts[static_cast<std::size_t>(scored.item)];
        if (++done % 50 == 0) reportProgress(progress, {"long tail", done, total, {}});
    }
    return counts;
}

}  // namespace

ProgressCallback phaseProgress(const ProgressCallback& outer, const std::string& label, int phase,
                               int phases) {
    if (!outer) return {};
    return [outer, label, phase, phases](const Progress& inner) {
        double share = 0.0;
        if (inner.total > 0)
            share = std::clamp(static_cast<double>(inner.done) / static_cast<double>(inner.total),
                               0.0, 1.0);
        Progress mapped;
        mapped.stage = inner.stage.empty() ? label : label + ": " + inner.stage;
        mapped.done = phase * kPhaseUnits + static_cast<std::int64_t>(share * kPhaseUnits);
        mapped.total = static_cast<std::int64_t>(phases) * kPhaseUnits;
        mapped.detail = inner.detail;
        return outer(mapped);
    };
}

std::vector<double> trainingCurveOf(const Recommender& model) {
    if (const auto* als = dynamic_cast<const Als*>(&model)) return als->trainingCurve();
    if (const auto* mf = dynamic_cast<const ExplicitMf*>(&model)) return mf->trainingCurve();
    if (const auto* sasrec = dynamic_cast<const SasrecModel*>(&model))
        return {sasrec->trainingCurve().begin(), sasrec->trainingCurve().end()};
    if (const auto* gru = dynamic_cast<const Gru4RecModel*>(&model))
        return {gru->trainingCurve().begin(), gru->trainingCurve().end()};
    return {};
}

std::map<std::string, ModelParameters> parseModelParameters(const QString& text) {
    std::map<std::string, ModelParameters> result;
    for (const QString& rawEntry :
         text.split(QRegularExpression(QStringLiteral("[;\\n]")), Qt::SkipEmptyParts)) {
        const QString entry = rawEntry.trimmed();
        if (entry.isEmpty()) continue;
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        const qsizetype dot = entry.indexOf(QLatin1Char('.'));
        const auto bad = [&entry](const char* why) {
            return std::invalid_argument("model parameter '" + entry.toStdString() + "': " + why);
        };
        if (equals < 0) throw bad("expected model.name=value");
        if (dot <= 0 || dot > equals)
            throw bad("expected a model family before the name, e.g. als.factors=64");
        const QString family = entry.left(dot).trimmed();
        const QString name = entry.mid(dot + 1, equals - dot - 1).trimmed();
        bool ok = false;
        const double value = entry.mid(equals + 1).trimmed().toDouble(&ok);
        if (name.isEmpty()) throw bad("empty parameter name");
        if (!ok) throw bad("the value is not a number");
        result[family.toStdString()][name.toStdString()] = value;
    }
    return result;
}

EvaluationOutcome runEvaluation(const QString& databasePath, const EvaluationSettings& settings,
                                const ProgressCallback& progress) {
    if (settings.models.isEmpty()) throw std::invalid_argument("no model selected");
    if (settings.k < 1) throw std::invalid_argument("K must be at least 1");
    // Build every model first so a typo in a name or parameter fails before minutes of work.
    std::vector<std::unique_ptr<Recommender>> models;
    for (const QString& name : settings.models) {
        const auto it = settings.parameters.find(name.toStdString());
        models.push_back(createRecommender(
            name.toStdString(), it == settings.parameters.end() ? ModelParameters{} : it->second));
    }
    const int modelCount = static_cast<int>(models.size());
    const int phases =
        2 + 3 * modelCount;  // load, split, then fit / evaluate / long tail per model

    Dataset data = loadStudioDataset(databasePath, phaseProgress(progress, "load", 0, phases));
    reportProgress(progress, {"split", kPhaseUnits, phases * kPhaseUnits, {}});
    Split split;
    if (settings.protocol == SplitProtocol::Holdout) {
        HoldoutOptions options;
        options.testShare = settings.holdoutShare;
        options.minInteractions = settings.minInteractions;
        options.seed = settings.seed;
        split = holdoutSplit(data.interactions, options);
    } else {
        LeaveLastOptions options;
        options.count = settings.lastN;
        options.minInteractions = settings.minInteractions;
        split = leaveLastOutSplit(data.interactions, options);
    }
    if (split.testUserCount() == 0)
        throw std::invalid_argument("no user has enough interactions to be evaluated (minimum " +
                                    std::to_string(settings.minInteractions) + ")");
    const Dataset train{std::move(data.catalog), split.train};
    data.interactions = Interactions();

    EvaluatorOptions options;
    options.ks = {1, 5, 10, 20, 50, 100};
    if (std::find(options.ks.begin(), options.ks.end(), settings.k) == options.ks.end()) {
        options.ks.push_back(settings.k);
        std::sort(options.ks.begin(), options.ks.end());
    }
    options.catalogMode = settings.catalogMode;
    options.curveMaxK = 100;
    options.bootstrap.resamples = std::max(1, settings.bootstrapResamples);
    options.bootstrap.seed = settings.seed;
    const Evaluator evaluator(split, train.catalog, options);

    EvaluationOutcome outcome;
    outcome.k = settings.k;
    outcome.report.protocol = split.protocol;
    outcome.report.protocol.emplace_back(
        "catalog_mode", settings.catalogMode == CatalogMode::All ? "all" : "interacted");
    outcome.report.protocol.emplace_back("users", std::to_string(evaluator.evaluatedUserCount()));
    outcome.report.ks = options.ks;

    const std::vector<int> trainCounts = train.interactions.itemCounts();
    std::vector<int> order(trainCounts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&trainCounts](int a, int b) {
        return trainCounts[static_cast<std::size_t>(a)] > trainCounts[static_cast<std::size_t>(b)];
    });
    const std::vector<int> ranks = sampledRanks(static_cast<int>(order.size()));
    outcome.longTail.ranks.assign(ranks.begin(), ranks.end());
    outcome.longTail.trainShare = cumulativeShare(
        order, std::vector<std::int64_t>(trainCounts.begin(), trainCounts.end()), ranks);

    for (int m = 0; m < modelCount; ++m) {
        Recommender& model = *models[static_cast<std::size_t>(m)];
        const std::string label = model.name();
        QElapsedTimer timer;
        timer.start();
        model.fit(train, phaseProgress(progress, "fit " + label, 2 + 3 * m, phases));
        const double trainSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        ModelReport report = evaluator.evaluate(
            model, phaseProgress(progress, "evaluate " + label, 3 + 3 * m, phases));
        report.trainSeconds = trainSeconds;
        outcome.report.models.push_back(std::move(report));
        const auto counts = recommendationCounts(model, split, settings.k, settings.longTailUsers,
                                                 phaseProgress(progress, label, 4 + 3 * m, phases));
        outcome.longTail.recommendedShare.push_back(cumulativeShare(order, counts, ranks));
        outcome.trainingCurves.push_back(trainingCurveOf(model));
        models[static_cast<std::size_t>(m)].reset();  // free the model before the next one trains
    }

    try {
        outcome.runId = storeEvaluationRun(databasePath, outcome.report, outcome.k, settings.seed);
    } catch (const std::exception& error) {
        outcome.storeError = QString::fromUtf8(error.what());
    }
    return outcome;
}

}  // namespace animerec::ui

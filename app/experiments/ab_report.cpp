#include "experiments/ab_report.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "eval/ab_statistics.h"
#include "eval/list_outcome.h"

namespace animerec::experiments {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kAutoHourlySpanMs = 3 * kDayMs;
// Bootstrap work cap (resamples x observations): the percentile interval of a proportion on
// hundreds of thousands of exposures needs far fewer replicates than a small sample does.
constexpr double kBootstrapBudget = 4e7;
constexpr int kMinResamples = 200;

using ExposureOutcome = ListOutcome;

struct VariantLog {
    std::vector<ExposureOutcome> outcomes;
    std::vector<double> ratings;
    std::unordered_set<qint64> items;
    QSet<QString> units;
    QStringList models;
    std::map<qint64, std::pair<qint64, qint64>> buckets;  // start -> exposures, clicked
};

std::vector<double> indicator(const std::vector<ExposureOutcome>& outcomes,
                              bool ExposureOutcome::*flag) {
    std::vector<double> values;
    values.reserve(outcomes.size());
    for (const ExposureOutcome& outcome : outcomes) values.push_back(outcome.*flag ? 1.0 : 0.0);
    return values;
}

double rate(qint64 count, qint64 total) {
    return total > 0 ? static_cast<double>(count) / static_cast<double>(total) : 0.0;
}

QJsonValue optionalNumber(const std::optional<double>& value) {
    return value && std::isfinite(*value) ? QJsonValue(*value) : QJsonValue();
}

QString isoTime(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

BootstrapOptions bootstrapFor(const ReportOptions& options, std::size_t observations) {
    BootstrapOptions bootstrap;
    bootstrap.confidence = options.confidence;
    bootstrap.seed = options.seed;
    const double affordable =
        kBootstrapBudget / static_cast<double>(std::max<std::size_t>(observations, 1));
    bootstrap.resamples =
        std::clamp(static_cast<int>(affordable),
                   std::min(kMinResamples, options.bootstrapResamples), options.bootstrapResamples);
    return bootstrap;
}

}  // namespace

AbReport buildReport(const ExperimentDefinition& experiment,
                     std::span<const storage::ExposureRecord> exposures,
                     std::span<const storage::FeedbackRecord> feedback,
                     const ReportOptions& options) {
    AbReport report;
    report.experiment = experiment;
    report.options = options;
    const std::size_t variantCount = experiment.variants.size();
    std::vector<VariantLog> logs(variantCount);

    qint64 first = 0, last = 0;
    for (const storage::ExposureRecord& exposure : exposures) {
        if (first == 0 || exposure.servedAtMs < first) first = exposure.servedAtMs;
        last = std::max(last, exposure.servedAtMs);
    }
    report.bucket =
        options.bucket == QLatin1String("hour") || options.bucket == QLatin1String("day")
            ? options.bucket
            : (last - first <= kAutoHourlySpanMs ? QStringLiteral("hour") : QStringLiteral("day"));
    const qint64 bucketMs = report.bucket == QLatin1String("hour") ? kHourMs : kDayMs;

    // Exposure id -> (variant, index of its outcome), for attributing feedback.
    std::unordered_map<qint64, std::pair<int, std::size_t>> byId;
    byId.reserve(exposures.size());
    for (const storage::ExposureRecord& exposure : exposures) {
        const int v = experiment.variantIndex(exposure.variant);
        if (v < 0 || (experiment.id != 0 && exposure.experimentId != experiment.id)) continue;
        VariantLog& log = logs[static_cast<std::size_t>(v)];
        byId[exposure.exposureId] = {v, log.outcomes.size()};
        log.outcomes.emplace_back();
        const std::size_t shown =
            std::min(exposure.items.size(), static_cast<std::size_t>(std::max(options.k, 0)));
        for (std::size_t i = 0; i < shown; ++i) log.items.insert(exposure.items[i]);
        log.units.insert(exposure.userId ? QStringLiteral("u") + QString::number(*exposure.userId)
                                         : QStringLiteral("s") + exposure.sessionId);
        const QString model = (exposure.model + u' ' + exposure.modelVersion).trimmed();
        if (!model.isEmpty() && !log.models.contains(model)) log.models << model;
        log.buckets[exposure.servedAtMs / bucketMs * bucketMs].first += 1;
    }
    // Clicks per bucket need the exposure's time: keep it beside the outcome.
    std::unordered_map<qint64, qint64> servedAt;
    servedAt.reserve(exposures.size());
    for (const storage::ExposureRecord& exposure : exposures)
        servedAt[exposure.exposureId] = exposure.servedAtMs;

    for (const storage::FeedbackRecord& event : feedback) {
        const auto found = event.exposureId > 0 ? byId.find(event.exposureId) : byId.end();
        if (found == byId.end() || (experiment.id != 0 && event.experimentId != experiment.id)) {
            ++report.unattributedFeedback;
            continue;
        }
        VariantLog& log = logs[static_cast<std::size_t>(found->second.first)];
        ExposureOutcome& outcome = log.outcomes[found->second.second];
        if (applyListFeedback(outcome, storage::listFeedbackOf(event.event), event.position,
                              options.k)
                .clicked) {
            const qint64 time = servedAt[event.exposureId];
            log.buckets[time / bucketMs * bucketMs].second += 1;
        }
        if (event.event == storage::FeedbackEvent::Rate && event.value)
            log.ratings.push_back(*event.value);
    }

    for (std::size_t v = 0; v < variantCount; ++v) {
        const VariantLog& log = logs[v];
        VariantSummary summary;
        summary.name = experiment.variants[v].name;
        summary.role = service::roleName(experiment.variants[v].role);
        summary.models = log.models;
        summary.exposures = static_cast<qint64>(log.outcomes.size());
        summary.units = log.units.size();
        for (const ExposureOutcome& outcome : log.outcomes) {
            summary.clicked += outcome.clicked;
            summary.watched += outcome.watched;
            summary.completed += outcome.completed;
        }
        const ProportionEstimate ctr =
            estimateProportion(summary.clicked, summary.exposures, options.confidence);
        summary.ctr = ctr.rate;
        summary.ctrInterval = ctr.interval;
        summary.watchRate = rate(summary.watched, summary.exposures);
        summary.completionRate = rate(summary.completed, summary.exposures);
        summary.ratings = static_cast<qint64>(log.ratings.size());
        if (!log.ratings.empty()) {
            double sum = 0.0;
            for (const double value : log.ratings) sum += value;
            summary.meanRating = sum / static_cast<double>(log.ratings.size());
        }
        summary.distinctItems = static_cast<qint64>(log.items.size());
        if (options.catalogueSize > 0)
            summary.coverage = static_cast<double>(summary.distinctItems) /
                               static_cast<double>(options.catalogueSize);
        report.variants.push_back(summary);
        std::vector<TimelinePoint> points;
        for (const auto& [start, counts] : log.buckets)
            points.push_back(
                {start, counts.first, counts.second, rate(counts.second, counts.first)});
        report.timeline.push_back(std::move(points));
    }

    const double alpha = 1.0 - options.confidence;
    if (variantCount >= 2 && report.variants[0].exposures > 0) {
        const VariantSummary& control = report.variants[0];
        struct Proportion {
            const char* metric;
            qint64 VariantSummary::*count;
            bool ExposureOutcome::*flag;
        };
        const Proportion proportions[] = {
            {"ctr", &VariantSummary::clicked, &ExposureOutcome::clicked},
            {"watch_rate", &VariantSummary::watched, &ExposureOutcome::watched},
            {"completion_rate", &VariantSummary::completed, &ExposureOutcome::completed}};
        for (std::size_t v = 1; v < variantCount; ++v) {
            const VariantSummary& other = report.variants[v];
            if (other.exposures == 0) continue;
            for (const Proportion& p : proportions) {
                const ProportionTest test =
                    twoProportionZTest(control.*p.count, control.exposures, other.*p.count,
                                       other.exposures, options.confidence);
                MetricComparison row;
                row.metric = QString::fromLatin1(p.metric);
                row.control = control.name;
                row.variant = other.name;
                row.controlValue = test.rateA;
                row.variantValue = test.rateB;
                row.difference = test.difference;
                row.relativeLift = test.relativeLift;
                row.waldInterval = test.interval;
                row.z = test.z;
                row.pValue = test.pValue;
                const auto a = indicator(logs[0].outcomes, p.flag);
                const auto b = indicator(logs[v].outcomes, p.flag);
                row.bootstrapInterval =
                    bootstrapMeanDifference(a, b, bootstrapFor(options, a.size() + b.size()));
                row.significant = test.pValue < alpha;
                report.comparisons.push_back(row);
            }
            if (control.meanRating && other.meanRating) {
                MetricComparison row;
                row.metric = QStringLiteral("mean_rating");
                row.control = control.name;
                row.variant = other.name;
                row.controlValue = *control.meanRating;
                row.variantValue = *other.meanRating;
                row.difference = row.variantValue - row.controlValue;
                row.relativeLift =
                    row.controlValue != 0.0 ? row.difference / row.controlValue : 0.0;
                row.bootstrapInterval = bootstrapMeanDifference(
                    logs[0].ratings, logs[v].ratings,
                    bootstrapFor(options, logs[0].ratings.size() + logs[v].ratings.size()));
                row.significant =
                    row.bootstrapInterval->low > 0.0 || row.bootstrapInterval->high < 0.0;
                report.comparisons.push_back(row);
            }
        }
        const double lifted = control.ctr * (1.0 + options.minimumLift);
        if (control.ctr > 0.0 && control.ctr < 1.0 && lifted > 0.0 && lifted < 1.0 &&
            options.minimumLift != 0.0)
            report.sampleSizePerVariant = animerec::sampleSizePerVariant(
                control.ctr, options.minimumLift, alpha, options.power);

        // The winner on CTR, only when the evidence says so.
        const MetricComparison* best = nullptr;
        int controlWins = 0, ctrRows = 0;
        for (const MetricComparison& row : report.comparisons) {
            if (row.metric != QLatin1String("ctr")) continue;
            ++ctrRows;
            if (row.significant && row.difference > 0 &&
                (!best || row.variantValue > best->variantValue))
                best = &row;
            if (row.significant && row.difference < 0) ++controlWins;
        }
        if (best)
            report.winner = best->variant;
        else if (ctrRows > 0 && controlWins == ctrRows)
            report.winner = control.name;
    }
    return report;
}

QJsonObject toJson(const AbReport& report) {
    QJsonArray variants;
    for (const VariantSummary& v : report.variants)
        variants.append(
            QJsonObject{{QStringLiteral("name"), v.name},
                        {QStringLiteral("role"), v.role},
                        {QStringLiteral("models"), QJsonArray::fromStringList(v.models)},
                        {QStringLiteral("exposures"), v.exposures},
                        {QStringLiteral("units"), v.units},
                        {QStringLiteral("clicked"), v.clicked},
                        {QStringLiteral("ctr"), v.ctr},
                        {QStringLiteral("ctr_ci_low"), v.ctrInterval.low},
                        {QStringLiteral("ctr_ci_high"), v.ctrInterval.high},
                        {QStringLiteral("watched"), v.watched},
                        {QStringLiteral("watch_rate"), v.watchRate},
                        {QStringLiteral("completed"), v.completed},
                        {QStringLiteral("completion_rate"), v.completionRate},
                        {QStringLiteral("ratings"), v.ratings},
                        {QStringLiteral("mean_rating"), optionalNumber(v.meanRating)},
                        {QStringLiteral("distinct_items"), v.distinctItems},
                        {QStringLiteral("coverage"), optionalNumber(v.coverage)}});
    QJsonArray comparisons;
    for (const MetricComparison& c : report.comparisons) {
        QJsonObject row{{QStringLiteral("metric"), c.metric},
                        {QStringLiteral("control"), c.control},
                        {QStringLiteral("variant"), c.variant},
                        {QStringLiteral("control_value"), c.controlValue},
                        {QStringLiteral("variant_value"), c.variantValue},
                        {QStringLiteral("difference"), c.difference},
                        {QStringLiteral("relative_lift"), c.relativeLift},
                        {QStringLiteral("significant"), c.significant}};
        if (c.waldInterval) {
            row.insert(QStringLiteral("ci_low"), c.waldInterval->low);
            row.insert(QStringLiteral("ci_high"), c.waldInterval->high);
        }
        if (c.z) row.insert(QStringLiteral("z"), *c.z);
        if (c.pValue) row.insert(QStringLiteral("p_value"), *c.pValue);
        if (c.bootstrapInterval) {
            row.insert(QStringLiteral("bootstrap_ci_low"), c.bootstrapInterval->low);
            row.insert(QStringLiteral("bootstrap_ci_high"), c.bootstrapInterval->high);
        }
        comparisons.append(row);
    }
    QJsonArray series;
    for (std::size_t v = 0; v < report.timeline.size(); ++v) {
        QJsonArray points;
        for (const TimelinePoint& p : report.timeline[v])
            points.append(QJsonObject{{QStringLiteral("start"), isoTime(p.startMs)},
                                      {QStringLiteral("start_ms"), p.startMs},
                                      {QStringLiteral("exposures"), p.exposures},
                                      {QStringLiteral("clicked"), p.clicked},
                                      {QStringLiteral("ctr"), p.ctr}});
        series.append(QJsonObject{{QStringLiteral("variant"), report.variants[v].name},
                                  {QStringLiteral("points"), points}});
    }
    const QJsonObject sampleSize{
        {QStringLiteral("metric"), QStringLiteral("ctr")},
        {QStringLiteral("baseline"),
         report.variants.empty() ? QJsonValue() : QJsonValue(report.variants[0].ctr)},
        {QStringLiteral("relative_lift"), report.options.minimumLift},
        {QStringLiteral("alpha"), 1.0 - report.options.confidence},
        {QStringLiteral("power"), report.options.power},
        {QStringLiteral("per_variant"),
         report.sampleSizePerVariant ? QJsonValue(*report.sampleSizePerVariant) : QJsonValue()}};
    return {{QStringLiteral("experiment"), report.experiment.toJson()},
            {QStringLiteral("k"), report.options.k},
            {QStringLiteral("confidence"), report.options.confidence},
            {QStringLiteral("variants"), variants},
            {QStringLiteral("comparisons"), comparisons},
            {QStringLiteral("sample_size"), sampleSize},
            {QStringLiteral("timeline"), QJsonObject{{QStringLiteral("bucket"), report.bucket},
                                                     {QStringLiteral("series"), series}}},
            {QStringLiteral("unattributed_feedback"), report.unattributedFeedback},
            {QStringLiteral("winner"), report.winner}};
}

QString toText(const AbReport& report) {
    QString text;
    QTextStream out(&text);
    out << "experiment " << report.experiment.name << " (" << statusName(report.experiment.status)
        << "), K = " << report.options.k << "\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
               .arg(QStringLiteral("variant"), -16)
               .arg(QStringLiteral("exposures"), 10)
               .arg(QStringLiteral("CTR@K"), 8)
               .arg(QStringLiteral("watch"), 8)
               .arg(QStringLiteral("complete"), 8)
               .arg(QStringLiteral("rating"), 7)
               .arg(QStringLiteral("items"), 7)
               .arg(QStringLiteral("coverage"), 8);
    for (const VariantSummary& v : report.variants)
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                   .arg(v.name, -16)
                   .arg(v.exposures, 10)
                   .arg(v.ctr, 8, 'f', 4)
                   .arg(v.watchRate, 8, 'f', 4)
                   .arg(v.completionRate, 8, 'f', 4)
                   .arg(v.meanRating ? QString::number(*v.meanRating, 'f', 2) : QStringLiteral("-"),
                        7)
                   .arg(v.distinctItems, 7)
                   .arg(v.coverage ? QString::number(*v.coverage, 'f', 4) : QStringLiteral("-"), 8);
    for (const MetricComparison& c : report.comparisons) {
        out << "  " << c.metric << " " << c.variant << " - " << c.control << " = "
            << QString::number(c.difference, 'f', 4);
        if (c.waldInterval)
            out << "  CI [" << QString::number(c.waldInterval->low, 'f', 4) << ", "
                << QString::number(c.waldInterval->high, 'f', 4) << "]";
        if (c.bootstrapInterval)
            out << "  bootstrap [" << QString::number(c.bootstrapInterval->low, 'f', 4) << ", "
                << QString::number(c.bootstrapInterval->high, 'f', 4) << "]";
        if (c.pValue)
            out << "  z " << QString::number(*c.z, 'f', 2) << " p "
                << QString::number(*c.pValue, 'g', 3);
        out << (c.significant ? "  significant" : "") << "\n";
    }
    if (report.sampleSizePerVariant)
        out << "exposures per variant to detect a " << report.options.minimumLift * 100.0
            << "% CTR lift: " << *report.sampleSizePerVariant << "\n";
    out << "winner: " << (report.winner.isEmpty() ? QStringLiteral("none yet") : report.winner)
        << "\n";
    return text;
}

}  // namespace animerec::experiments

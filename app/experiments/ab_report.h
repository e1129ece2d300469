#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <span>
#include <vector>

#include "eval/bootstrap.h"
#include "experiments/experiment.h"
#include "storage/event_records.h"

namespace animerec::experiments {

struct ReportOptions {
    int k = 10;                 // CTR@K counts clicks on positions 1..K
    double confidence = 0.95;   // two-sided, for every interval
    double minimumLift = 0.10;  // relative lift the sample-size estimate is for
    double power = 0.8;         // of that estimate (alpha = 1 - confidence)
    int bootstrapResamples = 1000;
    std::uint64_t seed = 42;
    qint64 catalogueSize = 0;  // coverage denominator; 0 = report distinct items only
    QString bucket = QStringLiteral("auto");  // "hour", "day", or "auto" (hourly up to 3 days)
};

// Per variant, over its exposures (the unit of the rates: one served list).
struct VariantSummary {
    QString name;
    QString role;
    QStringList models;  // "family version" pairs that actually answered
    qint64 exposures = 0;
    qint64 units = 0;      // distinct users and sessions
    qint64 clicked = 0;    // exposures with any feedback on positions 1..K
    qint64 watched = 0;    // exposures with a watch or complete
    qint64 completed = 0;  // exposures with a complete
    qint64 ratings = 0;
    double ctr = 0.0;                          // clicked / exposures (CTR@K)
    ConfidenceInterval ctrInterval{0.0, 1.0};  // Wilson interval of ctr (estimateProportion)
    double watchRate = 0.0;
    double completionRate = 0.0;
    std::optional<double> meanRating;
    qint64 distinctItems = 0;        // distinct titles in positions 1..K
    std::optional<double> coverage;  // distinctItems / catalogueSize
};

// One metric of one variant against the control (the first variant); difference = variant -
// control.
struct MetricComparison {
    QString metric;  // "ctr", "watch_rate", "completion_rate", "mean_rating"
    QString control;
    QString variant;
    double controlValue = 0.0;
    double variantValue = 0.0;
    double difference = 0.0;
    double relativeLift = 0.0;
    std::optional<ConfidenceInterval> waldInterval;  // proportions only
    std::optional<double> z;
    std::optional<double> pValue;
    std::optional<ConfidenceInterval> bootstrapInterval;
    bool significant = false;  // p < alpha, or the bootstrap interval excludes 0 for ratings
};

struct TimelinePoint {
    qint64 startMs = 0;
    qint64 exposures = 0;
    qint64 clicked = 0;
    double ctr = 0.0;
};

// Everything the report route, `animerec ab report` and a Studio panel show.
struct AbReport {
    ExperimentDefinition experiment;
    ReportOptions options;
    std::vector<VariantSummary> variants;  // definition order; [0] is the control
    std::vector<MetricComparison> comparisons;
    // Exposures per variant needed to detect options.minimumLift on the control's CTR; absent
    // when the control's CTR is 0 or the lifted rate would leave (0, 1).
    std::optional<qint64> sampleSizePerVariant;
    QString bucket;                                    // "hour" or "day"
    std::vector<std::vector<TimelinePoint>> timeline;  // per variant, buckets ascending
    qint64 unattributedFeedback = 0;
    // The variant with the best CTR when it beats the control significantly, or the control when
    // the control beats every other significantly; empty otherwise.
    QString winner;
};

// Builds the report from an experiment's log. Feedback is matched to exposures by exposureId
// (records with another experiment id are ignored). Pure computation, thread-safe.
AbReport buildReport(const ExperimentDefinition& experiment,
                     std::span<const storage::ExposureRecord> exposures,
                     std::span<const storage::FeedbackRecord> feedback,
                     const ReportOptions& options = {});

QJsonObject toJson(const AbReport& report);
// A few lines per variant and comparison, for the terminal.
QString toText(const AbReport& report);

}  // namespace animerec::experiments

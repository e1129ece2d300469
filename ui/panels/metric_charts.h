#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "eval/evaluation_report.h"

namespace animerec::jobs {
struct LongTail;
}

namespace animerec::ui {

class ChartWidget;

// What the Metrics panel's bar chart compares. Metrics of one group share a scale.
enum class MetricGroup {
    Accuracy,        // precision, recall, ndcg, map, mrr, hitrate (0..1)
    BeyondAccuracy,  // coverage, diversity (0..1)
    Novelty,         // novelty in bits (mean self-information)
};

// Metric names of a group, in display order ("precision", "recall", ...).
QStringList metricsOf(MetricGroup group);
QString metricGroupTitle(MetricGroup group);

// One bar per model for every metric of `group` at cut-off k, with the 95% bootstrap interval
// where the report has one. Clears the chart when the report has no model.
void showMetricBars(ChartWidget& chart, const EvaluationReport& report, int k, MetricGroup group);

// Mean Recall@k (`ndcg` false) or NDCG@k per model for k = 1..curve length.
void showRankCurves(ChartWidget& chart, const EvaluationReport& report, bool ndcg);

// Cumulative share of train events and of recommendations by item popularity rank (log x).
void showLongTail(ChartWidget& chart, const jobs::LongTail& longTail, const QStringList& models);

// Loss per iteration/epoch of the models that have one (log y when the scales differ a lot).
// Returns the number of curves drawn.
int showTrainingCurves(ChartWidget& chart, const std::vector<std::vector<double>>& curves,
                       const QStringList& models);

}  // namespace animerec::ui

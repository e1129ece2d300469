#include "panels/metric_charts.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

#include "jobs/evaluation_job.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {

// The charts' titles and axis labels, translated (translations/animerec_ru.ts). Metric names
// (precision, ndcg, ...) stay as they are: they are the report's keys and the literature's names.
struct MetricCharts {
    Q_DECLARE_TR_FUNCTIONS(MetricCharts)
};

QString notEvaluatedYet() { return MetricCharts::tr("Run an evaluation to draw this chart."); }

}  // namespace

QStringList metricsOf(MetricGroup group) {
    switch (group) {
        case MetricGroup::Accuracy:
            return {QStringLiteral("precision"), QStringLiteral("recall"),
                    QStringLiteral("ndcg"),      QStringLiteral("map"),
                    QStringLiteral("mrr"),       QStringLiteral("hitrate")};
        case MetricGroup::BeyondAccuracy:
            return {QStringLiteral("coverage"), QStringLiteral("diversity")};
        case MetricGroup::Novelty:
            return {QStringLiteral("novelty")};
    }
    return {};
}

QString metricGroupTitle(MetricGroup group) {
    switch (group) {
        case MetricGroup::Accuracy:
            return MetricCharts::tr("Accuracy");
        case MetricGroup::BeyondAccuracy:
            return MetricCharts::tr("Coverage and diversity");
        case MetricGroup::Novelty:
            return MetricCharts::tr("Novelty (bits)");
    }
    return {};
}

void showMetricBars(ChartWidget& chart, const EvaluationReport& report, int k, MetricGroup group) {
    if (report.models.empty()) {
        chart.clear(notEvaluatedYet());
        return;
    }
    const QStringList metrics = metricsOf(group);
    QStringList categories;
    // The cut-off goes on the axis label: "precision@10 recall@10 ..." overlaps at panel widths.
    for (const QString& metric : metrics) categories << metric;
    QVector<ChartSeries> series;
    for (const ModelReport& model : report.models) {
        ChartSeries one;
        one.name = QString::fromStdString(model.model);
        for (const QString& metric : metrics) {
            const std::string key = metricKey(metric.toStdString(), k);
            const auto value = model.metrics.find(key);
            const double y =
                value == model.metrics.end() || !std::isfinite(value->second) ? 0.0 : value->second;
            one.y << y;
            // Metrics without a bootstrap interval get a zero-length one, so every bar of the
            // series can share one error-bar plottable.
            const auto low = model.metrics.find(key + "_ci_low");
            const auto high = model.metrics.find(key + "_ci_high");
            one.low << (low == model.metrics.end() ? y : low->second);
            one.high << (high == model.metrics.end() ? y : high->second);
        }
        series << one;
    }
    chart.setAxisLabels(MetricCharts::tr("metric at K = %1").arg(k),
                        group == MetricGroup::Novelty
                            ? MetricCharts::tr("bits")
                            : MetricCharts::tr("mean over users (95% CI)"));
    chart.showBars(categories, series);
}

void showRankCurves(ChartWidget& chart, const EvaluationReport& report, bool ndcg) {
    QVector<ChartSeries> series;
    for (const ModelReport& model : report.models) {
        const std::vector<double>& curve = ndcg ? model.ndcgCurve : model.recallCurve;
        if (curve.empty()) continue;
        ChartSeries one;
        one.name = QString::fromStdString(model.model);
        for (std::size_t k = 0; k < curve.size(); ++k) {
            one.x << static_cast<double>(k + 1);
            one.y << curve[k];
        }
        series << one;
    }
    chart.setAxisLabels(MetricCharts::tr("K (list length)"),
                        ndcg ? QStringLiteral("NDCG@K") : QStringLiteral("Recall@K"));
    if (series.isEmpty()) {
        chart.clear(notEvaluatedYet());
        return;
    }
    chart.showLines(series);
}

void showLongTail(ChartWidget& chart, const jobs::LongTail& longTail, const QStringList& models) {
    chart.setAxisLabels(MetricCharts::tr("items by train popularity (rank, log scale)"),
                        MetricCharts::tr("cumulative share"));
    if (longTail.ranks.empty()) {
        chart.clear(notEvaluatedYet());
        return;
    }
    const QVector<double> ranks(longTail.ranks.begin(), longTail.ranks.end());
    QVector<ChartSeries> series;
    series << ChartSeries{MetricCharts::tr("train interactions"),
                          ranks,
                          QVector<double>(longTail.trainShare.begin(), longTail.trainShare.end()),
                          {},
                          {},
                          7};  // black: the catalogue, not a model
    for (std::size_t m = 0; m < longTail.recommendedShare.size(); ++m) {
        const auto& share = longTail.recommendedShare[m];
        series << ChartSeries{m < static_cast<std::size_t>(models.size())
                                  ? models[static_cast<qsizetype>(m)]
                                  : MetricCharts::tr("model %1").arg(m + 1),
                              ranks,
                              QVector<double>(share.begin(), share.end()),
                              {},
                              {},
                              static_cast<int>(m)};  // same colour as the model's bars
    }
    chart.showLines(series, true, false);
}

int showTrainingCurves(ChartWidget& chart, const std::vector<std::vector<double>>& curves,
                       const QStringList& models) {
    QVector<ChartSeries> series;
    double smallest = 0.0;
    double largest = 0.0;
    for (std::size_t m = 0; m < curves.size() && m < static_cast<std::size_t>(models.size()); ++m) {
        if (curves[m].empty()) continue;
        ChartSeries one;
        one.name = models[static_cast<qsizetype>(m)];
        for (std::size_t i = 0; i < curves[m].size(); ++i) {
            one.x << static_cast<double>(i + 1);
            one.y << curves[m][i];
        }
        const auto [low, high] = std::minmax_element(one.y.begin(), one.y.end());
        smallest = series.isEmpty() ? *low : std::min(smallest, *low);
        largest = series.isEmpty() ? *high : std::max(largest, *high);
        series << one;
    }
    // Losses of different families differ by orders of magnitude; a log axis keeps all visible.
    const bool logY = smallest > 0 && largest / smallest > 50.0;
    chart.setAxisLabels(
        MetricCharts::tr("iteration / epoch"),
        logY ? MetricCharts::tr("training loss (log scale)") : MetricCharts::tr("training loss"));
    if (series.isEmpty()) {
        chart.clear(MetricCharts::tr("None of these models trains in iterations or epochs."));
        return 0;
    }
    chart.showLines(series, false, logY);
    return static_cast<int>(series.size());
}

}  // namespace animerec::ui

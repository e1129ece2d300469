#include "widgets/chart_widget.h"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace animerec::ui {

ChartWidget::ChartWidget(const QString& title, QWidget* parent)
    : QWidget(parent), title_(title), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(
        0, 0, new QCPTextElement(plot_, title_, QFont(font().family(), 11, QFont::Bold)));
    // The legend sits under the plot (placeLegend), in rows of as many entries as fit (fitLegend),
    // so it never hides data.
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setMargins(QMargins(4, 0, 4, 2));
    plot_->setMinimumSize(320, 220);
    clear();
}

QColor ChartWidget::seriesColor(int index) {
    // A colour-blind-friendly palette (Okabe-Ito).
    static const QColor palette[] = {
        QColor(0, 114, 178),  QColor(230, 159, 0), QColor(0, 158, 115),  QColor(204, 121, 167),
        QColor(86, 180, 233), QColor(213, 94, 0),  QColor(240, 228, 66), QColor(0, 0, 0)};
    return palette[index % 8];
}

void ChartWidget::setAxisLabels(const QString& xLabel, const QString& yLabel) {
    xLabel_ = xLabel;
    yLabel_ = yLabel;
    plot_->xAxis->setLabel(xLabel_);
    plot_->yAxis->setLabel(yLabel_);
}

void ChartWidget::clear(const QString& why) {
    plot_->clearPlottables();
    plot_->clearItems();
    placeLegend(false);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->xAxis->setScaleType(QCPAxis::stLinear);
    plot_->yAxis->setScaleType(QCPAxis::stLinear);
    plot_->xAxis->setLabel(xLabel_);
    plot_->yAxis->setLabel(yLabel_);
    // Bare axes from 0 to 5 would read as a chart of nothing; a sentence says what is missing.
    plot_->xAxis->setVisible(false);
    plot_->yAxis->setVisible(false);
    auto* message = new QCPItemText(plot_);
    message->position->setType(QCPItemPosition::ptAxisRectRatio);
    message->position->setCoords(0.5, 0.5);
    message->setText(why.isEmpty() ? tr("Nothing to draw yet.") : why);
    message->setColor(palette().color(QPalette::PlaceholderText));
    plot_->replot();
}

QString ChartWidget::emptyMessage() const {
    for (int i = 0; i < plot_->itemCount(); ++i)
        if (const auto* text = qobject_cast<const QCPItemText*>(plot_->item(i)))
            return text->text();
    return {};
}

int ChartWidget::plottableCount() const { return plot_->plottableCount(); }

void ChartWidget::prepare(bool logX, bool logY) {
    plot_->clearPlottables();
    plot_->clearItems();
    plot_->xAxis->setVisible(true);
    plot_->yAxis->setVisible(true);
    if (logX) {
        plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        plot_->xAxis->setScaleType(QCPAxis::stLinear);
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    if (logY) {
        plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        plot_->yAxis->setScaleType(QCPAxis::stLinear);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
}

void ChartWidget::placeLegend(bool visible) {
    // An empty legend row would still claim layout space, so the row exists only when shown.
    QCPLayoutGrid* layout = plot_->plotLayout();
    const bool placed = layout->rowCount() > 2 && layout->element(2, 0) == plot_->legend;
    if (visible && !placed) {
        layout->addElement(2, 0, plot_->legend);
        layout->setRowStretchFactor(2, 0.001);
    } else if (!visible && placed) {
        layout->take(plot_->legend);
        layout->simplify();
    }
    plot_->legend->setVisible(visible);
}

void ChartWidget::fitLegend() {
    // Columns share the width equally, so a row holds as many entries as the widest one allows
    // (at most four): fewer columns rather than names cut short.
    QCPLegend* legend = plot_->legend;
    int widest = 1;
    for (int i = 0; i < legend->itemCount(); ++i)
        widest = std::max(widest, legend->item(i)->minimumOuterSizeHint().width());
    const int room = width() - legend->margins().left() - legend->margins().right();
    const int columns =
        std::clamp((room + legend->columnSpacing()) / (widest + legend->columnSpacing()), 1, 4);
    if (columns == legend->wrap() && legend->columnCount() <= columns) return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // rearranges the entries
}

void ChartWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (!plot_->legend->visible()) return;
    fitLegend();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ChartWidget::finish() {
    placeLegend(plot_->plottableCount() > 0);
    plot_->legend->setFont(QFont(font().family(), 8));
    fitLegend();
    plot_->replot();
}

void ChartWidget::showBars(const QStringList& categories, const QVector<ChartSeries>& series) {
    prepare(false, false);
    const int groups = static_cast<int>(categories.size());
    const int count = std::max<int>(1, static_cast<int>(series.size()));
    const double groupWidth = 0.8;
    const double barWidth = groupWidth / count;
    double maxValue = 0.0;
    for (int s = 0; s < series.size(); ++s) {
        const ChartSeries& one = series[s];
        auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
        bars->setName(one.name);
        bars->setWidth(barWidth * 0.95);
        bars->setPen(Qt::NoPen);
        bars->setBrush(seriesColor(one.colorIndex >= 0 ? one.colorIndex : s));
        QVector<double> x;
        QVector<double> y;
        for (int g = 0; g < groups && g < one.y.size(); ++g) {
            x << g + 1 - groupWidth / 2 + barWidth * (s + 0.5);
            y << one.y[g];
            maxValue = std::max(maxValue, one.y[g]);
        }
        bars->setData(x, y);
        if (one.low.size() == one.y.size() && one.high.size() == one.y.size()) {
            auto* errors = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
            errors->removeFromLegend();
            errors->setDataPlottable(bars);
            QVector<double> minus;
            QVector<double> plus;
            for (int g = 0; g < x.size(); ++g) {
                minus << std::max(0.0, one.y[g] - one.low[g]);
                plus << std::max(0.0, one.high[g] - one.y[g]);
                maxValue = std::max(maxValue, one.high[g]);
            }
            errors->setData(minus, plus);
        }
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int g = 0; g < groups; ++g) ticker->addTick(g + 1, categories[g]);
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setTickLabelRotation(groups > 6 ? 30 : 0);
    plot_->xAxis->setRange(0.4, groups + 0.6);
    plot_->yAxis->setRange(0, maxValue > 0 ? maxValue * 1.15 : 1.0);
    finish();
}

void ChartWidget::showLines(const QVector<ChartSeries>& series, bool logX, bool logY) {
    prepare(logX, logY);
    for (int s = 0; s < series.size(); ++s) {
        auto* graph = plot_->addGraph();
        graph->setName(series[s].name);
        graph->setPen(QPen(seriesColor(series[s].colorIndex >= 0 ? series[s].colorIndex : s), 2));
        graph->setData(series[s].x, series[s].y);
    }
    plot_->rescaleAxes();
    // rescaleAxes puts the extreme values on the frame, where a curve that levels off at its
    // minimum (a converged loss) would vanish into the axis line.
    plot_->yAxis->scaleRange(1.1);
    finish();
}

void ChartWidget::showScatter(const QVector<ChartSeries>& series, bool logX, bool logY) {
    prepare(logX, logY);
    for (int s = 0; s < series.size(); ++s) {
        auto* graph = plot_->addGraph();
        graph->setName(series[s].name);
        graph->setLineStyle(QCPGraph::lsNone);
        QColor color = seriesColor(series[s].colorIndex >= 0 ? series[s].colorIndex : s);
        color.setAlpha(140);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 4));
        graph->setData(series[s].x, series[s].y);
    }
    plot_->rescaleAxes();
    finish();
}

bool ChartWidget::exportPng(const QString& path, int width, int height) {
    return plot_->savePng(path, width, height);
}

bool ChartWidget::exportPdf(const QString& path, int width, int height) {
    return plot_->savePdf(path, width, height);
}

}  // namespace animerec::ui

#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;

namespace animerec::ui {

// One named series of a chart. For bar charts `x` is unused and `low`/`high` (optional, same
// length as `y`) draw a confidence interval on each bar.
struct ChartSeries {
    QString name;
    QVector<double> x;
    QVector<double> y;
    QVector<double> low;
    QVector<double> high;
    int colorIndex =
        -1;  // palette entry; -1 = the series' position (keeps models' colours aligned)
};

// Wraps QCustomPlot so panels only say what to draw: grouped bars with error bars, lines, or
// scatter; titles, axis labels and legends are always set; export to PNG/PDF.
class ChartWidget : public QWidget {
    Q_OBJECT
public:
    explicit ChartWidget(const QString& title, QWidget* parent = nullptr);

    void setAxisLabels(const QString& xLabel, const QString& yLabel);
    // Grouped bars: one group per category, one bar per series inside it.
    void showBars(const QStringList& categories, const QVector<ChartSeries>& series);
    // One line per series over its own x values. `logX` for long-tail charts.
    void showLines(const QVector<ChartSeries>& series, bool logX = false, bool logY = false);
    // Points rather than lines (e.g. item popularity vs recommendation frequency).
    void showScatter(const QVector<ChartSeries>& series, bool logX = false, bool logY = false);
    // No data: the axes give way to a line saying why (`why`; "Nothing to draw yet." if empty).
    void clear(const QString& why = QString());

    // Number of graphs/bars currently plotted (tests check charts received data).
    int plottableCount() const;
    // The sentence an empty chart shows instead of axes ("" when it draws data).
    QString emptyMessage() const;
    QString title() const { return title_; }

    bool exportPng(const QString& path, int width = 1000, int height = 600);
    bool exportPdf(const QString& path, int width = 1000, int height = 600);

    static QColor seriesColor(int index);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void prepare(bool logX, bool logY);
    void placeLegend(bool visible);
    void fitLegend();
    void finish();

    QString title_;
    QString xLabel_;
    QString yLabel_;
    QCustomPlot* plot_ = nullptr;
};

}  // namespace animerec::ui

#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include "eval/evaluation_report.h"

namespace animerec::ui {

// One row per model of an EvaluationReport, with the metrics at the chosen cut-off K; the
// headline metrics show their 95% bootstrap interval next to the value.
class EvaluationResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit EvaluationResultsModel(QObject* parent = nullptr);

    void setReport(const EvaluationReport& report, int k);
    const EvaluationReport& report() const { return report_; }
    int k() const { return k_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The table as CSV (RFC 4180): model, users, every metric at K with separate ci_low/ci_high
    // columns for those that have an interval, train and evaluation seconds.
    QString toCsv() const;

private:
    struct Column {
        QString header;
        QString metric;  // "" for the fixed columns
    };
    double metricValue(int row, const QString& key) const;
    bool hasInterval(const QString& metric) const;

    EvaluationReport report_;
    int k_ = 10;
    QVector<Column> columns_;
};

}  // namespace animerec::ui

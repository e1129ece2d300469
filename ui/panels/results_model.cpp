#include "panels/results_model.h"

#include <algorithm>
#include <cmath>

namespace animerec::ui {

namespace {

const QStringList kMetrics{QStringLiteral("precision"), QStringLiteral("recall"),
                           QStringLiteral("ndcg"),      QStringLiteral("map"),
                           QStringLiteral("mrr"),       QStringLiteral("hitrate"),
                           QStringLiteral("coverage"),  QStringLiteral("novelty"),
                           QStringLiteral("diversity"), QStringLiteral("popularity")};

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(double value, int decimals = 4) {
    return std::isfinite(value) ? QString::number(value, 'f', decimals) : QString();
}

}  // namespace

EvaluationResultsModel::EvaluationResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvaluationResultsModel::setReport(const EvaluationReport& report, int k) {
    beginResetModel();
    report_ = report;
    k_ = k;
    columns_ = {{tr("Model"), {}}, {tr("Users"), {}}};
    for (const QString& metric : kMetrics)
        columns_.push_back({QStringLiteral("%1@%2").arg(metric).arg(k), metric});
    const bool rated =
        std::any_of(report_.models.begin(), report_.models.end(),
                    [](const ModelReport& model) { return model.metrics.count("rmse") > 0; });
    if (rated)
        columns_ << Column{QStringLiteral("rmse"), QStringLiteral("rmse")}
                 << Column{QStringLiteral("mae"), QStringLiteral("mae")};
    columns_ << Column{tr("Train s"), {}} << Column{tr("Eval s"), {}};
    endResetModel();
}

int EvaluationResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(report_.models.size());
}

int EvaluationResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

double EvaluationResultsModel::metricValue(int row, const QString& key) const {
    const auto& metrics = report_.models[static_cast<std::size_t>(row)].metrics;
    const auto it = metrics.find(key.toStdString());
    return it == metrics.end() ? std::nan("") : it->second;
}

bool EvaluationResultsModel::hasInterval(const QString& metric) const {
    const QString key = metric == QLatin1String("rmse") || metric == QLatin1String("mae")
                            ? metric
                            : QStringLiteral("%1@%2").arg(metric).arg(k_);
    for (int row = 0; row < rowCount(); ++row)
        if (std::isfinite(metricValue(row, key + QStringLiteral("_ci_low")))) return true;
    return false;
}

QVariant EvaluationResultsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const ModelReport& model = report_.models[static_cast<std::size_t>(index.row())];
    const Column& column = columns_[index.column()];
    if (role == Qt::TextAlignmentRole)
        return index.column() == 0 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::UserRole) return {};
    if (index.column() == 0) return QString::fromStdString(model.model);
    if (index.column() == 1) return model.evaluatedUsers;
    if (column.metric.isEmpty()) {
        const double seconds =
            index.column() == columnCount() - 2 ? model.trainSeconds : model.evalSeconds;
        return role == Qt::UserRole ? QVariant(seconds) : QVariant(number(seconds, 2));
    }
    const QString key =
        column.metric == QLatin1String("rmse") || column.metric == QLatin1String("mae")
            ? column.metric
            : QStringLiteral("%1@%2").arg(column.metric).arg(k_);
    const double value = metricValue(index.row(), key);
    if (role == Qt::UserRole) return value;
    const double low = metricValue(index.row(), key + QStringLiteral("_ci_low"));
    const double high = metricValue(index.row(), key + QStringLiteral("_ci_high"));
    const int decimals =
        column.metric == QLatin1String("novelty") || column.metric == QLatin1String("popularity")
            ? 2
            : 4;
    if (!std::isfinite(low) || !std::isfinite(high)) return number(value, decimals);
    if (role == Qt::ToolTipRole)
        return tr("95% bootstrap interval: %1 – %2").arg(number(low), number(high));
    return QStringLiteral("%1 [%2, %3]").arg(number(value), number(low), number(high));
}

QVariant EvaluationResultsModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section >= columns_.size())
        return {};
    return columns_[section].header;
}

QString EvaluationResultsModel::toCsv() const {
    QStringList header;
    QVector<int> columnIds;
    for (int c = 0; c < columnCount(); ++c) {
        const Column& column = columns_[c];
        if (c == 0)
            header << QStringLiteral("model");
        else if (c == 1)
            header << QStringLiteral("users");
        else if (column.metric.isEmpty())
            header << (c == columnCount() - 2 ? QStringLiteral("train_seconds")
                                              : QStringLiteral("eval_seconds"));
        else
            header << column.header;
        if (!column.metric.isEmpty() && hasInterval(column.metric))
            header << column.header + QStringLiteral("_ci_low")
                   << column.header + QStringLiteral("_ci_high");
    }
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int row = 0; row < rowCount(); ++row) {
        QStringList fields;
        for (int c = 0; c < columnCount(); ++c) {
            const Column& column = columns_[c];
            if (c == 0) {
                fields << csvField(
                    QString::fromStdString(report_.models[static_cast<std::size_t>(row)].model));
                continue;
            }
            if (c == 1) {
                fields << QString::number(
                    report_.models[static_cast<std::size_t>(row)].evaluatedUsers);
                continue;
            }
            const double value = data(index(row, c), Qt::UserRole).toDouble();
            fields << number(value, 6);
            if (!column.metric.isEmpty() && hasInterval(column.metric)) {
                const QString key = column.header;
                fields << number(metricValue(row, key + QStringLiteral("_ci_low")), 6)
                       << number(metricValue(row, key + QStringLiteral("_ci_high")), 6);
            }
        }
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

}  // namespace animerec::ui

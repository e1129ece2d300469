#include "panels/history_view.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace animerec::ui {

namespace {
const QColor kExplainsColor(187, 222, 251);  // soft blue: "this is why"
}

HistoryView::HistoryView(QWidget* parent)
    : QWidget(parent), header_(new QLabel(this)), table_(new QTableWidget(this)) {
    setObjectName(QStringLiteral("historyView"));
    table_->setObjectName(QStringLiteral("historyTable"));
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);
    table_->setColumnCount(4);
    table_->setHorizontalHeaderLabels({tr("#"), tr("Title"), tr("Rating"), tr("Status")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    table_->setWordWrap(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(header_);
    layout->addWidget(table_);
    connect(table_, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { emit animeActivated(ids_.value(row)); });
    showMessage(tr("A user's history appears here."));
}

void HistoryView::showHistory(const QString& heading, const QJsonArray& rows) {
    header_->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                         .arg(tr("History").toHtmlEscaped(), heading.toHtmlEscaped()));
    table_->setRowCount(static_cast<int>(rows.size()));
    ids_.clear();
    for (int r = 0; r < rows.size(); ++r) {
        const QJsonObject row = rows.at(r).toObject();
        ids_ << row.value(QStringLiteral("anime_id")).toInteger();
        const QJsonValue rating = row.value(QStringLiteral("rating"));
        const QStringList cells{
            QString::number(row.value(QStringLiteral("position")).toInteger(r + 1)),
            row.value(QStringLiteral("title")).toString(),
            rating.isNull() || rating.isUndefined() ? QStringLiteral("-")
                                                    : QString::number(rating.toDouble()),
            // The status names the explorer's text answers translate.
            QCoreApplication::translate(
                "ExplorerText",
                row.value(QStringLiteral("status")).toString().toUtf8().constData())};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(QStringLiteral("%1 (id %2), order %3")
                                 .arg(cells[1])
                                 .arg(ids_.back())
                                 .arg(row.value(QStringLiteral("order")).toVariant().toString()));
            if (c == 0 || c == 2) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(r, c, item);
        }
    }
}

void HistoryView::showMessage(const QString& message) {
    header_->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                         .arg(tr("History").toHtmlEscaped(), message.toHtmlEscaped()));
    table_->setRowCount(0);
    ids_.clear();
}

int HistoryView::highlight(const QSet<qint64>& animeIds) {
    int marked = 0;
    int first = -1;
    for (int r = 0; r < table_->rowCount(); ++r) {
        const bool explains = animeIds.contains(ids_.value(r));
        for (int c = 0; c < table_->columnCount(); ++c)
            if (auto* item = table_->item(r, c))
                item->setBackground(explains ? QBrush(kExplainsColor) : QBrush());
        if (explains) {
            ++marked;
            if (first < 0) first = r;
        }
    }
    if (first >= 0) table_->scrollToItem(table_->item(first, 0));
    return marked;
}

int HistoryView::rowCount() const { return table_->rowCount(); }

QVector<qint64> HistoryView::highlighted() const {
    QVector<qint64> result;
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, 0) && table_->item(r, 0)->background().style() != Qt::NoBrush)
            result << ids_.value(r);
    return result;
}

}  // namespace animerec::ui

#include "panels/recommendation_list.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QResizeEvent>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace animerec::ui {

namespace {
const QColor kSharedColor(255, 236, 179);  // soft amber: "several models agree"

// Counts (popularity's members, 793,706) in full with the locale's digit grouping, where four
// significant digits would print "7.937e+05"; model scores (0.3849, 4.046) to four digits.
QString scoreText(double score) {
    if (std::abs(score) >= 1e4) return QLocale().toString(static_cast<qint64>(std::llround(score)));
    return QString::number(score, 'g', 4);
}
}  // namespace

RecommendationList::RecommendationList(const QString& family, QWidget* parent)
    : QWidget(parent), family_(family), header_(new QLabel(this)), table_(new QTableWidget(this)) {
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);
    table_->setColumnCount(4);
    table_->setHorizontalHeaderLabels({tr("#"), tr("Title"), tr("Genres"), tr("Score")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    table_->setColumnWidth(2, 120);
    table_->setWordWrap(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(header_);
    layout->addWidget(table_);
    table_->setMouseTracking(true);
    connect(table_, &QTableWidget::cellEntered, this,
            [this](int row, int) { emit animeFocused(ids_.value(row)); });
    connect(table_, &QTableWidget::currentCellChanged, this,
            [this](int row, int, int, int) { emit animeFocused(ids_.value(row)); });
    connect(table_, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { emit animeActivated(ids_.value(row)); });
    showMessage(tr("No query yet."));
}

void RecommendationList::showRows(const QString& model, const QString& version,
                                  const QString& strategy, const QVector<Row>& rows) {
    strategy_ = strategy;
    header_->setText(QStringLiteral("<b>%1</b><br><small>%2 · %3<br><i>%4</i></small>")
                         .arg(family_.toHtmlEscaped(), model.toHtmlEscaped(),
                              version.toHtmlEscaped(), strategy.toHtmlEscaped()));
    table_->setRowCount(static_cast<int>(rows.size()));
    ids_.clear();
    for (int r = 0; r < rows.size(); ++r) {
        const Row& row = rows[r];
        ids_ << row.animeId;
        const QString tip = row.why.isEmpty() ? strategy : row.why;
        const QStringList cells{QString::number(r + 1), row.title, row.genres,
                                scoreText(row.score)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(
                QStringLiteral("%1 (id %2)\n%3").arg(row.title).arg(row.animeId).arg(tip));
            if (c == 0 || c == 3) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(r, c, item);
        }
    }
}

void RecommendationList::showMessage(const QString& message) {
    header_->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                         .arg(family_.toHtmlEscaped(), message.toHtmlEscaped()));
    table_->setRowCount(0);
    ids_.clear();
    strategy_.clear();
}

void RecommendationList::highlight(const QSet<qint64>& shared) {
    for (int r = 0; r < table_->rowCount(); ++r) {
        const bool agreed = shared.contains(ids_.value(r));
        for (int c = 0; c < table_->columnCount(); ++c)
            if (auto* item = table_->item(r, c))
                item->setBackground(agreed ? QBrush(kSharedColor) : QBrush());
    }
}

void RecommendationList::resizeEvent(QResizeEvent* event) {
    // Narrow lists (four side by side on a small screen) drop the genres column; the tooltip
    // still names the title and why it is there.
    table_->setColumnHidden(2, width() < 330);
    QWidget::resizeEvent(event);
}

QVector<qint64> RecommendationList::animeIds() const { return ids_; }
int RecommendationList::rowCount() const { return table_->rowCount(); }

}  // namespace animerec::ui

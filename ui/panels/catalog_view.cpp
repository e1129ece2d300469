#include "panels/catalog_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include "storage/browsing_connections.h"
#include "storage/browsing_tables.h"
#include "studio_context.h"

namespace animerec::ui {

namespace {

const QString kAny = QObject::tr("(any)");

}  // namespace

CatalogView::CatalogView(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      search_(new QLineEdit(this)),
      genre_(new QComboBox(this)),
      type_(new QComboBox(this)),
      count_(new QLabel(this)),
      table_(new QTableView(this)),
      model_(new storage::CatalogTable(this)) {
    search_->setObjectName(QStringLiteral("search"));
    search_->setPlaceholderText(tr("Search titles…"));
    search_->setClearButtonEnabled(true);
    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Title:"), this));
    filters->addWidget(search_, 2);
    filters->addWidget(new QLabel(tr("Genre:"), this));
    filters->addWidget(genre_, 1);
    filters->addWidget(new QLabel(tr("Type:"), this));
    filters->addWidget(type_);
    filters->addWidget(count_);

    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->setWordWrap(false);
    table_->horizontalHeader()->setStretchLastSection(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(table_);

    connect(search_, &QLineEdit::textChanged, this, &CatalogView::applyFilter);
    connect(genre_, &QComboBox::currentIndexChanged, this, &CatalogView::applyFilter);
    connect(type_, &QComboBox::currentIndexChanged, this, &CatalogView::applyFilter);
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& index) {
        emit animeActivated(model_->index(index.row(), 0).data().toLongLong());
    });
    reload();
}

void CatalogView::reload() {
    const QSignalBlocker blockGenre(genre_);
    const QSignalBlocker blockType(type_);
    genre_->clear();
    type_->clear();
    genre_->addItem(kAny);
    type_->addItem(kAny);
    genre_->addItems(storage::catalogGenres(context_->connections()));
    type_->addItems(storage::catalogTypes(context_->connections()));
    applyFilter();
}

void CatalogView::applyFilter() {
    if (!context_->connections().isOpen()) {
        model_->clear();
        count_->setText(tr("no data"));
        return;
    }
    model_->search(context_->connections(), search_->text().trimmed(),
                   genre_->currentIndex() > 0 ? genre_->currentText() : QString(),
                   type_->currentIndex() > 0 ? type_->currentText() : QString());
    count_->setText(tr("%n title(s)", nullptr, model_->rowCount()));
    table_->resizeColumnsToContents();
    table_->setColumnWidth(1, std::min(table_->columnWidth(1), 360));
    table_->setColumnWidth(2, std::min(table_->columnWidth(2), 300));
}

int CatalogView::rowCount() const { return model_->rowCount(); }

}  // namespace animerec::ui

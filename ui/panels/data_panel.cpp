#include "panels/data_panel.h"

#include <QLabel>
#include <QPushButton>
#include <QStackedLayout>
#include <QTabWidget>
#include <QVBoxLayout>

#include "panels/catalog_view.h"
#include "panels/user_browser.h"
#include "studio_context.h"

namespace animerec::ui {

DataPanel::DataPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent), context_(context), stack_(new QStackedLayout(this)) {
    emptyState_ = new QWidget(this);
    auto* emptyLayout = new QVBoxLayout(emptyState_);
    auto* message = new QLabel(
        tr("<h2>No data yet</h2><p>Import MyAnimeList CSV files (anime.csv and "
           "animelist.csv / rating.csv) or load the demo data: the real sample of 12,294 anime "
           "and the ratings of 1,036 users.</p>"),
        emptyState_);
    message->setAlignment(Qt::AlignCenter);
    auto* importButton = new QPushButton(tr("Import CSV files…"), emptyState_);
    auto* generateButton = new QPushButton(tr("Load demo data (real sample)"), emptyState_);
    emptyLayout->addStretch();
    emptyLayout->addWidget(message);
    emptyLayout->addWidget(importButton, 0, Qt::AlignHCenter);
    emptyLayout->addWidget(generateButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();

    tabs_ = new QTabWidget(this);
    catalog_ = new CatalogView(context_, tabs_);
    users_ = new UserBrowser(context_, tabs_);
    tabs_->addTab(catalog_, tr("Catalogue"));
    tabs_->addTab(users_, tr("Users"));

    stack_->addWidget(emptyState_);
    stack_->addWidget(tabs_);

    connect(importButton, &QPushButton::clicked, this, &DataPanel::importRequested);
    connect(generateButton, &QPushButton::clicked, this, &DataPanel::generateRequested);
    connect(context_, &StudioContext::dataChanged, this, &DataPanel::reload);
    reload();
}

void DataPanel::reload() {
    const bool hasData = context_->hasData();
    stack_->setCurrentWidget(hasData ? static_cast<QWidget*>(tabs_) : emptyState_);
    if (hasData) {
        catalog_->reload();
        users_->reload();
    }
}

bool DataPanel::showsEmptyState() const { return stack_->currentWidget() == emptyState_; }

}  // namespace animerec::ui

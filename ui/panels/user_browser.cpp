#include "panels/user_browser.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "storage/browsing_connections.h"
#include "storage/browsing_tables.h"
#include "studio_context.h"

namespace animerec::ui {

namespace {

QTableView* makeTable(QWidget* parent, QAbstractItemModel* model) {
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(22);
    table->setWordWrap(false);
    return table;
}

}  // namespace

UserBrowser::UserBrowser(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      search_(new QLineEdit(this)),
      usersModel_(new storage::UserTable(this)),
      historyTitle_(new QLabel(tr("Select a user to see their history."), this)),
      historyModel_(new storage::UserHistoryTable(this)) {
    users_ = makeTable(this, usersModel_);
    history_ = makeTable(this, historyModel_);
    search_->setPlaceholderText(tr("User id or name…"));
    search_->setClearButtonEnabled(true);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(search_);
    leftLayout->addWidget(users_);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(historyTitle_);
    rightLayout->addWidget(history_);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(search_, &QLineEdit::textChanged, this, &UserBrowser::applyFilter);
    connect(users_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid()) return;
                const qint64 userId = usersModel_->index(current.row(), 0).data().toLongLong();
                loadHistory(userId);
                emit userSelected(userId);
            });
    reload();
}

void UserBrowser::reload() { applyFilter(); }

void UserBrowser::applyFilter() {
    if (!context_->connections().isOpen()) {
        usersModel_->clear();
        historyModel_->clear();
        return;
    }
    usersModel_->search(context_->connections(), search_->text());
    users_->resizeColumnsToContents();
    if (usersModel_->rowCount() > 0) users_->selectRow(0);  // never an empty history pane
}

void UserBrowser::loadHistory(qint64 userId) {
    if (const QSqlError error = historyModel_->show(context_->connections(), userId);
        error.isValid()) {
        historyTitle_->setText(
            tr("User %1: the history could not be read: %2").arg(userId).arg(error.text()));
        return;
    }
    historyTitle_->setText(
        tr("User %1: %n title(s) in sequence order", nullptr, historyModel_->rowCount())
            .arg(userId));
    history_->resizeColumnsToContents();
    history_->setColumnWidth(1, std::min(history_->columnWidth(1), 340));
    history_->setColumnWidth(2, std::min(history_->columnWidth(2), 260));
}

bool UserBrowser::showUser(qint64 userId) {
    search_->setText(QString::number(userId));
    for (int row = 0; row < usersModel_->rowCount(); ++row) {
        if (usersModel_->index(row, 0).data().toLongLong() == userId) {
            users_->selectRow(row);
            loadHistory(userId);
            return true;
        }
    }
    return false;
}

int UserBrowser::userRowCount() const { return usersModel_->rowCount(); }
int UserBrowser::historyRowCount() const { return historyModel_->rowCount(); }

}  // namespace animerec::ui

#include "panels/user_browser.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QTableView>
#include <QVBoxLayout>

#include "studio_context.h"

namespace animerec::ui {

namespace {

// Counting per user over the whole table is too slow at the 100M-row scale, so the list shows
// the first users by id (or the matches of a search); the count comes from the per-user index.
constexpr auto kUsersQuery = R"(
    SELECT u.user_id AS "User", COALESCE(u.name, '') AS "Name",
           (SELECT COUNT(*) FROM UserAnimeInteractions i WHERE i.user_id = u.user_id) AS "Titles"
    FROM Users u
    WHERE (? = '' OR CAST(u.user_id AS TEXT) = ? OR lower(u.name) LIKE '%' || lower(?) || '%')
    ORDER BY u.user_id
    LIMIT 2000)";

constexpr auto kHistoryQuery = R"(
    SELECT i.interaction_id AS "#", a.title AS "Title", a.genre AS "Genres",
           i.rating AS "Rating",
           CASE i.status WHEN 1 THEN 'Watching' WHEN 2 THEN 'Completed' WHEN 3 THEN 'On-Hold'
                         WHEN 4 THEN 'Dropped' WHEN 6 THEN 'Plan to Watch' ELSE '' END AS "Status",
           CASE WHEN i.watched_episodes IS NULL THEN '' ELSE
                CAST(i.watched_episodes AS TEXT) || ' / ' ||
                COALESCE(CAST(a.episodes AS TEXT), '?') END AS "Episodes"
    FROM UserAnimeInteractions i JOIN Anime a ON a.anime_id = i.anime_id
    WHERE i.user_id = ?
    ORDER BY COALESCE(i.timestamp, i.interaction_id), i.interaction_id)";

QTableView* makeTable(QWidget* parent, QSqlQueryModel* model) {
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
      usersModel_(new QSqlQueryModel(this)),
      historyTitle_(new QLabel(tr("Select a user to see their history."), this)),
      historyModel_(new QSqlQueryModel(this)) {
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
    QSqlDatabase db = context_->database();
    if (!db.isOpen()) {
        usersModel_->clear();
        historyModel_->clear();
        return;
    }
    QSqlQuery query(db);
    query.prepare(QString::fromLatin1(kUsersQuery));
    const QString search =
        search_->text().trimmed().isEmpty() ? QStringLiteral("") : search_->text().trimmed();
    for (int i = 0; i < 3; ++i) query.addBindValue(search);
    query.exec();
    usersModel_->setQuery(std::move(query));
    users_->resizeColumnsToContents();
    if (usersModel_->rowCount() > 0) users_->selectRow(0);  // never an empty history pane
}

void UserBrowser::loadHistory(qint64 userId) {
    QSqlQuery query(context_->database());
    query.prepare(QString::fromLatin1(kHistoryQuery));
    query.addBindValue(userId);
    const bool ok = query.exec();
    const QString error = ok ? QString() : query.lastError().text();
    historyModel_->setQuery(std::move(query));
    while (historyModel_->canFetchMore()) historyModel_->fetchMore();
    if (!ok) {
        historyTitle_->setText(
            tr("User %1: the history could not be read: %2").arg(userId).arg(error));
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

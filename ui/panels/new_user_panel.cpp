#include "panels/new_user_panel.h"

#include <QCompleter>
#include <QDateEdit>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlError>
#include <QStringListModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "data/dataset.h"
#include "panels/recommendation_list.h"
#include "service/recommend_service.h"
#include "storage/browsing_connections.h"
#include "storage/user_history.h"
#include "studio_context.h"

namespace animerec::ui {

namespace {

using service::ModelRole;

constexpr std::array kRoles{ModelRole::Popularity, ModelRole::Content, ModelRole::Collaborative,
                            ModelRole::Session};
const char* const kFamilyTitles[] = {"Popularity", "Content-based", "Collaborative",
                                     "Session-based"};
const char* const kListNames[] = {"popularity", "content", "collaborative", "session"};

}  // namespace

NewUserPanel::NewUserPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      name_(new QLineEdit(this)),
      joinDate_(new QDateEdit(QDate::currentDate(), this)),
      userLabel_(
          new QLabel(tr("No user yet: the lists show what a brand-new visitor gets."), this)),
      genres_(new QListWidget(this)),
      titleSearch_(new QLineEdit(this)),
      rating_(new QSpinBox(this)),
      historyTable_(new QTableWidget(0, 2, this)) {
    name_->setPlaceholderText(tr("Name"));
    joinDate_->setCalendarPopup(true);
    auto* create = new QPushButton(tr("Create user"), this);
    auto* userBox = new QGroupBox(tr("1. User"), this);
    auto* userForm = new QFormLayout(userBox);
    userForm->addRow(tr("Name:"), name_);
    userForm->addRow(tr("Joined:"), joinDate_);
    userForm->addRow(create);
    userForm->addRow(userLabel_);
    userLabel_->setWordWrap(true);

    auto* genreBox = new QGroupBox(tr("2. Favourite genres"), this);
    auto* genreLayout = new QVBoxLayout(genreBox);
    genreLayout->addWidget(genres_);

    titleSearch_->setPlaceholderText(tr("Type a title…"));
    rating_->setRange(1, 10);
    rating_->setValue(9);
    rating_->setPrefix(tr("rating "));
    auto* add = new QPushButton(tr("Add"), this);
    historyTable_->setObjectName(QStringLiteral("ratedTitles"));
    historyTable_->setHorizontalHeaderLabels({tr("Title"), tr("Rating")});
    historyTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    historyTable_->verticalHeader()->hide();
    historyTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* rateBox = new QGroupBox(tr("3. Rate a few titles"), this);
    auto* rateLayout = new QVBoxLayout(rateBox);
    auto* rateRow = new QHBoxLayout;
    rateRow->addWidget(titleSearch_, 1);
    rateRow->addWidget(rating_);
    rateRow->addWidget(add);
    rateLayout->addLayout(rateRow);
    rateLayout->addWidget(historyTable_);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(userBox);
    leftLayout->addWidget(genreBox, 1);
    leftLayout->addWidget(rateBox, 1);
    left->setMaximumWidth(380);

    auto* listsBox = new QWidget(this);
    auto* listsLayout = new QHBoxLayout(listsBox);
    listsLayout->setContentsMargins(0, 0, 0, 0);
    for (std::size_t f = 0; f < kRoles.size(); ++f) {
        lists_[f] = new RecommendationList(tr(kFamilyTitles[f]), listsBox);
        lists_[f]->setObjectName(QStringLiteral("list-") + kListNames[f]);
        listsLayout->addWidget(lists_[f]);
    }
    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(listsBox);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(create, &QPushButton::clicked, this, [this] { createUser(name_->text()); });
    connect(genres_, &QListWidget::itemChanged, this, &NewUserPanel::refresh);
    const auto addTyped = [this] {
        const auto service = context_->service();
        if (!service) return;
        const QString typed = titleSearch_->text().trimmed();
        for (const AnimeRecord& anime : service->dataset().catalog.items()) {
            if (QString::fromStdString(anime.title).compare(typed, Qt::CaseInsensitive) == 0) {
                addTitle(anime.animeId, rating_->value());
                titleSearch_->clear();
                return;
            }
        }
        userLabel_->setText(tr("'%1' is not a title of the catalogue.").arg(typed));
    };
    connect(add, &QPushButton::clicked, this, addTyped);
    connect(titleSearch_, &QLineEdit::returnPressed, this, addTyped);
    connect(context_, &StudioContext::serviceChanged, this, [this] {
        reloadChoices();
        refresh();
    });
    reloadChoices();
    refresh();
}

void NewUserPanel::reloadChoices() {
    const auto service = context_->service();
    const QStringList checked = favouriteGenres();
    const QSignalBlocker block(genres_);
    genres_->clear();
    if (!service) return;
    QStringList names;
    for (const std::string& genre : service->dataset().catalog.genreNames())
        names << QString::fromStdString(genre);
    names.sort();
    for (const QString& name : names) {
        auto* item = new QListWidgetItem(name, genres_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    QStringList titles;
    for (const AnimeRecord& anime : service->dataset().catalog.items())
        titles << QString::fromStdString(anime.title);
    auto* completer = new QCompleter(titles, titleSearch_);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    titleSearch_->setCompleter(completer);
}

QStringList NewUserPanel::favouriteGenres() const {
    QStringList names;
    for (int row = 0; row < genres_->count(); ++row)
        if (genres_->item(row)->checkState() == Qt::Checked) names << genres_->item(row)->text();
    return names;
}

void NewUserPanel::setFavouriteGenres(const QStringList& genres) {
    const QSignalBlocker block(genres_);
    for (int row = 0; row < genres_->count(); ++row)
        genres_->item(row)->setCheckState(
            genres.contains(genres_->item(row)->text()) ? Qt::Checked : Qt::Unchecked);
    refresh();
}

qint64 NewUserPanel::createUser(const QString& name) {
    const storage::UserHistoryStore users = context_->connections().userHistory();
    QSqlError error;
    const auto next = users.nextUserId(&error);
    if (!next) {
        userLabel_->setText(tr("Cannot create a user: no database (import data first)."));
        qWarning("new user: %s", qPrintable(error.text()));
        return 0;
    }
    const qint64 id = *next;
    if (const QSqlError created = users.createUser(id, name, joinDate_->date());
        created.isValid()) {
        userLabel_->setText(tr("Cannot create the user: %1").arg(created.text()));
        qWarning("new user: %s", qPrintable(created.text()));
        return 0;
    }
    userId_ = id;
    history_.clear();
    historyTable_->setRowCount(0);
    userLabel_->setText(tr("User %1 (%2) created; ratings are saved to the database.")
                            .arg(id)
                            .arg(name.trimmed().isEmpty() ? tr("no name") : name.trimmed()));
    refresh();
    return id;
}

bool NewUserPanel::addTitle(qint64 animeId, int rating) {
    const auto service = context_->service();
    const AnimeRecord* anime = service ? service->anime(animeId) : nullptr;
    if (!anime) return false;
    if (userId_ != 0) {
        // Rated in the panel: a title the user has seen to its end.
        storage::HistoryEntry entry;
        entry.userId = userId_;
        entry.animeId = animeId;
        entry.rating = rating;
        entry.status = WatchStatus::Completed;
        entry.timestamp = QDateTime::currentSecsSinceEpoch();
        if (const QSqlError error = context_->connections().userHistory().add(entry);
            error.isValid()) {
            userLabel_->setText(tr("Could not store the rating: %1").arg(error.text()));
            return false;
        }
    }
    history_.push_back(animeId);
    const int row = historyTable_->rowCount();
    historyTable_->insertRow(row);
    historyTable_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(anime->title)));
    historyTable_->setItem(row, 1, new QTableWidgetItem(QString::number(rating)));
    refresh();
    return true;
}

void NewUserPanel::refresh() {
    const auto service = context_->service();
    if (!service) {
        for (auto* list : lists_) list->showMessage(tr("Models are not loaded yet."));
        return;
    }
    std::vector<std::string> genres;
    for (const QString& genre : favouriteGenres()) genres.push_back(genre.toStdString());
    QHash<qint64, int> votes;
    for (std::size_t f = 0; f < kRoles.size(); ++f) {
        const auto answer = service->forSession(kRoles[f], history_, 10, genres);
        if (const auto* error = std::get_if<service::ServiceError>(&answer)) {
            lists_[f]->showMessage(error->message);
            continue;
        }
        const auto& result = std::get<service::Recommendation>(answer);
        QVector<RecommendationList::Row> rows;
        for (const auto& item : result.items) {
            const AnimeRecord& anime = service->animeAt(item.item);
            rows.push_back({anime.animeId, QString::fromStdString(anime.title),
                            QString::fromStdString(joinGenres(anime.genres)), item.score,
                            result.strategy});
            ++votes[anime.animeId];
        }
        lists_[f]->showRows(result.model, result.modelVersion, result.strategy, rows);
    }
    QSet<qint64> shared;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it)
        if (it.value() >= 2) shared.insert(it.key());
    for (auto* list : lists_) list->highlight(shared);
}

}  // namespace animerec::ui

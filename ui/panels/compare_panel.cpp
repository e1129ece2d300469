#include "panels/compare_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "data/dataset.h"
#include "explore/explorer.h"
#include "panels/history_view.h"
#include "panels/recommendation_list.h"
#include "service/recommend_service.h"
#include "studio_context.h"

namespace animerec::ui {

namespace {

using service::ModelRole;
using service::Outcome;
using service::Recommendation;

constexpr std::array kRoles{ModelRole::Popularity, ModelRole::Content, ModelRole::Collaborative,
                            ModelRole::Session};

QString familyTitle(ModelRole role) {
    switch (role) {
        case ModelRole::Popularity:
            return QObject::tr("Popularity");
        case ModelRole::Content:
            return QObject::tr("Content-based");
        case ModelRole::Collaborative:
            return QObject::tr("Collaborative");
        case ModelRole::Session:
            return QObject::tr("Session-based");
    }
    return {};
}

// Anime ids from "1, 5, 30" or titles "Cowboy Bebop; Trigun" (first case-insensitive match).
std::vector<std::int64_t> parseSession(const QString& text, const Dataset& data,
                                       QStringList& unknown) {
    std::vector<std::int64_t> ids;
    const QChar separator = text.contains(';') ? QChar(';') : QChar(',');
    for (const QString& raw : text.split(separator, Qt::SkipEmptyParts)) {
        const QString part = raw.trimmed();
        bool isNumber = false;
        const qint64 id = part.toLongLong(&isNumber);
        if (isNumber && data.catalog.indexOf(id)) {
            ids.push_back(id);
            continue;
        }
        bool found = false;
        for (const AnimeRecord& anime : data.catalog.items()) {
            if (QString::fromStdString(anime.title).compare(part, Qt::CaseInsensitive) == 0) {
                ids.push_back(anime.animeId);
                found = true;
                break;
            }
        }
        if (!found) unknown << part;
    }
    return ids;
}

// A typed session as history rows (no rating or status: only the order).
QJsonArray sessionRows(const service::RecommendService& service,
                       const std::vector<std::int64_t>& ids) {
    QJsonArray rows;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const AnimeRecord* anime = service.anime(ids[i]);
        rows.append(QJsonObject{
            {QStringLiteral("anime_id"), static_cast<qint64>(ids[i])},
            {QStringLiteral("title"), anime ? QString::fromStdString(anime->title) : QString()},
            {QStringLiteral("position"), static_cast<qint64>(i + 1)},
            {QStringLiteral("rating"), QJsonValue()},
            {QStringLiteral("status"), QObject::tr("session")},
            {QStringLiteral("order"), static_cast<qint64>(i + 1)}});
    }
    return rows;
}

}  // namespace

ComparePanel::ComparePanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      kind_(new QComboBox(this)),
      query_(new QLineEdit(this)),
      topN_(new QSpinBox(this)),
      status_(new QLabel(this)),
      history_(new HistoryView(this)) {
    history_->setObjectName(QStringLiteral("history"));
    kind_->addItems({tr("User id"), tr("Anime id"), tr("Session (ids or titles)")});
    query_->setPlaceholderText(tr("e.g. 1   ·   or a session: Cowboy Bebop; Trigun"));
    topN_->setRange(1, service::RecommendService::kMaxTopN);
    topN_->setValue(10);
    topN_->setPrefix(tr("top "));
    auto* show = new QPushButton(tr("Compare"), this);
    show->setDefault(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(kind_);
    controls->addWidget(query_, 1);
    controls->addWidget(topN_);
    controls->addWidget(show);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(history_);
    for (std::size_t family = 0; family < kRoles.size(); ++family) {
        lists_[family] = new RecommendationList(familyTitle(kRoles[family]), splitter);
        splitter->addWidget(lists_[family]);
        connect(lists_[family], &RecommendationList::animeFocused, this,
                [this](qint64 animeId) { focusRecommendation(animeId); });
        connect(lists_[family], &RecommendationList::animeActivated, context_,
                &StudioContext::requestTitle);
    }
    connect(history_, &HistoryView::animeActivated, context_, &StudioContext::requestTitle);
    status_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(status_);
    layout->addWidget(splitter, 1);

    connect(show, &QPushButton::clicked, this, &ComparePanel::run);
    connect(query_, &QLineEdit::returnPressed, this, &ComparePanel::run);
    connect(context_, &StudioContext::serviceChanged, this, [this] {
        if (!query_->text().isEmpty()) run();
    });
    status_->setText(
        tr("Pick a user, an anime or type a session, then Compare. Highlighted titles "
           "are recommended by several models; hover a row to see why."));
}

void ComparePanel::run() { compare(static_cast<QueryKind>(kind_->currentIndex()), query_->text()); }

int ComparePanel::focusRecommendation(qint64 animeId) {
    return history_->highlight(because_.value(animeId));
}

bool ComparePanel::compare(QueryKind kind, const QString& text) {
    if (kind_->currentIndex() != static_cast<int>(kind))
        kind_->setCurrentIndex(static_cast<int>(kind));
    if (query_->text() != text) query_->setText(text);
    const auto service = context_->service();
    if (!service) {
        for (auto* list : lists_) list->showMessage(tr("Models are not loaded yet."));
        status_->setText(tr("Models are not loaded yet: import data and train (Train panel)."));
        return false;
    }
    const int topN = topN_->value();
    std::array<Outcome<Recommendation>, kFamilies> answers;
    bool isNumber = false;
    const qint64 id = text.trimmed().toLongLong(&isNumber);
    QString description;
    switch (kind) {
        case QueryKind::User:
            if (!isNumber) {
                status_->setText(tr("'%1' is not a user id.").arg(text));
                return false;
            }
            for (std::size_t f = 0; f < kRoles.size(); ++f)
                answers[f] = service->forUser(kRoles[f], id, topN);
            if (const auto explorer = context_->explorer()) {
                const auto profile = explorer->showUser(id, 0);
                if (const auto* object = std::get_if<QJsonObject>(&profile))
                    history_->showHistory(
                        tr("%n title(s), oldest first; blue = why the title in focus "
                           "is recommended",
                           nullptr,
                           static_cast<int>(object->value(QStringLiteral("listed")).toInteger())),
                        object->value(QStringLiteral("history")).toArray());
                else
                    history_->showMessage(std::get<explore::QueryError>(profile).message);
            }
            description =
                service->dataset().interactions.userIndexOf(id) >= 0
                    ? tr("User %1 (%2 titles in history)")
                          .arg(id)
                          .arg(service->dataset()
                                   .interactions
                                   .historyOf(service->dataset().interactions.userIndexOf(id))
                                   .size())
                    : tr("User %1 is unknown: every list is a cold-start answer.").arg(id);
            break;
        case QueryKind::Anime: {
            if (!isNumber || !service->anime(id)) {
                status_->setText(tr("'%1' is not an anime id in the catalogue.").arg(text));
                return false;
            }
            const std::int64_t session[] = {id};
            for (std::size_t f = 0; f < kRoles.size(); ++f)
                answers[f] = kRoles[f] == ModelRole::Content
                                 ? service->contentBased(id, topN)
                                 : service->forSession(kRoles[f], session, topN);
            description = tr("Titles for someone who just watched %1")
                              .arg(QString::fromStdString(service->anime(id)->title));
            history_->showHistory(tr("a session of one title"), sessionRows(*service, {id}));
            break;
        }
        case QueryKind::Session: {
            QStringList unknown;
            const std::vector<std::int64_t> session =
                parseSession(text, service->dataset(), unknown);
            if (session.empty()) {
                status_->setText(tr("No title of the session is in the catalogue."));
                return false;
            }
            for (std::size_t f = 0; f < kRoles.size(); ++f)
                answers[f] = service->forSession(kRoles[f], session, topN);
            description = tr("Session of %n title(s)", nullptr, static_cast<int>(session.size()));
            history_->showHistory(tr("the typed session, in order"),
                                  sessionRows(*service, session));
            if (!unknown.isEmpty()) description += tr("; not found: %1").arg(unknown.join(", "));
            break;
        }
    }

    QHash<qint64, int> votes;
    because_.clear();
    for (std::size_t f = 0; f < kRoles.size(); ++f) {
        if (const auto* error = std::get_if<service::ServiceError>(&answers[f])) {
            lists_[f]->showMessage(error->message);
            continue;
        }
        const auto& answer = std::get<Recommendation>(answers[f]);
        QVector<RecommendationList::Row> rows;
        for (const auto& item : answer.items) {
            const AnimeRecord& anime = service->animeAt(item.item);
            QString why = answer.strategy;
            for (const std::int64_t source : item.because) because_[anime.animeId].insert(source);
            if (!item.because.empty()) {
                QStringList titles;
                for (const std::int64_t source : item.because)
                    if (const AnimeRecord* record = service->anime(source))
                        titles << QString::fromStdString(record->title);
                why = tr("Because you watched %1").arg(titles.join(", "));
            }
            rows.push_back({anime.animeId, QString::fromStdString(anime.title),
                            QString::fromStdString(joinGenres(anime.genres)), item.score, why});
            ++votes[anime.animeId];
        }
        lists_[f]->showRows(answer.model, answer.modelVersion, answer.strategy, rows);
    }
    QSet<qint64> shared;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it)
        if (it.value() >= 2) shared.insert(it.key());
    for (auto* list : lists_) list->highlight(shared);
    status_->setText(description +
                     tr(" — %n title(s) recommended by two or more models (highlighted).", nullptr,
                        static_cast<int>(shared.size())));
    return true;
}

}  // namespace animerec::ui

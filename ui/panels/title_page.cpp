#include "panels/title_page.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "data/dataset.h"
#include "explore/explorer.h"
#include "panels/recommendation_list.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {

QString familyTitle(const QString& role) {
    if (role == QLatin1String("content")) return QObject::tr("Similar content");
    if (role == QLatin1String("collaborative"))
        return QObject::tr("Watched together (collaborative)");
    return QObject::tr("Watched next (session)");
}

QString orDash(const QJsonValue& value) {
    return value.isNull() || value.isUndefined() ? QStringLiteral("-")
                                                 : value.toVariant().toString();
}

}  // namespace

TitlePage::TitlePage(StudioContext* context, qint64 animeId, QWidget* parent)
    : QDialog(parent),
      context_(context),
      animeId_(animeId),
      facts_(new QLabel(this)),
      audience_(new QLabel(this)),
      ratings_(new ChartWidget(tr("Ratings given in this data"), this)) {
    setObjectName(QStringLiteral("titlePage"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(1100, 720);
    facts_->setObjectName(QStringLiteral("titleFacts"));
    facts_->setTextFormat(Qt::RichText);
    facts_->setWordWrap(true);
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    audience_->setObjectName(QStringLiteral("titleAudience"));
    audience_->setWordWrap(true);
    ratings_->setObjectName(QStringLiteral("ratingChart"));
    ratings_->setAxisLabels(tr("rating"), tr("users"));

    auto* top = new QHBoxLayout;
    auto* text = new QVBoxLayout;
    text->addWidget(facts_);
    text->addWidget(audience_);
    text->addStretch(1);
    top->addLayout(text, 1);
    top->addWidget(ratings_, 1);

    auto* splitter = new QSplitter(this);
    const QStringList roles{QStringLiteral("content"), QStringLiteral("collaborative"),
                            QStringLiteral("session")};
    for (int family = 0; family < kNeighbourFamilies; ++family) {
        auto* list = new RecommendationList(familyTitle(roles[family]), splitter);
        list->setObjectName(QStringLiteral("neighbours-") + roles[family]);
        splitter->addWidget(list);
        lists_[static_cast<std::size_t>(family)] = list;
        connect(list, &RecommendationList::animeActivated, context_, &StudioContext::requestTitle);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 2);
    layout->addWidget(splitter, 3);
    fill();
}

void TitlePage::fill() {
    const auto explorer = context_->explorer();
    if (!explorer) {
        facts_->setText(tr("Data and models are not loaded yet."));
        return;
    }
    const QString id = QString::number(animeId_);
    const explore::Answer facts = explorer->showAnime(id);
    if (const auto* error = std::get_if<explore::QueryError>(&facts)) {
        facts_->setText(error->message.toHtmlEscaped());
        return;
    }
    const QJsonObject anime = std::get<QJsonObject>(facts);
    setWindowTitle(tr("%1 — AnimeRec Studio").arg(anime.value(QStringLiteral("title")).toString()));
    QStringList genres;
    for (const QJsonValue& genre : anime.value(QStringLiteral("genres")).toArray())
        genres << genre.toString();
    facts_->setText(tr("<h2>%1</h2><p>id %2 · %3 · %4 episodes</p><p>%5</p>"
                       "<p>MyAnimeList rating %6 · %7 members</p>")
                        .arg(anime.value(QStringLiteral("title")).toString().toHtmlEscaped())
                        .arg(animeId_)
                        .arg(orDash(anime.value(QStringLiteral("type"))),
                             orDash(anime.value(QStringLiteral("episodes"))),
                             genres.join(QStringLiteral(", ")).toHtmlEscaped(),
                             orDash(anime.value(QStringLiteral("rating"))),
                             orDash(anime.value(QStringLiteral("members")))));
    const QJsonObject audience = anime.value(QStringLiteral("audience")).toObject();
    QStringList statuses;
    const QJsonObject byStatus = audience.value(QStringLiteral("by_status")).toObject();
    for (auto it = byStatus.begin(); it != byStatus.end(); ++it)
        statuses << tr("%1 %2").arg(it.value().toInt()).arg(it.key());
    audience_->setText(
        tr("Who lists it here: %1 users (%2); %3 rated it, mean %4.")
            .arg(audience.value(QStringLiteral("listed")).toInt())
            .arg(statuses.isEmpty() ? tr("nobody") : statuses.join(QStringLiteral(", ")))
            .arg(audience.value(QStringLiteral("rated")).toInt())
            .arg(audience.value(QStringLiteral("mean_rating")).isNull()
                     ? QStringLiteral("-")
                     : QString::number(audience.value(QStringLiteral("mean_rating")).toDouble(),
                                       'f', 2)));
    QStringList scores;
    QVector<double> counts;
    const QJsonArray histogram = audience.value(QStringLiteral("rating_histogram")).toArray();
    for (qsizetype i = 0; i < histogram.size(); ++i) {
        scores << QString::number(i + 1);
        counts << histogram.at(i).toInt();
    }
    ratings_->showBars(scores, {ChartSeries{tr("users"), {}, counts, {}, {}}});

    const explore::Answer similar = explorer->similar(id, 10);
    if (const auto* error = std::get_if<explore::QueryError>(&similar)) {
        for (auto* list : lists_) list->showMessage(error->message);
        return;
    }
    const QJsonArray lists =
        std::get<QJsonObject>(similar).value(QStringLiteral("lists")).toArray();
    const auto data = context_->dataset();
    const auto genresOf = [&data](qint64 id) {
        const auto index = data ? data->catalog.indexOf(id) : std::nullopt;
        return index ? QString::fromStdString(joinGenres(data->catalog.at(*index).genres))
                     : QString();
    };
    for (int family = 0; family < kNeighbourFamilies && family < lists.size(); ++family) {
        const QJsonObject list = lists.at(family).toObject();
        RecommendationList* view = lists_[static_cast<std::size_t>(family)];
        if (list.contains(QStringLiteral("error"))) {
            view->showMessage(list.value(QStringLiteral("error")).toString());
            continue;
        }
        QVector<RecommendationList::Row> rows;
        for (const QJsonValue& value : list.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = value.toObject();
            const qint64 id = item.value(QStringLiteral("anime_id")).toInteger();
            rows.push_back({id, item.value(QStringLiteral("title")).toString(), genresOf(id),
                            item.value(QStringLiteral("score")).toDouble(),
                            list.value(QStringLiteral("strategy")).toString()});
        }
        view->showRows(list.value(QStringLiteral("model")).toString(),
                       list.value(QStringLiteral("version")).toString(),
                       list.value(QStringLiteral("strategy")).toString(), rows);
    }
}

}  // namespace animerec::ui

#include "explore/explorer.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimeZone>
#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include "data/dataset.h"
#include "data/title_search.h"
#include "models/model_io.h"
#include "models/popularity.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "storage/database.h"
#include "storage/database_location.h"
#include "storage/dataset_loader.h"

namespace animerec::explore {

namespace {

using service::ModelRole;

QString text(const std::string& value) { return QString::fromStdString(value); }

std::optional<ModelRole> roleNamed(const QString& name) {
    for (const ModelRole role : service::kAllModelRoles)
        if (service::roleName(role) == name) return role;
    return std::nullopt;
}

const char* statusName(WatchStatus status) {
    switch (status) {
        case WatchStatus::Watching:
            return "watching";
        case WatchStatus::Completed:
            return "completed";
        case WatchStatus::OnHold:
            return "on hold";
        case WatchStatus::Dropped:
            return "dropped";
        case WatchStatus::PlanToWatch:
            return "plan to watch";
        case WatchStatus::Unknown:
            break;
    }
    return "listed";
}

// Orders above this are Unix times (the 2018 lists, the 2022 updates); below, file positions.
constexpr std::int64_t kFirstTimestamp = 100'000'000;

QJsonValue orderJson(std::int64_t order) {
    if (order >= kFirstTimestamp)
        return QDateTime::fromSecsSinceEpoch(order, Qt::UTC).toString(Qt::ISODate);
    return static_cast<qint64>(order);
}

}  // namespace

const QStringList& Explorer::families() {
    static const QStringList names{QStringLiteral("all"), QStringLiteral("popularity"),
                                   QStringLiteral("content"), QStringLiteral("collaborative"),
                                   QStringLiteral("session")};
    return names;
}

const QStringList& Explorer::popularityMeasures() {
    static const QStringList names{QStringLiteral("members"), QStringLiteral("rating"),
                                   QStringLiteral("interactions")};
    return names;
}

Explorer::Explorer(const QString& database, const QString& modelsDir) {
    if (!storage::DatabaseLocation::isPostgresUrl(database) && !QFileInfo::exists(database))
        throw std::runtime_error(database.toStdString() +
                                 ": no database (run `animerec import` first)");
    storage::Database db(database, QStringLiteral("explorer"));
    if (const QSqlError error = db.open(); error.isValid())
        throw std::runtime_error(db.path().toStdString() + ": " + error.text().toStdString());
    data_ = std::make_shared<const Dataset>(storage::loadDataset(db));
    if (data_->catalog.size() == 0)
        throw std::runtime_error(db.path().toStdString() +
                                 " holds no anime (run `animerec import` first)");
    ownRegistry_ = std::make_unique<service::ModelRegistry>(loadModelFile);
    ownRegistry_->setCatalogueSize(data_->catalog.size());
    if (QFileInfo(modelsDir).isDir()) ownRegistry_->loadDirectory(modelsDir);
    registry_ = ownRegistry_.get();
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
}

Explorer::Explorer(std::shared_ptr<const Dataset> data, const service::ModelRegistry& models)
    : data_(std::move(data)), registry_(&models) {
    if (!data_) throw std::invalid_argument("explorer: no dataset");
    service_ = std::make_unique<service::RecommendService>(data_, *registry_);
}

Explorer::~Explorer() = default;

std::variant<int, QueryError> Explorer::resolveAnime(const QString& query) const {
    const TitleMatch match = findTitles(data_->catalog, query.toStdString());
    if (match.unique()) return match.items.front();
    const auto candidates = [&] {
        QStringList names;
        for (const int item : match.items)
            names << QStringLiteral("%1 (%2)")
                         .arg(text(data_->catalog.at(item).title))
                         .arg(data_->catalog.idAt(item));
        if (match.total > match.items.size())
            names << tr("%1 more").arg(match.total - match.items.size());
        return names.join(QStringLiteral(", "));
    };
    switch (match.kind) {
        case TitleMatch::Kind::None:
            return QueryError{tr("no anime matches '%1'").arg(query)};
        case TitleMatch::Kind::Near:
            return QueryError{
                tr("no anime matches '%1'; did you mean: %2?").arg(query, candidates())};
        default:
            return QueryError{tr("'%1' matches %2 titles; did you mean: %3?")
                                  .arg(query)
                                  .arg(match.total)
                                  .arg(candidates())};
    }
}

QJsonObject Explorer::animeBrief(int item) const {
    const AnimeRecord& anime = data_->catalog.at(item);
    return {{QStringLiteral("anime_id"), static_cast<qint64>(anime.animeId)},
            {QStringLiteral("title"), text(anime.title)}};
}

QJsonObject Explorer::listJson(service::ModelRole role,
                               const service::Outcome<service::Recommendation>& outcome) const {
    QJsonObject list{{QStringLiteral("role"), service::roleName(role)}};
    if (const auto* error = std::get_if<service::ServiceError>(&outcome)) {
        list.insert(QStringLiteral("error"), error->message);
        return list;
    }
    const auto& answer = std::get<service::Recommendation>(outcome);
    QJsonArray items;
    for (const service::RecommendedItem& item : answer.items) {
        QJsonObject row = animeBrief(item.item);
        row.insert(QStringLiteral("rank"), item.rank);
        row.insert(QStringLiteral("score"), static_cast<double>(item.score));
        QJsonArray because;
        for (const std::int64_t id : item.because)
            if (const auto index = data_->catalog.indexOf(id)) because.append(animeBrief(*index));
        if (!because.isEmpty()) row.insert(QStringLiteral("because"), because);
        items.append(row);
    }
    list.insert(QStringLiteral("model"), answer.model);
    list.insert(QStringLiteral("version"), answer.modelVersion);
    list.insert(QStringLiteral("strategy"), answer.strategy);
    list.insert(QStringLiteral("items"), items);
    return list;
}

Answer Explorer::recommend(const RecommendQuery& query) const {
    std::vector<ModelRole> roles;
    if (query.model == QLatin1String("all")) {
        roles.assign(service::kAllModelRoles.begin(), service::kAllModelRoles.end());
    } else if (const auto role = roleNamed(query.model)) {
        roles.push_back(*role);
    } else {
        return QueryError{tr("unknown model '%1' (one of %2)")
                              .arg(query.model, families().join(QStringLiteral(", ")))};
    }
    std::vector<std::int64_t> history;
    for (const QString& entry : query.history) {
        const auto item = resolveAnime(entry);
        if (const auto* error = std::get_if<QueryError>(&item)) return *error;
        history.push_back(data_->catalog.idAt(std::get<int>(item)));
    }
    QJsonObject asked;
    if (query.userId) {
        asked.insert(QStringLiteral("user_id"), static_cast<qint64>(*query.userId));
        asked.insert(QStringLiteral("known_user"),
                     data_->interactions.userIndexOf(*query.userId) >= 0);
    } else {
        QJsonArray ids;
        for (const std::int64_t id : history) ids.append(static_cast<qint64>(id));
        asked.insert(QStringLiteral("history"), ids);
    }
    QJsonArray lists;
    std::map<std::int64_t, int> seenIn;
    for (const ModelRole role : roles) {
        const service::Outcome<service::Recommendation> outcome =
            query.userId ? service_->forUser(role, *query.userId, query.topN)
                         : service_->forSession(role, history, query.topN);
        if (const auto* answer = std::get_if<service::Recommendation>(&outcome))
            for (const service::RecommendedItem& item : answer->items) ++seenIn[item.animeId];
        lists.append(listJson(role, outcome));
    }
    // Titles two or more families agree on.
    QJsonArray shared;
    for (const auto& [id, count] : seenIn)
        if (count >= 2) shared.append(static_cast<qint64>(id));
    return QJsonObject{{QStringLiteral("query"), asked},
                       {QStringLiteral("lists"), lists},
                       {QStringLiteral("shared"), shared}};
}

Answer Explorer::similar(const QString& anime, int topN) const {
    const auto item = resolveAnime(anime);
    if (const auto* error = std::get_if<QueryError>(&item)) return *error;
    const std::int64_t id = data_->catalog.idAt(std::get<int>(item));
    QJsonArray lists;
    for (const ModelRole role :
         {ModelRole::Content, ModelRole::Collaborative, ModelRole::Session}) {
        lists.append(listJson(role, service_->itemToItem(role, id, topN)));
    }
    return QJsonObject{{QStringLiteral("anime"), animeBrief(std::get<int>(item))},
                       {QStringLiteral("lists"), lists}};
}

Answer Explorer::top(const QString& genre, const QString& by, int topN) const {
    const qsizetype measure = popularityMeasures().indexOf(by);
    if (measure < 0)
        return QueryError{tr("unknown measure '%1' (one of %2)")
                              .arg(by, popularityMeasures().join(QStringLiteral(", ")))};
    const PopularityMode mode = measure == 0   ? PopularityMode::Members
                                : measure == 1 ? PopularityMode::WeightedRating
                                               : PopularityMode::InteractionCount;
    // The served popularity model when there is one (its prior), else one fitted now (cheap).
    PopularityModel fitted;
    const PopularityModel* popularity = nullptr;
    const auto served = registry_->get(ModelRole::Popularity);
    if (served) popularity = dynamic_cast<const PopularityModel*>(served->model.get());
    if (!popularity) {
        fitted.fit(*data_);
        popularity = &fitted;
    }
    std::vector<ScoredItem> ranked;
    std::string known;
    if (!genre.isEmpty()) {
        known = service_->knownGenre(genre.toStdString());
        if (known.empty())
            return QueryError{tr("unknown genre '%1' (known: %2)")
                                  .arg(genre, genres().join(QStringLiteral(", ")))};
        ranked = popularity->topInGenres({known}, topN, mode);
    } else {
        ranked = popularity->top(topN, mode);
    }
    QJsonArray items;
    int rank = 0;
    for (const ScoredItem& scored : ranked) {
        const AnimeRecord& anime = data_->catalog.at(scored.item);
        QJsonObject row = animeBrief(scored.item);
        row.insert(QStringLiteral("rank"), ++rank);
        row.insert(QStringLiteral("score"), static_cast<double>(scored.score));
        row.insert(QStringLiteral("members"),
                   anime.members ? QJsonValue(static_cast<qint64>(*anime.members)) : QJsonValue());
        row.insert(QStringLiteral("rating"),
                   anime.rating ? QJsonValue(*anime.rating) : QJsonValue());
        row.insert(QStringLiteral("genre"), text(joinGenres(anime.genres)));
        items.append(row);
    }
    return QJsonObject{
        {QStringLiteral("by"), by},
        {QStringLiteral("genre"), known.empty() ? QJsonValue() : QJsonValue(text(known))},
        {QStringLiteral("items"), items}};
}

Answer Explorer::showAnime(const QString& query) const {
    const auto resolved = resolveAnime(query);
    if (const auto* error = std::get_if<QueryError>(&resolved)) return *error;
    const int item = std::get<int>(resolved);
    const AnimeRecord& anime = data_->catalog.at(item);
    // Who lists it: one pass over every history.
    std::map<QString, int> byStatus;
    std::array<int, 10> ratings{};
    int listed = 0;
    double ratingSum = 0.0;
    int rated = 0;
    for (int user = 0; user < data_->interactions.userCount(); ++user)
        for (const Event& event : data_->interactions.historyOf(user)) {
            if (event.item != item) continue;
            ++listed;
            ++byStatus[QString::fromLatin1(statusName(event.status))];
            if (event.rating >= 1.0f && event.rating <= 10.0f) {
                ++ratings[static_cast<std::size_t>(event.rating + 0.5f) - 1];
                ratingSum += event.rating;
                ++rated;
            }
        }
    QJsonObject statuses;
    for (const auto& [status, count] : byStatus) statuses.insert(status, count);
    QJsonArray histogram;
    for (const int count : ratings) histogram.append(count);
    QJsonArray genres;
    for (const std::string& genre : anime.genres) genres.append(text(genre));
    QJsonObject result = animeBrief(item);
    result.insert(QStringLiteral("genres"), genres);
    result.insert(QStringLiteral("type"), text(anime.type));
    result.insert(QStringLiteral("episodes"),
                  anime.episodes ? QJsonValue(*anime.episodes) : QJsonValue());
    result.insert(QStringLiteral("rating"),
                  anime.rating ? QJsonValue(*anime.rating) : QJsonValue());
    result.insert(QStringLiteral("members"),
                  anime.members ? QJsonValue(static_cast<qint64>(*anime.members)) : QJsonValue());
    result.insert(QStringLiteral("audience"),
                  QJsonObject{{QStringLiteral("listed"), listed},
                              {QStringLiteral("by_status"), statuses},
                              {QStringLiteral("rated"), rated},
                              {QStringLiteral("mean_rating"),
                               rated ? QJsonValue(ratingSum / rated) : QJsonValue()},
                              {QStringLiteral("rating_histogram"), histogram}});
    return result;
}

Answer Explorer::showUser(std::int64_t userId, int historyLimit) const {
    const int user = data_->interactions.userIndexOf(userId);
    if (user < 0)
        return QueryError{
            tr("user %1 is not in the data (%2 users, ids %3..%4)")
                .arg(userId)
                .arg(data_->interactions.userCount())
                .arg(data_->interactions.userIdAt(0))
                .arg(data_->interactions.userIdAt(data_->interactions.userCount() - 1))};
    const auto events = data_->interactions.historyOf(user);
    std::map<QString, int> byStatus;
    std::map<std::string, double> genreWeight;
    double ratingSum = 0.0;
    int rated = 0;
    for (const Event& event : events) {
        ++byStatus[QString::fromLatin1(statusName(event.status))];
        if (event.rating > 0.0f) {
            ratingSum += event.rating;
            ++rated;
        }
    }
    const double mean = rated ? ratingSum / rated : 0.0;
    // Favourite genres: every listed title counts once, a title rated above the user's mean twice.
    for (const Event& event : events)
        for (const std::string& genre : data_->catalog.at(event.item).genres)
            genreWeight[genre] += rated && event.rating > mean ? 2.0 : 1.0;
    std::vector<std::pair<std::string, double>> genres(genreWeight.begin(), genreWeight.end());
    std::stable_sort(genres.begin(), genres.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    QJsonArray favourites;
    for (std::size_t i = 0; i < genres.size() && i < 5; ++i)
        favourites.append(text(genres[i].first));
    QJsonObject statuses;
    for (const auto& [status, count] : byStatus) statuses.insert(status, count);
    QJsonArray history;
    const std::size_t first = historyLimit > 0 && events.size() > std::size_t(historyLimit)
                                  ? events.size() - std::size_t(historyLimit)
                                  : 0;
    for (std::size_t i = first; i < events.size(); ++i) {
        const Event& event = events[i];
        QJsonObject row = animeBrief(event.item);
        row.insert(QStringLiteral("position"), static_cast<qint64>(i + 1));
        row.insert(QStringLiteral("rating"),
                   event.rating > 0.0f ? QJsonValue(event.rating) : QJsonValue());
        row.insert(QStringLiteral("status"), QString::fromLatin1(statusName(event.status)));
        row.insert(QStringLiteral("watched_episodes"),
                   event.watchedEpisodes >= 0 ? QJsonValue(event.watchedEpisodes) : QJsonValue());
        row.insert(QStringLiteral("order"), orderJson(event.order));
        history.append(row);
    }
    return QJsonObject{{QStringLiteral("user_id"), static_cast<qint64>(userId)},
                       {QStringLiteral("listed"), static_cast<qint64>(events.size())},
                       {QStringLiteral("rated"), rated},
                       {QStringLiteral("mean_rating"), rated ? QJsonValue(mean) : QJsonValue()},
                       {QStringLiteral("by_status"), statuses},
                       {QStringLiteral("favourite_genres"), favourites},
                       {QStringLiteral("history_shown"), history.size()},
                       {QStringLiteral("history"), history}};
}

QStringList Explorer::genres() const {
    QStringList names;
    for (const std::string& genre : data_->catalog.genreNames()) names << text(genre);
    names.sort(Qt::CaseInsensitive);
    return names;
}

QStringList Explorer::titles() const {
    QStringList names;
    for (const AnimeRecord& anime : data_->catalog.items()) names << text(anime.title);
    return names;
}

QStringList Explorer::modelSummary() const {
    QStringList lines;
    for (const ModelRole role : service::kAllModelRoles) {
        const auto served = registry_->get(role);
        if (!served) {
            lines << tr("%1: no model (answers fall back to popularity)")
                         .arg(service::roleName(role));
            continue;
        }
        const QString why = registry_->reason(role);
        lines << QStringLiteral("%1: %2 %3%4")
                     .arg(service::roleName(role), served->family, served->version,
                          why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why));
    }
    return lines;
}

}  // namespace animerec::explore

#include "service/recommend_service.h"

#include <algorithm>
#include <utility>

#include "data/dataset.h"
#include "models/cold_start.h"
#include "models/content_based.h"
#include "models/explanations.h"
#include "models/popularity.h"
#include "models/recommender.h"
#include "service/recent_history.h"

namespace animerec::service {

namespace {

std::vector<int> itemsOf(std::span<const Event> history) {
    std::vector<int> items;
    items.reserve(history.size());
    for (const Event& event : history) items.push_back(event.item);
    return items;
}

const QString kUnknownUser = QStringLiteral("unknown user");

}  // namespace

RecommendService::RecommendService(std::shared_ptr<const Dataset> data, const ModelRegistry& models,
                                   std::vector<std::int64_t> top100)
    : data_(std::move(data)), models_(models) {
    for (const std::int64_t id : top100)
        if (const auto index = data_->catalog.indexOf(id)) top100_.push_back(*index);
    const std::vector<int> counts = data_->interactions.itemCounts();
    countScores_.assign(static_cast<std::size_t>(data_->catalog.size()), 0.0f);
    for (std::size_t i = 0; i < counts.size() && i < countScores_.size(); ++i)
        countScores_[i] = static_cast<float>(counts[i]);
}

RecommendService::~RecommendService() = default;

std::optional<ServiceError> RecommendService::checkTopN(int topN) {
    if (topN >= 1 && topN <= kMaxTopN) return std::nullopt;
    return ServiceError{
        ServiceError::Kind::Invalid, QStringLiteral("top_n"),
        QStringLiteral("top_n must be an integer in [1, %1], got %2").arg(kMaxTopN).arg(topN)};
}

bool RecommendService::ready() const { return !models_.empty(); }

const AnimeRecord* RecommendService::anime(std::int64_t animeId) const {
    const auto index = data_->catalog.indexOf(animeId);
    return index ? &data_->catalog.at(*index) : nullptr;
}

const AnimeRecord& RecommendService::animeAt(int item) const { return data_->catalog.at(item); }

Recommendation RecommendService::fromItems(const ServedModel* served, const QString& strategy,
                                           const std::vector<ScoredItem>& items) const {
    Recommendation result;
    result.model = served ? served->family : QStringLiteral("interaction_counts");
    result.modelVersion = served ? served->version : QStringLiteral("dataset");
    result.strategy = strategy;
    result.items.reserve(items.size());
    for (const ScoredItem& scored : items)
        result.items.push_back({data_->catalog.idAt(scored.item),
                                scored.item,
                                scored.score,
                                static_cast<int>(result.items.size()) + 1,
                                {}});
    return result;
}

Recommendation RecommendService::rank(const ServedModel* served, int user,
                                      std::span<const Event> history, std::span<const int> exclude,
                                      int topN, const QString& strategy) const {
    if (!served) return fromItems(served, strategy, topK(countScores_, topN, exclude));
    return fromItems(
        served, strategy,
        served->model->recommend(UserQuery{user, history}, data_->catalog.size(), topN, exclude));
}

Outcome<Recommendation> RecommendService::forHistory(
    ModelRole role, int user, std::span<const Event> history, int topN,
    std::uint64_t explorationKey, const QString& coldReason, const std::vector<std::string>& genres,
    std::shared_ptr<const ServedModel> pinned) const {
    const auto personal = pinned ? std::move(pinned) : models_.get(role);
    const QString why = !history.empty() && !personal
                            ? QStringLiteral("no %1 model loaded").arg(roleName(role))
                            : coldReason;
    const auto popularity = models_.get(ModelRole::Popularity);
    const auto* popularityModel =
        popularity ? dynamic_cast<const PopularityModel*>(popularity->model.get()) : nullptr;
    if (popularityModel) {
        const auto content = models_.get(ModelRole::Content);
        const auto* contentModel =
            content ? dynamic_cast<const ContentBasedModel*>(content->model.get()) : nullptr;
        const RecommendationPolicy policy(*popularityModel, contentModel, coldStart_);
        RecommendationRequest request;
        request.query = UserQuery{user, history};
        request.count = topN;
        request.explorationKey = explorationKey;
        // Unknown genres are dropped rather than failing the request: they come from free text
        // (the HTTP routes refuse them before they get here).
        for (const std::string& genre : genres)
            if (const std::string known = knownGenre(genre); !known.empty())
                request.genres.push_back(known);
        const RecommendationResult result =
            policy.recommend(request, personal ? personal->model.get() : nullptr);
        const QString strategy = QString::fromLatin1(result.strategy.c_str());
        if (result.strategy == kStrategyPersonal) {
            Recommendation answer = fromItems(personal.get(), roleName(role), result.items);
            explain(answer, personal.get(), user, history);
            return answer;
        }
        const ServedModel* used =
            result.strategy == kStrategyContentFromHistory ? content.get() : popularity.get();
        return fromItems(used, strategy + QStringLiteral(" (") + why + u')', result.items);
    }
    // Without a popularity model: the personal model for any history, else interaction counts.
    const std::vector<int> exclude = itemsOf(history);
    if (personal && !history.empty()) {
        Recommendation answer = rank(personal.get(), user, history, exclude, topN, roleName(role));
        explain(answer, personal.get(), user, history);
        return answer;
    }
    return rank(nullptr, user, history, exclude, topN,
                QLatin1String(kStrategyPopular) + QStringLiteral(" (") + why + u')');
}

Outcome<Recommendation> RecommendService::top(int topN) const {
    if (auto error = checkTopN(topN)) return *error;
    if (const auto popularity = models_.get(ModelRole::Popularity))
        return rank(popularity.get(), -1, {}, {}, topN, QStringLiteral("popularity"));
    if (top100_.empty())
        return rank(nullptr, -1, {}, {}, topN, QStringLiteral("popularity: interaction counts"));
    Recommendation result{QStringLiteral("top100.json"),
                          QStringLiteral("file"),
                          QStringLiteral("popularity: precomputed list"),
                          {}};
    for (const int item : top100_) {
        if (static_cast<int>(result.items.size()) == topN) break;
        result.items.push_back({data_->catalog.idAt(item),
                                item,
                                countScores_[static_cast<std::size_t>(item)],
                                static_cast<int>(result.items.size()) + 1,
                                {}});
    }
    return result;
}

Outcome<Recommendation> RecommendService::contentBased(std::int64_t animeId, int topN) const {
    if (auto error = checkTopN(topN)) return *error;
    const auto index = data_->catalog.indexOf(animeId);
    if (!index)
        return ServiceError{ServiceError::Kind::NotFound, QStringLiteral("anime_id"),
                            QStringLiteral("anime_id %1 is not in the catalogue").arg(animeId)};
    const auto content = models_.get(ModelRole::Content);
    const auto* contentModel =
        content ? dynamic_cast<const ContentBasedModel*>(content->model.get()) : nullptr;
    if (contentModel && *index < contentModel->itemCount())
        return fromItems(content.get(), QStringLiteral("content_similarity"),
                         contentModel->similarItems(*index, topN));
    Event seed;
    seed.item = *index;
    if (content) {
        const int exclude[] = {*index};
        return rank(content.get(), -1, std::span<const Event>(&seed, 1), exclude, topN,
                    QStringLiteral("content_similarity"));
    }
    return forHistory(ModelRole::Content, -1, std::span<const Event>(&seed, 1), topN,
                      static_cast<std::uint64_t>(animeId),
                      QStringLiteral("no content model loaded"));
}

Outcome<Recommendation> RecommendService::itemToItem(ModelRole role, std::int64_t animeId,
                                                     int topN) const {
    if (role == ModelRole::Content) return contentBased(animeId, topN);
    if (auto error = checkTopN(topN)) return *error;
    const auto index = data_->catalog.indexOf(animeId);
    if (!index)
        return ServiceError{ServiceError::Kind::NotFound, QStringLiteral("anime_id"),
                            QStringLiteral("anime_id %1 is not in the catalogue").arg(animeId)};
    const auto served = models_.get(role);
    if (!served)
        return ServiceError{ServiceError::Kind::NotFound, QStringLiteral("model"),
                            QStringLiteral("no %1 model is loaded").arg(roleName(role))};
    Event seed;
    seed.item = *index;
    seed.status = WatchStatus::Completed;
    const int exclude[] = {*index};
    return rank(served.get(), -1, std::span<const Event>(&seed, 1), exclude, topN,
                QStringLiteral("item_to_item"));
}

void RecommendService::setRecentHistory(std::shared_ptr<const RecentHistory> recent) {
    recent_ = std::move(recent);
}

std::span<const Event> RecommendService::historyOf(std::int64_t userId, int user,
                                                   std::vector<Event>& storage) const {
    const std::span<const Event> base =
        user >= 0 ? data_->interactions.historyOf(user) : std::span<const Event>();
    if (!recent_ || !recent_->hasEvents(userId)) return base;
    storage = recent_->merged(userId, base);
    return storage;
}

Outcome<Recommendation> RecommendService::collaborative(
    std::int64_t userId, int topN, const std::vector<std::string>& genres) const {
    return userAnswer(ModelRole::Collaborative, userId, topN, genres, nullptr);
}

Outcome<Recommendation> RecommendService::sessionBased(
    std::int64_t userId, int topN, const std::vector<std::string>& genres) const {
    return userAnswer(ModelRole::Session, userId, topN, genres, nullptr);
}

void RecommendService::setColdStart(const ColdStartConfig& config) {
    // The policy checks the config; fail here, at start, rather than on a request.
    if (const auto popularity = models_.get(ModelRole::Popularity))
        if (const auto* model = dynamic_cast<const PopularityModel*>(popularity->model.get()))
            RecommendationPolicy check(*model, nullptr, config);
    coldStart_ = config;
}

std::string RecommendService::knownGenre(const std::string& genre) const {
    const QString wanted = QString::fromStdString(genre).trimmed();
    for (const std::string& name : data_->catalog.genreNames())
        if (QString::fromStdString(name).compare(wanted, Qt::CaseInsensitive) == 0) return name;
    return {};
}

Outcome<std::vector<Event>> RecommendService::historyFromIds(
    std::span<const std::int64_t> animeIds) const {
    if (animeIds.size() > static_cast<std::size_t>(kMaxHistory))
        return ServiceError{ServiceError::Kind::Invalid, QStringLiteral("history"),
                            QStringLiteral("history has %1 items; at most %2 are accepted")
                                .arg(animeIds.size())
                                .arg(kMaxHistory)};
    std::vector<Event> history;
    history.reserve(animeIds.size());
    for (std::size_t i = 0; i < animeIds.size(); ++i) {
        const auto index = data_->catalog.indexOf(animeIds[i]);
        if (!index)
            return ServiceError{
                ServiceError::Kind::NotFound, QStringLiteral("history[%1]").arg(i),
                QStringLiteral("anime_id %1 is not in the catalogue").arg(animeIds[i])};
        Event event;
        event.item = *index;
        event.order = static_cast<std::int64_t>(i);
        history.push_back(event);
    }
    return history;
}

namespace {
// The same anonymous history always gets the same answer (exploration is keyed by it).
std::uint64_t sessionKey(std::span<const std::int64_t> animeIds) {
    std::uint64_t key = 1469598103934665603ull;
    for (const std::int64_t id : animeIds)
        key = (key ^ static_cast<std::uint64_t>(id)) * 1099511628211ull;
    return key;
}
}  // namespace

Outcome<Recommendation> RecommendService::sessionFromHistory(
    std::span<const std::int64_t> animeIds, int topN,
    const std::vector<std::string>& genres) const {
    return forSession(ModelRole::Session, animeIds, topN, genres);
}

Outcome<Recommendation> RecommendService::popularFor(int user, std::span<const Event> history,
                                                     int topN) const {
    const auto popularity = models_.get(ModelRole::Popularity);
    const std::vector<int> exclude = itemsOf(history);
    return rank(popularity.get(), user, history, exclude, topN,
                popularity ? QStringLiteral("popularity")
                           : QStringLiteral("popularity: interaction counts"));
}

Outcome<Recommendation> RecommendService::forUser(ModelRole role, std::int64_t userId,
                                                  int topN) const {
    return userAnswer(role, userId, topN, {}, nullptr);
}

Outcome<Recommendation> RecommendService::forUser(
    ModelRole role, std::int64_t userId, int topN,
    std::shared_ptr<const ServedModel> personal) const {
    return userAnswer(role, userId, topN, {}, std::move(personal));
}

Outcome<Recommendation> RecommendService::userAnswer(
    ModelRole role, std::int64_t userId, int topN, const std::vector<std::string>& genres,
    std::shared_ptr<const ServedModel> pinned) const {
    if (auto error = checkTopN(topN)) return *error;
    const int user = data_->interactions.userIndexOf(userId);
    std::vector<Event> merged;
    const std::span<const Event> history = historyOf(userId, user, merged);
    if (role == ModelRole::Popularity) return popularFor(user, history, topN);
    return forHistory(role, user, history, topN, static_cast<std::uint64_t>(userId),
                      user < 0 && history.empty() ? kUnknownUser : QStringLiteral("short history"),
                      genres, std::move(pinned));
}

Outcome<Recommendation> RecommendService::forSession(ModelRole role,
                                                     std::span<const std::int64_t> animeIds,
                                                     int topN,
                                                     const std::vector<std::string>& genres) const {
    return sessionAnswer(role, animeIds, topN, genres, nullptr);
}

Outcome<Recommendation> RecommendService::forSession(
    ModelRole role, std::span<const std::int64_t> animeIds, int topN,
    std::shared_ptr<const ServedModel> personal) const {
    return sessionAnswer(role, animeIds, topN, {}, std::move(personal));
}

Outcome<Recommendation> RecommendService::sessionAnswer(
    ModelRole role, std::span<const std::int64_t> animeIds, int topN,
    const std::vector<std::string>& genres, std::shared_ptr<const ServedModel> pinned) const {
    if (auto error = checkTopN(topN)) return *error;
    auto history = historyFromIds(animeIds);
    if (const auto* error = std::get_if<ServiceError>(&history)) return *error;
    const auto& events = std::get<std::vector<Event>>(history);
    if (role == ModelRole::Popularity && genres.empty()) return popularFor(-1, events, topN);
    if (role == ModelRole::Popularity && events.empty())
        return forHistory(role, -1, events, topN, sessionKey(animeIds),
                          QStringLiteral("favourite genres"), genres);
    if (role == ModelRole::Popularity) return popularFor(-1, events, topN);
    return forHistory(
        role, -1, events, topN, sessionKey(animeIds),
        events.empty() ? QStringLiteral("empty history") : QStringLiteral("short history"), genres,
        std::move(pinned));
}

void RecommendService::explain(Recommendation& answer, const ServedModel* served, int user,
                               std::span<const Event> history) const {
    const auto* explainer = served ? dynamic_cast<const Explainer*>(served->model.get()) : nullptr;
    if (!explainer || history.empty()) return;
    // All items of the answer in one call: ALS factors the user's system once for all of them.
    std::vector<int> items;
    items.reserve(answer.items.size());
    for (const RecommendedItem& item : answer.items) items.push_back(item.item);
    const auto reasons = explainer->explainItems(UserQuery{user, history}, items, 3);
    for (std::size_t i = 0; i < answer.items.size() && i < reasons.size(); ++i)
        for (const Contribution& contribution : reasons[i])
            if (contribution.weight > 0)
                answer.items[i].because.push_back(data_->catalog.idAt(contribution.item));
}

}  // namespace animerec::service

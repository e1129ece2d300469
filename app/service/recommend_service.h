#pragma once

#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "models/cold_start.h"
#include "service/model_registry.h"

namespace animerec {
struct AnimeRecord;
struct Dataset;
struct Event;
struct ScoredItem;
}  // namespace animerec

namespace animerec::service {

class RecentHistory;

struct RecommendedItem {
    std::int64_t animeId = 0;
    int item = 0;  // catalogue index
    float score = 0.0f;
    int rank = 0;  // 1-based
    // The user's own titles (MAL ids) that contributed most, for models that can explain.
    std::vector<std::int64_t> because;
};

// One answer: which model produced it, and how ("collaborative", "cold_start: unknown user", ...).
struct Recommendation {
    QString model;
    QString modelVersion;
    QString strategy;
    std::vector<RecommendedItem> items;
};

// An expected failure, phrased for the caller; HTTP maps kind to a status code.
struct ServiceError {
    enum class Kind { NotFound, Invalid };
    Kind kind = Kind::Invalid;
    QString field;
    QString message;
};

template <typename T>
using Outcome = std::variant<T, ServiceError>;

// The one recommendation API of the application, shared by the HTTP server and Studio.
// Every method is const and thread-safe: it snapshots the models from the registry and scores
// into per-call buffers. Items the user has seen are never returned.
class RecommendService {
public:
    static constexpr int kMaxTopN = 100;
    static constexpr int kMaxHistory = 1000;

    // `top100` (MAL ids, best first) is the list GET /top falls back to without a popularity model.
    RecommendService(std::shared_ptr<const Dataset> data, const ModelRegistry& models,
                     std::vector<std::int64_t> top100 = {});
    ~RecommendService();

    Outcome<Recommendation> top(int topN = kMaxTopN) const;
    Outcome<Recommendation> contentBased(std::int64_t animeId, int topN) const;
    // `genres` (favourite genres, names as in the catalogue) steer the cold-start answer of a
    // user or session with no usable history: popular titles in those genres.
    // Next items for a known user's recent history; unknown users get the cold-start answer.
    Outcome<Recommendation> sessionBased(std::int64_t userId, int topN,
                                         const std::vector<std::string>& genres = {}) const;
    // Next items for an anonymous session (MAL ids, oldest first).
    Outcome<Recommendation> sessionFromHistory(std::span<const std::int64_t> animeIds, int topN,
                                               const std::vector<std::string>& genres = {}) const;
    Outcome<Recommendation> collaborative(std::int64_t userId, int topN,
                                          const std::vector<std::string>& genres = {}) const;

    // How users without a usable history are answered (exploration share and pool). Set before
    // serving starts.
    void setColdStart(const ColdStartConfig& config);
    // The catalogue's genre spelled as the catalogue spells it ("action" -> "Action"); empty when
    // no title has it.
    std::string knownGenre(const std::string& genre) const;

    // What the role's default model puts with one title: its answer for a history of just that
    // title (EASE's item weights, ALS's folded-in factors, SASRec's next step), the title
    // excluded; the content role answers by similarity. NotFound for an unknown id or a role
    // without a model.
    Outcome<Recommendation> itemToItem(ModelRole role, std::int64_t animeId, int topN) const;

    // Any family for a user (the Compare panel's four lists): popularity excludes what the user
    // has seen; the others go through the same cold-start policy as the HTTP routes.
    Outcome<Recommendation> forUser(ModelRole role, std::int64_t userId, int topN) const;
    // Any family for a list of anime ids, oldest first (a typed session, a new user's picks).
    // `genres` steer the cold-start answer while the history is empty (popular in these genres).
    Outcome<Recommendation> forSession(ModelRole role, std::span<const std::int64_t> animeIds,
                                       int topN, const std::vector<std::string>& genres = {}) const;
    // The same two, personalised by `personal` (an A/B variant's model, which may not be the
    // role's default) instead of the role's default; cold start is unchanged.
    Outcome<Recommendation> forUser(ModelRole role, std::int64_t userId, int topN,
                                    std::shared_ptr<const ServedModel> personal) const;
    Outcome<Recommendation> forSession(ModelRole role, std::span<const std::int64_t> animeIds,
                                       int topN, std::shared_ptr<const ServedModel> personal) const;

    // Events users added since the snapshot (POST /feedback), merged into their histories by
    // every per-user method. Set before serving starts; null = the snapshot only.
    void setRecentHistory(std::shared_ptr<const RecentHistory> recent);
    const RecentHistory* recentHistory() const { return recent_.get(); }

    const AnimeRecord* anime(std::int64_t animeId) const;
    const AnimeRecord& animeAt(int item) const;
    // True when at least one model is loaded (else only the count-based fallback answers).
    bool ready() const;
    const ModelRegistry& models() const { return models_; }
    const Dataset& dataset() const { return *data_; }

private:
    // Personal model when the history allows, else the cold-start policy
    // (core/models/cold_start.h). `pinned` personalises instead of the role's default model when
    // set.
    Outcome<Recommendation> forHistory(ModelRole role, int user, std::span<const Event> history,
                                       int topN, std::uint64_t explorationKey,
                                       const QString& coldReason,
                                       const std::vector<std::string>& genres = {},
                                       std::shared_ptr<const ServedModel> pinned = nullptr) const;
    Outcome<Recommendation> userAnswer(ModelRole role, std::int64_t userId, int topN,
                                       const std::vector<std::string>& genres,
                                       std::shared_ptr<const ServedModel> pinned) const;
    Outcome<Recommendation> sessionAnswer(ModelRole role, std::span<const std::int64_t> animeIds,
                                          int topN, const std::vector<std::string>& genres,
                                          std::shared_ptr<const ServedModel> pinned) const;
    Recommendation rank(const ServedModel* served, int user, std::span<const Event> history,
                        std::span<const int> exclude, int topN, const QString& strategy) const;
    Recommendation fromItems(const ServedModel* served, const QString& strategy,
                             const std::vector<ScoredItem>& items) const;
    static std::optional<ServiceError> checkTopN(int topN);
    Outcome<std::vector<Event>> historyFromIds(std::span<const std::int64_t> animeIds) const;
    // The user's snapshot history with recent events merged; `storage` keeps a merged copy alive.
    std::span<const Event> historyOf(std::int64_t userId, int user,
                                     std::vector<Event>& storage) const;
    Outcome<Recommendation> popularFor(int user, std::span<const Event> history, int topN) const;
    void explain(Recommendation& answer, const ServedModel* served, int user,
                 std::span<const Event> history) const;

    std::shared_ptr<const Dataset> data_;
    const ModelRegistry& models_;
    std::vector<int> top100_;         // catalogue indices
    std::vector<float> countScores_;  // interactions per item: the model-free popularity
    std::shared_ptr<const RecentHistory> recent_;
    ColdStartConfig coldStart_;
};

}  // namespace animerec::service

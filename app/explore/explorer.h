#pragma once

// The explorer's query layer: the questions an analyst asks of the data and the models — a
// user's lists from every family, a title's neighbours, the popular titles, a title's or a user's
// profile — answered as JSON from the same RecommendService the HTTP routes and Studio use, so the
// three faces never disagree. Loads the dataset and the model files once; every query after that
// is memory only. The terminal commands (`animerec recommend`, `similar`, `top`, `show`,
// `explore`) print these answers as text or JSON.
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "service/recommend_service.h"

namespace animerec {
struct Dataset;
}

namespace animerec::explore {

// A question the explorer cannot answer, phrased for the person who asked ("anime 'Gintama' is
// ambiguous: did you mean ...").
struct QueryError {
    QString message;
};
using Answer = std::variant<QJsonObject, QueryError>;

// What `recommend` asks: a user, or an anonymous history; which families ("all" = the four).
struct RecommendQuery {
    std::optional<std::int64_t> userId;
    QStringList history;  // ids or titles, oldest first
    QString model = QStringLiteral("all");
    int topN = 10;
};

class Explorer {
    // Messages a person reads are translated (translations/animerec_ru.ts); JSON keys are not.
    Q_DECLARE_TR_FUNCTIONS(Explorer)

public:
    // The families `recommend --model` accepts.
    static const QStringList& families();
    // The popularity measures `top --by` accepts.
    static const QStringList& popularityMeasures();

    // Loads the catalogue and histories from `database` and every model file of `modelsDir`.
    // Throws std::runtime_error naming the database or directory when that fails.
    Explorer(const QString& database, const QString& modelsDir);
    // Over data and models already loaded (Studio's); `models` must outlive the explorer.
    Explorer(std::shared_ptr<const Dataset> data, const service::ModelRegistry& models);
    ~Explorer();

    // An anime from an id or a title (any case, a prefix, a part); an error with the closest
    // titles when none or several match.
    std::variant<int, QueryError> resolveAnime(const QString& text) const;

    Answer recommend(const RecommendQuery& query) const;
    Answer similar(const QString& anime, int topN) const;
    Answer top(const QString& genre, const QString& by, int topN) const;
    Answer showAnime(const QString& anime) const;
    Answer showUser(std::int64_t userId, int historyLimit) const;

    // For completion: the catalogue's genres and titles.
    QStringList genres() const;
    QStringList titles() const;
    // Loaded models, one line per role ("collaborative: ease 20261202T073837Z (chosen by ...)").
    QStringList modelSummary() const;

private:
    QJsonObject animeBrief(int item) const;
    // One family's answer: {role, model, version, strategy, items: [{anime_id, title, rank,
    // score, because?}]}, or {role, error}.
    QJsonObject listJson(service::ModelRole role,
                         const service::Outcome<service::Recommendation>& outcome) const;

    std::shared_ptr<const Dataset> data_;
    std::unique_ptr<service::ModelRegistry> ownRegistry_;  // when the explorer loaded the files
    const service::ModelRegistry* registry_ = nullptr;
    std::unique_ptr<service::RecommendService> service_;
};

}  // namespace animerec::explore

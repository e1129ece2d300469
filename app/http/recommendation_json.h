#pragma once

#include <QByteArray>
#include <vector>

namespace animerec {
class Catalog;
}
namespace animerec::experiments {
struct Assignment;
}
namespace animerec::service {
struct Recommendation;
}

namespace animerec::http {

// The JSON body of a recommendation answer, as every recommendation route sends it:
// {"experiment":{...}?, "model", "model_version", "strategy", "items":[{anime_id, title, genre,
// type, score, rank, because?}]}. Each catalogue item's constant start ({"anime_id":..,"title":..,
// "genre":..,"type":..,"score":) is escaped once at construction, so an answer costs no per-item
// string conversion.
class RecommendationJson {
public:
    explicit RecommendationJson(const Catalog& catalog);

    // `assignment`: the experiment block to put first, when the answer belongs to one.
    QByteArray render(const service::Recommendation& result,
                      const experiments::Assignment* assignment = nullptr) const;

private:
    std::vector<QByteArray> itemPrefix_;
};

}  // namespace animerec::http

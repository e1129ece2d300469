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
struct RecommendedItem;
}  // namespace animerec::service

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

// The anime ids of a rendered list, best first (only animeId is set): each item object starts
// with "anime_id" and titles are JSON-escaped, so the key cannot occur inside a string. Lets a
// cached answer still be logged with the exact items it sent.
std::vector<service::RecommendedItem> itemsOfBody(const QByteArray& body);

}  // namespace animerec::http

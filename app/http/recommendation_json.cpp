#include "http/recommendation_json.h"

#include <QString>
#include <cmath>

#include "data/catalog.h"
#include "experiments/experiment_runtime.h"
#include "service/json_line_writer.h"
#include "service/recommend_service.h"

namespace animerec::http {

namespace {

void appendString(QByteArray& out, const QString& value) {
    service::json_line::appendString(out, value);
}

void appendText(QByteArray& out, const std::string& value) {
    appendString(out, QString::fromStdString(value));
}

QByteArray number(double value) {
    return std::isfinite(value) ? QByteArray::number(value, 'g', 7) : QByteArray("0");
}

}  // namespace

RecommendationJson::RecommendationJson(const Catalog& catalog) {
    itemPrefix_.reserve(static_cast<std::size_t>(catalog.size()));
    for (const AnimeRecord& record : catalog.items()) {
        QByteArray prefix =
            "{\"anime_id\":" + QByteArray::number(static_cast<qint64>(record.animeId)) +
            ",\"title\":";
        appendText(prefix, record.title);
        prefix += ",\"genre\":";
        appendText(prefix, joinGenres(record.genres));
        prefix += ",\"type\":";
        appendText(prefix, record.type);
        prefix += ",\"score\":";
        itemPrefix_.push_back(std::move(prefix));
    }
}

QByteArray RecommendationJson::render(const service::Recommendation& result,
                                      const experiments::Assignment* assignment) const {
    QByteArray body;
    body.reserve(128 + static_cast<qsizetype>(result.items.size()) * 160);
    body += '{';
    if (assignment) {
        body += "\"experiment\":{\"name\":";
        appendString(body, assignment->experiment);
        body += ",\"variant\":";
        appendString(body, assignment->variant);
        body += "},";
    }
    body += "\"model\":";
    appendString(body, result.model);
    body += ",\"model_version\":";
    appendString(body, result.modelVersion);
    body += ",\"strategy\":";
    appendString(body, result.strategy);
    body += ",\"items\":[";
    for (const service::RecommendedItem& item : result.items) {
        if (&item != result.items.data()) body += ',';
        body += itemPrefix_[static_cast<std::size_t>(item.item)];
        body += number(item.score);
        body += ",\"rank\":";
        body += QByteArray::number(item.rank);
        if (!item.because.empty()) {
            // "because you watched": the user's own titles that contributed most.
            body += ",\"because\":[";
            for (std::size_t i = 0; i < item.because.size(); ++i) {
                if (i > 0) body += ',';
                body += QByteArray::number(static_cast<qlonglong>(item.because[i]));
            }
            body += ']';
        }
        body += '}';
    }
    body += "]}";
    return body;
}

}  // namespace animerec::http

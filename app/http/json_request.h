#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace animerec::http {

// A request the API refuses, phrased for the client: the HTTP status, the offending field
// ("body" for the request as a whole) and what is wrong with it.
struct RequestError {
    int status = 400;
    QString field;
    QString message;

    QJsonObject toJson()
        const;  // {"status": 422, "error": "Unprocessable Entity", "field", "message"}
};

// A parsed value or the reason it could not be parsed.
template <typename T>
struct Parsed {
    std::optional<T> value;
    RequestError error;
    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

// The body as a JSON object: 400 for empty or malformed JSON (with the parser's offset),
// 422 for valid JSON of another shape, 422 for a field outside `allowedFields`.
Parsed<QJsonObject> parseJsonObject(const QByteArray& body, const QStringList& allowedFields);

// A whole JSON number in [min, max] (JSON numbers are doubles: 1.0 passes, 1.5, "1", true and
// values beyond 2^53 do not). Missing or null fields yield `fallback` when given, else 422.
Parsed<std::int64_t> integerField(const QJsonObject& object, const QString& field, std::int64_t min,
                                  std::int64_t max,
                                  std::optional<std::int64_t> fallback = std::nullopt);

// An array of whole numbers in [min, max], at most maxLength long.
Parsed<std::vector<std::int64_t>> integerArrayField(const QJsonObject& object, const QString& field,
                                                    std::int64_t min, std::int64_t max,
                                                    int maxLength);

// A query-string parameter ("/top?top_n=5") that must be a whole number in [min, max]: 422 like a
// body field otherwise; `fallback` when absent. 422 too for any parameter not in `allowed`.
Parsed<std::int64_t> integerQueryParameter(const QString& query, const QString& field,
                                           std::int64_t min, std::int64_t max,
                                           std::int64_t fallback, const QStringList& allowed);

// A path segment that must be a whole number ("/anime/{id}").
Parsed<std::int64_t> integerSegment(const QString& text, const QString& field);

// The text of an HTTP status ("Unprocessable Entity").
QString statusText(int status);

}  // namespace animerec::http

#include "http/json_request.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QUrlQuery>
#include <cmath>

namespace animerec::http {

namespace {

RequestError unprocessable(const QString& field, const QString& message) {
    return {422, field, message};
}

QString describe(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null:
            return QStringLiteral("null");
        case QJsonValue::Bool:
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double:
            return QString::number(value.toDouble(), 'g', 17);
        case QJsonValue::String:
            return QStringLiteral("the string \"%1\"").arg(value.toString().left(40));
        case QJsonValue::Array:
            return QStringLiteral("an array");
        case QJsonValue::Object:
            return QStringLiteral("an object");
        case QJsonValue::Undefined:
            return QStringLiteral("nothing");
    }
    return {};
}

// Doubles represent every integer up to 2^53 exactly; beyond that "1" and "1.0000000001" blur.
constexpr double kMaxExactInteger = 9007199254740992.0;

std::optional<std::int64_t> wholeNumber(const QJsonValue& value) {
    if (!value.isDouble()) return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::floor(number) != number ||
        std::fabs(number) > kMaxExactInteger)
        return std::nullopt;
    return static_cast<std::int64_t>(number);
}

Parsed<std::int64_t> checkRange(const QJsonValue& value, const QString& field, std::int64_t min,
                                std::int64_t max) {
    const auto number = wholeNumber(value);
    if (!number || *number < min || *number > max)
        return {std::nullopt,
                unprocessable(field, QStringLiteral("%1 must be an integer in [%2, %3], got %4")
                                         .arg(field)
                                         .arg(min)
                                         .arg(max)
                                         .arg(describe(value)))};
    return {number, {}};
}

}  // namespace

QString statusText(int status) {
    switch (status) {
        case 200:
            return QStringLiteral("OK");
        case 400:
            return QStringLiteral("Bad Request");
        case 401:
            return QStringLiteral("Unauthorized");
        case 403:
            return QStringLiteral("Forbidden");
        case 404:
            return QStringLiteral("Not Found");
        case 405:
            return QStringLiteral("Method Not Allowed");
        case 413:
            return QStringLiteral("Payload Too Large");
        case 422:
            return QStringLiteral("Unprocessable Entity");
        case 500:
            return QStringLiteral("Internal Server Error");
        case 503:
            return QStringLiteral("Service Unavailable");
        default:
            return QStringLiteral("Error");
    }
}

QJsonObject RequestError::toJson() const {
    return {{QStringLiteral("status"), status},
            {QStringLiteral("error"), statusText(status)},
            {QStringLiteral("field"), field},
            {QStringLiteral("message"), message}};
}

Parsed<QJsonObject> parseJsonObject(const QByteArray& body, const QStringList& allowedFields) {
    if (body.trimmed().isEmpty())
        return {std::nullopt,
                {400, QStringLiteral("body"),
                 QStringLiteral("request body is empty; expected a JSON object")}};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {std::nullopt,
                {400, QStringLiteral("body"),
                 QStringLiteral("invalid JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString())}};
    if (!document.isObject())
        return {std::nullopt, unprocessable(QStringLiteral("body"),
                                            QStringLiteral("request body must be a JSON object"))};
    QJsonObject object = document.object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        if (!allowedFields.contains(it.key()))
            return {std::nullopt,
                    unprocessable(it.key(), QStringLiteral("unknown field '%1'; expected %2")
                                                .arg(it.key().left(40),
                                                     allowedFields.join(QStringLiteral(", "))))};
    return {std::move(object), {}};
}

Parsed<std::int64_t> integerField(const QJsonObject& object, const QString& field, std::int64_t min,
                                  std::int64_t max, std::optional<std::int64_t> fallback) {
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull()) {
        if (fallback) return {fallback, {}};
        return {std::nullopt, unprocessable(field, QStringLiteral("%1 is required").arg(field))};
    }
    return checkRange(value, field, min, max);
}

Parsed<std::vector<std::int64_t>> integerArrayField(const QJsonObject& object, const QString& field,
                                                    std::int64_t min, std::int64_t max,
                                                    int maxLength) {
    const QJsonValue value = object.value(field);
    if (!value.isArray())
        return {std::nullopt,
                unprocessable(field, QStringLiteral("%1 must be an array of anime ids, got %2")
                                         .arg(field, describe(value)))};
    const QJsonArray array = value.toArray();
    if (array.size() > maxLength)
        return {std::nullopt,
                unprocessable(field, QStringLiteral("%1 has %2 items; at most %3 are accepted")
                                         .arg(field)
                                         .arg(array.size())
                                         .arg(maxLength))};
    std::vector<std::int64_t> numbers;
    numbers.reserve(static_cast<std::size_t>(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto number = checkRange(array.at(i), QStringLiteral("%1[%2]").arg(field).arg(i), min, max);
        if (!number) return {std::nullopt, number.error};
        numbers.push_back(*number);
    }
    return {std::move(numbers), {}};
}

Parsed<std::int64_t> integerQueryParameter(const QString& query, const QString& field,
                                           std::int64_t min, std::int64_t max,
                                           std::int64_t fallback, const QStringList& allowed) {
    const QUrlQuery parameters(query);
    for (const auto& [name, value] : parameters.queryItems(QUrl::FullyDecoded))
        if (!allowed.contains(name))
            return {std::nullopt,
                    unprocessable(name.left(40),
                                  QStringLiteral("unknown query parameter '%1'; expected %2")
                                      .arg(name.left(40), allowed.join(QStringLiteral(", "))))};
    if (!parameters.hasQueryItem(field)) return {fallback, {}};
    const QString text = parameters.queryItemValue(field, QUrl::FullyDecoded);
    bool ok = false;
    const qlonglong number = text.toLongLong(&ok);
    if (!ok || number < min || number > max)
        return {std::nullopt,
                unprocessable(field, QStringLiteral("%1 must be an integer in [%2, %3], got '%4'")
                                         .arg(field)
                                         .arg(min)
                                         .arg(max)
                                         .arg(text.left(40)))};
    return {number, {}};
}

Parsed<std::int64_t> integerSegment(const QString& text, const QString& field) {
    bool ok = false;
    const qlonglong number = text.toLongLong(&ok);
    if (!ok || number < 0)
        return {std::nullopt,
                {400, field,
                 QStringLiteral("%1 must be a non-negative integer, got '%2'")
                     .arg(field, text.left(40))}};
    return {number, {}};
}

}  // namespace animerec::http

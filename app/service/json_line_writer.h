#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringView>

namespace animerec::service {

// Appends compact JSON to a byte buffer without building a QJsonDocument. The request log writes
// one line per request; at 50k requests/s assembling it through QJsonObject/QJsonDocument and
// QDateTime formatting cost about a fifth of the server's CPU.
namespace json_line {

void appendString(QByteArray& out, QStringView text);  // quoted and escaped
void appendValue(QByteArray& out, const QJsonValue& value);
// Numbers as QJsonDocument writes them: integral values without a fraction.
void appendNumber(QByteArray& out, double value);
// value rounded to `decimals` places, e.g. 0.123 for a latency in milliseconds.
void appendFixed(QByteArray& out, double value, int decimals);
// The current UTC time as a quoted ISO 8601 string with milliseconds ("2026-11-29T13:58:01.123Z").
void appendUtcNow(QByteArray& out);

}  // namespace json_line
}  // namespace animerec::service

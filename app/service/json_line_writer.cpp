#include "service/json_line_writer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <charconv>
#include <cmath>
#include <ctime>

namespace animerec::service::json_line {

namespace {

void appendEscapedUtf8(QByteArray& out, const QByteArray& utf8) {
    static const char hex[] = "0123456789abcdef";
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (byte < 0x20) {
                    out += "\\u00";
                    out += hex[byte >> 4];
                    out += hex[byte & 0xf];
                } else {
                    out += c;  // UTF-8 continuation bytes pass through unchanged
                }
        }
    }
}

void appendChars(QByteArray& out, const char* first, const char* last) {
    out.append(first, static_cast<qsizetype>(last - first));
}

}  // namespace

void appendString(QByteArray& out, QStringView text) {
    out += '"';
    appendEscapedUtf8(out, text.toUtf8());
    out += '"';
}

void appendNumber(QByteArray& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";  // what QJsonDocument writes for NaN and infinities
        return;
    }
    char buffer[32];
    constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
    if (value == std::floor(value) && std::fabs(value) < kExactIntegers) {
        const auto result =
            std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
        appendChars(out, buffer, result.ptr);
        return;
    }
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    appendChars(out, buffer, result.ptr);
}

void appendFixed(QByteArray& out, double value, int decimals) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    if (result.ec != std::errc()) {
        appendNumber(out, value);
        return;
    }
    appendChars(out, buffer, result.ptr);
}

void appendValue(QByteArray& out, const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            out += "null";
            break;
        case QJsonValue::Bool:
            out += value.toBool() ? "true" : "false";
            break;
        case QJsonValue::Double:
            appendNumber(out, value.toDouble());
            break;
        case QJsonValue::String:
            appendString(out, value.toString());
            break;
        case QJsonValue::Array: {
            out += '[';
            bool first = true;
            for (const QJsonValue& element : value.toArray()) {
                if (!first) out += ',';
                first = false;
                appendValue(out, element);
            }
            out += ']';
            break;
        }
        case QJsonValue::Object: {
            out += '{';
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it != object.begin()) out += ',';
                appendString(out, it.key());
                out += ':';
                appendValue(out, it.value());
            }
            out += '}';
            break;
        }
    }
}

void appendUtcNow(QByteArray& out) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    // The date and time of day change once a second: format them once per second and thread.
    thread_local time_t formattedSecond = -1;
    thread_local char secondText[24] = {};
    if (now.tv_sec != formattedSecond) {
        tm parts{};
        ::gmtime_r(&now.tv_sec, &parts);
        std::strftime(secondText, sizeof secondText, "%Y-%m-%dT%H:%M:%S", &parts);
        formattedSecond = now.tv_sec;
    }
    const long millis = now.tv_nsec / 1'000'000;
    const char fraction[] = {'.',
                             static_cast<char>('0' + millis / 100),
                             static_cast<char>('0' + millis / 10 % 10),
                             static_cast<char>('0' + millis % 10),
                             'Z',
                             '"'};
    out += '"';
    out += secondText;
    out.append(fraction, sizeof fraction);
}

}  // namespace animerec::service::json_line

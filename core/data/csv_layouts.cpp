#include "data/csv_layouts.h"

#include <cctype>
#include <charconv>
#include <stdexcept>

#include "data/csv_reader.h"

namespace animerec {

std::string structuralProblem(const CsvRow& row, int columns) {
    if (!row.error.empty()) return row.error;
    if (static_cast<int>(row.fields.size()) != columns)
        return "wrong column count " + std::to_string(row.fields.size()) + ", expected " +
               std::to_string(columns);
    return {};
}

std::string describeReject(const CsvReject& reject) {
    return reject.file + ":" + std::to_string(reject.line) + ": " + reject.reason;
}

std::string_view trimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool isMissingValue(std::string_view text) {
    text = trimBlanks(text);
    if (text.empty()) return true;
    if (text.size() != 7) return false;
    constexpr std::string_view kUnknown = "unknown";
    for (std::size_t i = 0; i < kUnknown.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != kUnknown[i]) return false;
    return true;
}

CsvHeader::CsvHeader(const CsvRow& row, std::string file) : file_(std::move(file)) {
    if (!row.error.empty()) throw std::invalid_argument(file_ + ": bad header: " + row.error);
    names_.reserve(row.fields.size());
    for (std::string_view field : row.fields) {
        std::string name(trimBlanks(field));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        names_.push_back(std::move(name));
    }
}

int CsvHeader::find(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<int>(i);
    return -1;
}

int CsvHeader::require(std::string_view name, std::string_view kind,
                       std::string_view layout) const {
    const int index = find(name);
    if (index < 0)
        throw std::invalid_argument(file_ + ": missing column '" + std::string(name) + "' in " +
                                    std::string(kind) + " header '" + text() + "' (" +
                                    std::string(layout) + " layout)");
    return index;
}

std::string CsvHeader::text() const {
    std::string joined;
    for (const auto& name : names_) {
        if (!joined.empty()) joined += ',';
        joined += name;
    }
    return joined;
}

namespace {

void setNotA(std::string_view text, std::string_view field, const char* what, std::string& reason) {
    reason = "field ";
    reason.append(field);
    reason += ": '";
    reason.append(text.substr(0, 60));
    reason += "' is not ";
    reason += what;
}

}  // namespace

bool parseIntegerField(std::string_view text, std::string_view field, std::int64_t& value,
                       std::string& reason) {
    const std::string_view trimmed = trimBlanks(text);
    const char* first = trimmed.data();
    const char* last = first + trimmed.size();
    if (first != last && *first == '+') ++first;
    const auto result = std::from_chars(first, last, value);
    if (result.ec != std::errc() || result.ptr != last || trimmed.empty()) {
        setNotA(text, field, "an integer", reason);
        return false;
    }
    return true;
}

bool parseRealField(std::string_view text, std::string_view field, double& value,
                    std::string& reason) {
    const std::string_view trimmed = trimBlanks(text);
    const char* first = trimmed.data();
    const char* last = first + trimmed.size();
    if (first != last && *first == '+') ++first;
    const auto result = std::from_chars(first, last, value);
    if (result.ec != std::errc() || result.ptr != last || trimmed.empty() || value != value) {
        setNotA(text, field, "a number", reason);
        return false;
    }
    return true;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

bool digitsAt(std::string_view text, std::size_t at, std::size_t count, int& value) {
    if (at + count > text.size()) return false;
    value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

}  // namespace

std::optional<std::int64_t> parseDateTime(std::string_view text) {
    text = trimBlanks(text);
    int year, month, day, hour, minute, second;
    if (!digitsAt(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
        !digitsAt(text, 5, 2, month) || text[7] != '-' || !digitsAt(text, 8, 2, day) ||
        (text[10] != ' ' && text[10] != 'T') || !digitsAt(text, 11, 2, hour) || text[13] != ':' ||
        !digitsAt(text, 14, 2, minute) || text[16] != ':' || !digitsAt(text, 17, 2, second))
        return std::nullopt;
    static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) return std::nullopt;
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    }
    std::int64_t offset = 0;
    if (at < text.size()) {
        if (text[at] == 'Z' || text[at] == 'z') {
            ++at;
        } else if (text[at] == '+' || text[at] == '-') {
            int offsetHours, offsetMinutes;
            const bool colon = at + 3 < text.size() && text[at + 3] == ':';
            if (!digitsAt(text, at + 1, 2, offsetHours) ||
                !digitsAt(text, at + (colon ? 4 : 3), 2, offsetMinutes))
                return std::nullopt;
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (text[at] == '-' ? -1 : 1);
            at += colon ? 6 : 5;
        }
    }
    if (at != text.size()) return std::nullopt;
    return daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
           hour * 3600 + minute * 60 + second - offset;
}

}  // namespace animerec

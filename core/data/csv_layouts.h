#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace animerec {

struct CsvRow;

// A row that was read but not accepted, with the reason ("field anime_id: 'abc' is not an
// integer", "wrong column count 5, expected 3", "unknown anime_id 123", "unterminated quote").
struct CsvReject {
    std::string file;
    std::int64_t line = 0;  // 1-based physical line where the record starts
    std::string reason;
};

// "file:line: reason", the form the reject reports use.
std::string describeReject(const CsvReject& reject);

// Why `row` cannot be a record of a file with `columns` columns (a read error such as an
// unterminated quote, or a wrong column count); empty when its shape is fine.
std::string structuralProblem(const CsvRow& row, int columns);

// A CSV header with names normalised (trimmed, lower case) for layout detection.
class CsvHeader {
public:
    // `file` is only used in error messages.
    CsvHeader(const CsvRow& row, std::string file);

    // Column index of `name` (already normalised), or -1.
    int find(std::string_view name) const;
    // Column index of `name`; throws std::invalid_argument "FILE: missing column 'NAME' in
    // KIND header (LAYOUT)" when absent.
    int require(std::string_view name, std::string_view kind, std::string_view layout) const;
    int size() const { return static_cast<int>(names_.size()); }
    const std::string& file() const { return file_; }
    // The header as read, comma separated, for messages.
    std::string text() const;

private:
    std::string file_;
    std::vector<std::string> names_;
};

// Field parsers for row validation. They accept surrounding blanks. On failure they return
// false and set `reason` to "field NAME: 'VALUE' is not ...".
bool parseIntegerField(std::string_view text, std::string_view field, std::int64_t& value,
                       std::string& reason);
bool parseRealField(std::string_view text, std::string_view field, double& value,
                    std::string& reason);

// Blank-trimmed view.
std::string_view trimBlanks(std::string_view text);
// True for an empty or "Unknown" value (case-insensitive), which layouts map to std::nullopt.
bool isMissingValue(std::string_view text);

// Seconds since the Unix epoch for "YYYY-MM-DD HH:MM:SS" or ISO-8601 "YYYY-MM-DDTHH:MM:SS"
// with optional fraction and "Z" / "+hh:mm" / "-hh:mm" offset (no offset = UTC). nullopt when
// the text is not such a date-time or names an impossible date.
std::optional<std::int64_t> parseDateTime(std::string_view text);

}  // namespace animerec

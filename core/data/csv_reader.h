#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace animerec {

// One record as returned by CsvReader.
struct CsvRow {
    std::int64_t line = 0;                 // 1-based physical line where the record starts
    std::vector<std::string_view> fields;  // unquoted values; valid until the next read
    std::string error;                     // non-empty when the record is malformed (fields empty)
};

// Streaming RFC 4180 reader: quoted fields with delimiters, doubled quotes and line breaks,
// CRLF or LF endings, an optional UTF-8 BOM and a missing final newline. Blank lines are skipped.
// Reads the stream in large blocks and hands out views into its buffer, so a row costs no
// allocation once the buffers are warm.
//
// A quote left open at the end of the input (or one whose record would exceed maxRecordBytes)
// yields one record with `error` set, after which reading resumes on the next physical line, so
// one bad quote costs one record rather than the rest of the file.
class CsvReader {
public:
    static constexpr std::size_t kDefaultBlockBytes = std::size_t{1} << 20;
    static constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{16} << 20;

    explicit CsvReader(std::istream& input, char delimiter = ',',
                       std::size_t blockBytes = kDefaultBlockBytes,
                       std::size_t maxRecordBytes = kDefaultMaxRecordBytes);

    // Reads the next record into `row`; false at the end of the input. Throws std::runtime_error
    // when the stream fails for a reason other than end of file.
    bool next(CsvRow& row);

    // Bytes consumed from the stream so far (for progress reports).
    std::int64_t bytesRead() const { return bytesRead_; }

private:
    enum class Scan { Complete, NeedMore, Unterminated };

    Scan scanRecord(CsvRow& row);
    bool fill();
    void skipToNextLine();

    std::istream& input_;
    char delimiter_;
    std::size_t blockBytes_;
    std::size_t maxRecordBytes_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // start of unread data in buffer_
    std::size_t end_ = 0;    // end of valid data in buffer_
    bool eof_ = false;
    bool atStart_ = true;    // BOM check pending
    std::int64_t line_ = 1;  // physical line at begin_
    std::int64_t bytesRead_ = 0;
    std::string scratch_;                   // unescaped quoted fields
    std::vector<std::size_t> fieldStarts_;  // per field: offset, length, in-scratch flag
    std::vector<std::size_t> fieldLengths_;
    std::vector<bool> fieldInScratch_;
};

}  // namespace animerec

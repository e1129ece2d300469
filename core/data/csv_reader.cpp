#include "data/csv_reader.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <stdexcept>

namespace animerec {

CsvReader::CsvReader(std::istream& input, char delimiter, std::size_t blockBytes,
                     std::size_t maxRecordBytes)
    : input_(input),
      delimiter_(delimiter),
      blockBytes_(std::max<std::size_t>(blockBytes, 16)),
      maxRecordBytes_(std::max<std::size_t>(maxRecordBytes, 16)) {}

bool CsvReader::fill() {
    if (eof_) return false;
    // Keep the unread tail (a partial record) and append one block after it.
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (buffer_.size() < end_ + blockBytes_) buffer_.resize(end_ + blockBytes_);
    input_.read(buffer_.data() + end_, static_cast<std::streamsize>(blockBytes_));
    const auto got = static_cast<std::size_t>(input_.gcount());
    if (got < blockBytes_) {
        if (input_.bad()) throw std::runtime_error("CSV read failed (stream error)");
        eof_ = true;
    }
    end_ += got;
    bytesRead_ += static_cast<std::int64_t>(got);
    return got > 0;
}

void CsvReader::skipToNextLine() {
    for (;;) {
        const char* data = buffer_.data();
        const void* newline = std::memchr(data + begin_, '\n', end_ - begin_);
        if (newline != nullptr) {
            begin_ = static_cast<std::size_t>(static_cast<const char*>(newline) - data) + 1;
            ++line_;
            return;
        }
        begin_ = end_;
        if (!fill()) return;
    }
}

CsvReader::Scan CsvReader::scanRecord(CsvRow& row) {
    const char* data = buffer_.data();
    const std::size_t end = end_;
    const char delimiter = delimiter_;
    std::size_t p = begin_;
    std::int64_t newlines = 0;
    scratch_.clear();
    fieldStarts_.clear();
    fieldLengths_.clear();
    fieldInScratch_.clear();

    for (;;) {
        // One field starts at p.
        if (p < end && data[p] == '"') {
            ++p;
            std::size_t segment = p;
            bool inScratch = false;
            const std::size_t scratchStart = scratch_.size();
            for (;;) {
                const void* found = std::memchr(data + p, '"', end - p);
                const std::size_t q =
                    found ? static_cast<std::size_t>(static_cast<const char*>(found) - data) : end;
                newlines += std::count(data + p, data + q, '\n');
                if (found == nullptr) return eof_ ? Scan::Unterminated : Scan::NeedMore;
                if (q + 1 == end && !eof_) return Scan::NeedMore;  // "" or closing: can't tell yet
                if (q + 1 < end && data[q + 1] == '"') {
                    scratch_.append(data + segment, q + 1 - segment);  // keep one quote
                    inScratch = true;
                    p = q + 2;
                    segment = p;
                    continue;
                }
                if (inScratch) scratch_.append(data + segment, q - segment);
                p = q + 1;
                break;
            }
            // Text after the closing quote (`"a"b`) is not RFC 4180; keep it, as Python's csv does.
            if (p < end && data[p] != delimiter && data[p] != '\n' &&
                !(data[p] == '\r' && (p + 1 == end || data[p + 1] == '\n'))) {
                if (!inScratch) scratch_.append(data + segment, p - 1 - segment);
                inScratch = true;
                std::size_t q = p;
                while (q < end && data[q] != delimiter && data[q] != '\n') ++q;
                if (q == end && !eof_) return Scan::NeedMore;
                std::size_t stop = q;
                if (stop > p && data[stop - 1] == '\r' && (q < end || eof_)) --stop;
                scratch_.append(data + p, stop - p);
                p = stop;
            }
            if (inScratch) {
                fieldStarts_.push_back(scratchStart);
                fieldLengths_.push_back(scratch_.size() - scratchStart);
            } else {
                fieldStarts_.push_back(segment);
                fieldLengths_.push_back(p - 1 - segment);
            }
            fieldInScratch_.push_back(inScratch);
        } else {
            std::size_t q = p;
            while (q < end && data[q] != delimiter && data[q] != '\n') ++q;
            if (q == end && !eof_) return Scan::NeedMore;
            std::size_t stop = q;
            if (stop > p && data[stop - 1] == '\r' && (q < end ? data[q] == '\n' : true)) --stop;
            fieldStarts_.push_back(p);
            fieldLengths_.push_back(stop - p);
            fieldInScratch_.push_back(false);
            p = stop;
        }
        // After a field: delimiter, line end or end of input.
        if (p == end) {
            if (!eof_) return Scan::NeedMore;
            break;
        }
        if (data[p] == delimiter) {
            ++p;
            if (p == end && !eof_) return Scan::NeedMore;
            continue;
        }
        if (data[p] == '\r') {
            if (p + 1 == end) {
                if (!eof_) return Scan::NeedMore;
                p = end;
                break;
            }
            ++p;  // the scan above guarantees '\n' follows
        }
        if (data[p] == '\n') {
            ++p;
            ++newlines;
            break;
        }
    }

    row.line = line_;
    row.error.clear();
    row.fields.resize(fieldStarts_.size());
    for (std::size_t i = 0; i < fieldStarts_.size(); ++i) {
        const char* base = fieldInScratch_[i] ? scratch_.data() : data;
        row.fields[i] = std::string_view(base + fieldStarts_[i], fieldLengths_[i]);
    }
    line_ += newlines;
    begin_ = p;
    return Scan::Complete;
}

bool CsvReader::next(CsvRow& row) {
    for (;;) {
        if (begin_ + 3 > end_ && !eof_) fill();
        if (atStart_) {
            atStart_ = false;
            if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0)
                begin_ += 3;
        }
        if (begin_ == end_) {
            if (eof_) return false;
            continue;
        }
        // Blank lines carry no record.
        const char first = buffer_[begin_];
        if (first == '\n') {
            ++begin_;
            ++line_;
            continue;
        }
        if (first == '\r' && begin_ + 1 < end_ && buffer_[begin_ + 1] == '\n') {
            begin_ += 2;
            ++line_;
            continue;
        }
        if (first == '\r' && begin_ + 1 == end_ && eof_) {
            ++begin_;
            continue;
        }

        const Scan scan = scanRecord(row);
        if (scan == Scan::Complete) return true;
        if (scan == Scan::NeedMore && end_ - begin_ <= maxRecordBytes_) {
            fill();
            continue;
        }
        // An open quote ran to the end of the input or past the size limit: report this record
        // and resynchronise on the next physical line.
        row.line = line_;
        row.fields.clear();
        row.error = scan == Scan::Unterminated
                        ? "unterminated quote"
                        : "record longer than " + std::to_string(maxRecordBytes_) +
                              " bytes (unterminated quote?)";
        skipToNextLine();
        return true;
    }
}

}  // namespace animerec

#pragma once

#include <charconv>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace animerec::generator {

// Append-only text buffer in front of a std::ostream: the generator formats ~10^8 rows, and
// per-field ostream insertion (locale, sentry) would cost more than generating them. Numbers use
// std::to_chars, so output never depends on the process locale.
class BufferedCsvOutput {
public:
    BufferedCsvOutput(std::ostream& out, std::string name,
                      std::size_t capacity = std::size_t{1} << 20)
        : out_(out), name_(std::move(name)), buffer_(capacity + kSlack) {}
    ~BufferedCsvOutput() = default;  // callers flush explicitly so errors can surface
    BufferedCsvOutput(const BufferedCsvOutput&) = delete;
    BufferedCsvOutput& operator=(const BufferedCsvOutput&) = delete;

    void put(char c) { buffer_[size_++] = c; }
    void put(std::string_view text) {
        if (text.size() > kSlack) {
            flush();
            write(text.data(), text.size());
            return;
        }
        text.copy(buffer_.data() + size_, text.size());
        size_ += text.size();
    }
    void putInt(std::int64_t value) {
        size_ = static_cast<std::size_t>(
            std::to_chars(buffer_.data() + size_, buffer_.data() + buffer_.size(), value).ptr -
            buffer_.data());
    }
    // A field quoted per RFC 4180 only when it needs it (comma, quote or line break).
    void putField(std::string_view text) {
        if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
            put(text);
            return;
        }
        put('"');
        for (const char c : text) {
            if (c == '"') put('"');
            put(c);
            if (size_ >= capacity()) flush();
        }
        put('"');
    }
    // Call once per row: flushes when the buffer is nearly full. A row must fit in kSlack bytes
    // unless written through put(string_view) of long pieces.
    void endRow() {
        put('\n');
        if (size_ >= capacity()) flush();
    }
    void flush() {
        write(buffer_.data(), size_);
        size_ = 0;
    }

private:
    static constexpr std::size_t kSlack = 4096;
    std::size_t capacity() const { return buffer_.size() - kSlack; }
    void write(const char* data, std::size_t count) {
        out_.write(data, static_cast<std::streamsize>(count));
        if (!out_) throw std::runtime_error("cannot write " + name_);
    }

    std::ostream& out_;
    std::string name_;
    std::vector<char> buffer_;
    std::size_t size_ = 0;
};

}  // namespace animerec::generator

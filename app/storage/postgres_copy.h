#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;  // libpq's PGconn

// Thin libpq helpers for the bulk paths (COPY in and out) that QPSQL has no API for. They work
// on the QPSQL connection's own handle (Database::postgresHandle()), so they share its session
// and transaction. Every failure throws std::runtime_error with the server's message. Builds
// without libpq compile these as stubs that throw.
namespace animerec::storage::pg {

// True when this build links libpq (COPY support).
bool available();

// Runs a statement that returns no rows.
void exec(pg_conn* connection, const std::string& sql);
// Runs a one-row, one-column query; nullopt when the value is NULL or there is no row.
std::optional<std::int64_t> queryInt(pg_conn* connection, const std::string& sql);
// Runs `sql` with `$1..$n` parameters in text form (nullopt = NULL).
void execParams(pg_conn* connection, const std::string& sql,
                const std::vector<std::optional<std::string>>& parameters);
// One parameter of execBytes: text form (NUL-free text), or binary form (the raw bytes of a
// bytea: no escaping, half the size of the hex text form).
struct BytesParameter {
    std::string_view bytes;
    bool binary = false;
};
// Runs a statement that returns no rows with `$1..$n` parameters.
void execBytes(pg_conn* connection, const std::string& sql,
               const std::vector<BytesParameter>& parameters);
// Runs a query with `$1..$n` text parameters; returns the first column of the first row in
// binary form (a bytea's raw bytes), nullopt when there is no row or the value is NULL.
std::optional<std::string> queryBytes(pg_conn* connection, const std::string& sql,
                                      const std::vector<std::string>& parameters);
// Runs a long statement (CREATE INDEX, ADD CONSTRAINT) while calling `keepGoing` about every
// 100 ms; when it returns false the server is asked to cancel and OperationCancelled is thrown.
void execCancellable(pg_conn* connection, const std::string& sql,
                     const std::function<bool()>& keepGoing);
// "?" placeholders (outside quotes) renumbered as $1, $2, ... for execParams.
std::string numberedPlaceholders(std::string_view sql);

// `COPY table (columns) FROM STDIN` in text format: fields are appended row by row and sent in
// large chunks by a sender thread, so the caller formats the next chunk while the server takes
// the last one (sending from the caller's thread left the server idle while rows were parsed, and
// the caller idle while the socket drained; bench/README.md has the import_vs_psql figures).
// finish() ends the COPY and checks the server's verdict; destroying an
// unfinished CopyIn aborts it (the transaction then has to roll back). Not thread-safe: one
// caller thread; the connection must not be used by anyone else until finish() or abort().
class CopyIn {
public:
    CopyIn(pg_conn* connection, const std::string& copySql);
    ~CopyIn();
    CopyIn(const CopyIn&) = delete;
    CopyIn& operator=(const CopyIn&) = delete;

    void integer(std::int64_t value);
    void real(double value);
    void text(std::string_view value);  // escaped for the text format
    void null();
    template <typename T>
    void optional(const std::optional<T>& value) {
        if (value)
            integer(static_cast<std::int64_t>(*value));
        else
            null();
    }
    void textOrNull(std::string_view value) {
        if (value.empty())
            null();
        else
            text(value);
    }
    void endRow() {
        buffer_.push_back('\n');
        fieldStarted_ = false;
        if (buffer_.size() >= kChunk) send();
    }
    // Ends the COPY; returns the number of rows the server stored.
    std::int64_t finish();
    // Ends the COPY with an error so the server discards it. Never throws.
    void abort() noexcept;

private:
    static constexpr std::size_t kChunk = 1 << 20;
    void separator() {
        if (fieldStarted_) buffer_.push_back('\t');
        fieldStarted_ = true;
    }
    void send();

    struct Sender;
    pg_conn* connection_;
    std::string buffer_;
    bool fieldStarted_ = false;
    bool open_ = false;
    std::unique_ptr<Sender> sender_;
};

// `COPY (query) TO STDOUT` in text format, one row per next(). Fields of the current row are
// read with field(i) (nullopt = NULL) after next() returned true.
class CopyOut {
public:
    CopyOut(pg_conn* connection, const std::string& copySql);
    ~CopyOut();
    CopyOut(const CopyOut&) = delete;
    CopyOut& operator=(const CopyOut&) = delete;

    bool next();
    std::size_t fieldCount() const { return fields_.size(); }
    // NULL = nullopt. Integer parsing throws std::runtime_error on a malformed value.
    std::optional<std::int64_t> integer(std::size_t index) const;
    std::optional<std::string_view> raw(std::size_t index) const;

private:
    void release() noexcept;

    pg_conn* connection_;
    char* row_ = nullptr;
    std::vector<std::string_view> fields_;  // "\N" marks NULL
    bool done_ = false;
};

}  // namespace animerec::storage::pg

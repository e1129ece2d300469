#include "storage/postgres_copy.h"

#include <stdexcept>

#include "util/progress.h"

#if ANIMEREC_HAVE_LIBPQ
#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#endif

namespace animerec::storage::pg {

std::string numberedPlaceholders(std::string_view sql) {
    std::string result;
    result.reserve(sql.size() + 16);
    int next = 0;
    char quote = 0;
    for (const char c : sql) {
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            result += '$' + std::to_string(++next);
            continue;
        }
        result += c;
    }
    return result;
}

#if ANIMEREC_HAVE_LIBPQ

namespace {

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

[[noreturn]] void fail(pg_conn* connection, const std::string& what) {
    std::string message = PQerrorMessage(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    throw std::runtime_error(what + ": " + message);
}

std::string firstLine(const std::string& sql) {
    std::size_t begin = sql.find_first_not_of(" \n\t");
    if (begin == std::string::npos) return {};
    const std::size_t end = sql.find('\n', begin);
    return sql.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

Result expect(pg_conn* connection, PGresult* raw, ExecStatusType status, const std::string& sql) {
    Result result(raw);
    if (!result || PQresultStatus(result.get()) != status)
        fail(connection, "SQL failed (" + firstLine(sql) + ")");
    return result;
}

// Consumes what is left of the current command so the connection is usable again.
void drain(pg_conn* connection) noexcept {
    while (PGresult* result = PQgetResult(connection)) PQclear(result);
}

void cancel(pg_conn* connection) noexcept {
    if (PGcancel* handle = PQgetCancel(connection)) {
        char error[256];
        PQcancel(handle, error, sizeof error);
        PQfreeCancel(handle);
    }
}

}  // namespace

bool available() { return true; }

void exec(pg_conn* connection, const std::string& sql) {
    expect(connection, PQexec(connection, sql.c_str()), PGRES_COMMAND_OK, sql);
}

std::optional<std::int64_t> queryInt(pg_conn* connection, const std::string& sql) {
    const Result result = expect(connection, PQexec(connection, sql.c_str()), PGRES_TUPLES_OK, sql);
    if (PQntuples(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) return std::nullopt;
    return std::stoll(PQgetvalue(result.get(), 0, 0));
}

void execParams(pg_conn* connection, const std::string& sql,
                const std::vector<std::optional<std::string>>& parameters) {
    std::vector<const char*> values;
    for (const auto& parameter : parameters)
        values.push_back(parameter ? parameter->c_str() : nullptr);
    expect(connection,
           PQexecParams(connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0),
           PGRES_COMMAND_OK, sql);
}

void execBytes(pg_conn* connection, const std::string& sql,
               const std::vector<BytesParameter>& parameters) {
    std::vector<std::string> texts;  // text-form values must end with a NUL
    texts.reserve(parameters.size());
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const BytesParameter& parameter : parameters) {
        if (parameter.binary) {
            values.push_back(parameter.bytes.data());
        } else {
            texts.emplace_back(parameter.bytes);
            values.push_back(texts.back().c_str());
        }
        lengths.push_back(static_cast<int>(parameter.bytes.size()));
        formats.push_back(parameter.binary ? 1 : 0);
    }
    expect(connection,
           PQexecParams(connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), lengths.data(), formats.data(), 0),
           PGRES_COMMAND_OK, sql);
}

std::optional<std::string> queryBytes(pg_conn* connection, const std::string& sql,
                                      const std::vector<std::string>& parameters) {
    std::vector<const char*> values;
    for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
    const Result result =
        expect(connection,
               PQexecParams(connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 1),
               PGRES_TUPLES_OK, sql);
    if (PQntuples(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) return std::nullopt;
    return std::string(PQgetvalue(result.get(), 0, 0),
                       static_cast<std::size_t>(PQgetlength(result.get(), 0, 0)));
}

void execCancellable(pg_conn* connection, const std::string& sql,
                     const std::function<bool()>& keepGoing) {
    if (!PQsendQuery(connection, sql.c_str()))
        fail(connection, "SQL failed (" + firstLine(sql) + ")");
    bool cancelled = false;
    while (PQisBusy(connection)) {
        pollfd socket{PQsocket(connection), POLLIN, 0};
        const int ready = poll(&socket, 1, 100);
        if (ready < 0 || (ready > 0 && !PQconsumeInput(connection))) {
            drain(connection);
            fail(connection, "SQL failed (" + firstLine(sql) + ")");
        }
        if (ready == 0 && !cancelled && keepGoing && !keepGoing()) {
            cancel(connection);
            cancelled = true;
        }
    }
    Result result(PQgetResult(connection));
    drain(connection);
    if (cancelled) throw OperationCancelled();
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK)
        throw std::runtime_error("SQL failed (" + firstLine(sql) + "): " +
                                 (result ? PQresultErrorMessage(result.get()) : "no result"));
}

// The thread that hands filled chunks to libpq. At most kQueued chunks wait, so memory stays at
// a few MB whatever the file size. After a failed send it keeps taking chunks (and drops them)
// so the caller never blocks; the caller sees the failure at its next send() or at finish().
struct CopyIn::Sender {
    static constexpr std::size_t kQueued = 4;

    explicit Sender(pg_conn* connection) : connection(connection), thread([this] { run(); }) {}
    ~Sender() { stop(); }

    // Takes `chunk` (left empty, with its capacity from a spare buffer when there is one).
    void push(std::string& chunk) {
        std::unique_lock lock(mutex);
        roomAvailable.wait(lock, [this] { return queue.size() < kQueued; });
        queue.push_back(std::move(chunk));
        chunk.clear();
        if (!spare.empty()) {
            chunk = std::move(spare.back());
            spare.pop_back();
        }
        chunkAvailable.notify_one();
    }
    // Sends what is queued, then ends the thread; returns the first send error (empty if none).
    std::string stop() {
        {
            std::lock_guard lock(mutex);
            closing = true;
        }
        chunkAvailable.notify_one();
        if (thread.joinable()) thread.join();
        return error;
    }
    bool failed() {
        std::lock_guard lock(mutex);
        return !error.empty();
    }

    void run() {
        std::unique_lock lock(mutex);
        for (;;) {
            chunkAvailable.wait(lock, [this] { return closing || !queue.empty(); });
            if (queue.empty()) return;  // closing and everything sent
            std::string chunk = std::move(queue.front());
            queue.pop_front();
            roomAvailable.notify_one();
            const bool sending = error.empty();
            lock.unlock();
            std::string problem;
            if (sending &&
                PQputCopyData(connection, chunk.data(), static_cast<int>(chunk.size())) != 1)
                problem = PQerrorMessage(connection);
            chunk.clear();
            lock.lock();
            if (!problem.empty() && error.empty()) error = "COPY failed: " + problem;
            if (spare.size() < kQueued) spare.push_back(std::move(chunk));
        }
    }

    pg_conn* connection;
    std::mutex mutex;
    std::condition_variable chunkAvailable;
    std::condition_variable roomAvailable;
    std::deque<std::string> queue;
    std::vector<std::string> spare;
    bool closing = false;
    std::string error;
    std::thread thread;  // last: starts once the members above exist
};

CopyIn::CopyIn(pg_conn* connection, const std::string& copySql) : connection_(connection) {
    expect(connection, PQexec(connection, copySql.c_str()), PGRES_COPY_IN, copySql);
    open_ = true;
    buffer_.reserve(kChunk + 4096);
    sender_ = std::make_unique<Sender>(connection_);
}

CopyIn::~CopyIn() { abort(); }

void CopyIn::integer(std::int64_t value) {
    separator();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    buffer_.append(digits, end);
}

void CopyIn::real(double value) {
    separator();
    char digits[32];
    // Shortest text that parses back to the same double.
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    buffer_.append(digits, end);
}

void CopyIn::text(std::string_view value) {
    separator();
    for (const char c : value) {
        switch (c) {
            case '\\':
                buffer_ += "\\\\";
                break;
            case '\t':
                buffer_ += "\\t";
                break;
            case '\n':
                buffer_ += "\\n";
                break;
            case '\r':
                buffer_ += "\\r";
                break;
            default:
                buffer_ += c;
        }
    }
}

void CopyIn::null() {
    separator();
    buffer_ += "\\N";
}

void CopyIn::send() {
    if (buffer_.empty()) return;
    if (sender_->failed()) throw std::runtime_error(sender_->stop());
    sender_->push(buffer_);
    if (buffer_.capacity() < kChunk) buffer_.reserve(kChunk + 4096);
}

std::int64_t CopyIn::finish() {
    send();
    open_ = false;
    if (const std::string error = sender_->stop(); !error.empty()) {
        PQputCopyEnd(connection_, "import aborted");
        drain(connection_);
        throw std::runtime_error(error);
    }
    if (PQputCopyEnd(connection_, nullptr) != 1) fail(connection_, "COPY failed");
    Result result(PQgetResult(connection_));
    const bool ok = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
    const std::string message = result ? PQresultErrorMessage(result.get()) : "no result";
    const std::int64_t rows = ok ? std::atoll(PQcmdTuples(result.get())) : 0;
    drain(connection_);
    if (!ok) throw std::runtime_error("COPY failed: " + message);
    return rows;
}

void CopyIn::abort() noexcept {
    if (!open_) return;
    open_ = false;
    if (sender_) sender_->stop();  // the connection is ours again once the sender is done
    PQputCopyEnd(connection_, "import aborted");
    drain(connection_);
}

CopyOut::CopyOut(pg_conn* connection, const std::string& copySql) : connection_(connection) {
    expect(connection, PQexec(connection, copySql.c_str()), PGRES_COPY_OUT, copySql);
}

CopyOut::~CopyOut() {
    release();
    if (done_) return;
    // Stopped early (an exception): cancel and throw the rest away.
    cancel(connection_);
    char* row = nullptr;
    while (PQgetCopyData(connection_, &row, 0) > 0) PQfreemem(row);
    drain(connection_);
}

void CopyOut::release() noexcept {
    if (row_) PQfreemem(row_);
    row_ = nullptr;
    fields_.clear();
}

bool CopyOut::next() {
    release();
    if (done_) return false;
    const int length = PQgetCopyData(connection_, &row_, 0);
    if (length > 0) {
        std::string_view line(row_, static_cast<std::size_t>(length));
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        std::size_t start = 0;
        while (true) {
            const std::size_t tab = line.find('\t', start);
            fields_.push_back(
                line.substr(start, tab == std::string_view::npos ? line.npos : tab - start));
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        return true;
    }
    done_ = true;
    if (length == -2) {
        drain(connection_);
        fail(connection_, "COPY failed");
    }
    Result result(PQgetResult(connection_));
    const bool ok = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
    const std::string message = result ? PQresultErrorMessage(result.get()) : "no result";
    drain(connection_);
    if (!ok) throw std::runtime_error("COPY failed: " + message);
    return false;
}

std::optional<std::string_view> CopyOut::raw(std::size_t index) const {
    const std::string_view field = fields_.at(index);
    if (field == "\\N") return std::nullopt;
    return field;
}

std::optional<std::int64_t> CopyOut::integer(std::size_t index) const {
    const auto field = raw(index);
    if (!field) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(field->data(), field->data() + field->size(), value);
    if (error != std::errc() || end != field->data() + field->size())
        throw std::runtime_error("COPY returned a malformed integer '" + std::string(*field) + "'");
    return value;
}

#else  // built without libpq: the PostgreSQL bulk paths report what is missing

namespace {
[[noreturn]] void unavailable() {
    throw std::runtime_error(
        "this build has no libpq: PostgreSQL import and loading need it "
        "(install libpq-dev and rebuild)");
}
}  // namespace

bool available() { return false; }
void exec(pg_conn*, const std::string&) { unavailable(); }
std::optional<std::int64_t> queryInt(pg_conn*, const std::string&) { unavailable(); }
void execParams(pg_conn*, const std::string&, const std::vector<std::optional<std::string>>&) {
    unavailable();
}
void execBytes(pg_conn*, const std::string&, const std::vector<BytesParameter>&) { unavailable(); }
std::optional<std::string> queryBytes(pg_conn*, const std::string&,
                                      const std::vector<std::string>&) {
    unavailable();
}
void execCancellable(pg_conn*, const std::string&, const std::function<bool()>&) { unavailable(); }
struct CopyIn::Sender {};
CopyIn::CopyIn(pg_conn* connection, const std::string&) : connection_(connection) { unavailable(); }
CopyIn::~CopyIn() = default;
void CopyIn::integer(std::int64_t) {}
void CopyIn::real(double) {}
void CopyIn::text(std::string_view) {}
void CopyIn::null() {}
void CopyIn::send() {}
std::int64_t CopyIn::finish() { unavailable(); }
void CopyIn::abort() noexcept {}
CopyOut::CopyOut(pg_conn* connection, const std::string&) : connection_(connection) {
    unavailable();
}
CopyOut::~CopyOut() = default;
void CopyOut::release() noexcept {}
bool CopyOut::next() { unavailable(); }
std::optional<std::int64_t> CopyOut::integer(std::size_t) const { unavailable(); }
std::optional<std::string_view> CopyOut::raw(std::size_t) const { unavailable(); }

#endif

}  // namespace animerec::storage::pg

#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QString>
#include <functional>
#include <mutex>
#include <optional>

namespace animerec::service {

// Severity of a log line; a request is Info when it succeeded, Warning for 4xx, Error for 5xx.
enum class LogLevel { Debug, Info, Warning, Error, Off };
std::optional<LogLevel> parseLogLevel(const QString& text);  // "debug", "info", "warning", ...

struct RequestLogOptions {
    QString filePath;                // empty = no file
    qint64 maxFileBytes = 16 << 20;  // rotate when the file would grow past this
    int keepFiles = 5;               // requests.jsonl.1 .. .5 are kept
    LogLevel level = LogLevel::Info;
    bool toStderr = true;
};

struct RequestLogEntry {
    QString method;
    QString route;       // route template, e.g. "/anime/{id}"
    QJsonObject params;  // the validated request parameters
    int status = 0;
    double latencyMs = 0.0;
    QString model;
    QString modelVersion;
    QString message;  // error text for 4xx/5xx
};

// One JSON object per line (time, level, method, route, params, status, latency, model, version)
// to a size-rotated file and to stderr. Thread-safe. File writes are buffered and flushed at most
// once a second (and on destruction), so logging costs no syscall per request.
class RequestLog {
public:
    explicit RequestLog(RequestLogOptions options = {});
    ~RequestLog();
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    void record(const RequestLogEntry& entry);
    // Called with every recorded request, whatever the level (Studio's live log and charts).
    // Set before serving starts; runs on the thread that handled the request.
    void setObserver(std::function<void(const RequestLogEntry&)> observer) {
        observer_ = std::move(observer);
    }
    // Free-form service events (startup, reloads) with the same format and level filter.
    void event(LogLevel level, const QString& message);
    void flush();

    // An error opening the file (the log then goes to stderr only); empty when fine.
    QString fileError() const { return fileError_; }

private:
    static QByteArray lineStart(LogLevel level);  // {"time":...,"level":...
    void write(const QByteArray& line);
    void rotate();

    RequestLogOptions options_;
    std::function<void(const RequestLogEntry&)> observer_;
    std::mutex mutex_;
    QFile file_;
    qint64 fileBytes_ = 0;  // tracked here: QFile::size() would flush the buffer
    QString fileError_;
    QElapsedTimer sinceFlush_;
};

}  // namespace animerec::service

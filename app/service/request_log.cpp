#include "service/request_log.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>

#include "service/json_line_writer.h"

namespace animerec::service {

namespace {

const char* levelName(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warning:
            return "warning";
        case LogLevel::Error:
            return "error";
        case LogLevel::Off:
            return "off";
    }
    return "info";
}

}  // namespace

std::optional<LogLevel> parseLogLevel(const QString& text) {
    const QString name = text.trimmed().toLower();
    for (const LogLevel level :
         {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error, LogLevel::Off})
        if (name == QLatin1String(levelName(level))) return level;
    if (name == QLatin1String("warn")) return LogLevel::Warning;
    return std::nullopt;
}

RequestLog::RequestLog(RequestLogOptions options) : options_(std::move(options)) {
    sinceFlush_.start();
    if (options_.filePath.isEmpty() || options_.level == LogLevel::Off) return;
    const QFileInfo info(options_.filePath);
    QDir().mkpath(info.absolutePath());
    file_.setFileName(options_.filePath);
    if (!file_.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        fileError_ = options_.filePath + QStringLiteral(": ") + file_.errorString();
    else
        fileBytes_ = file_.size();
}

RequestLog::~RequestLog() { flush(); }

void RequestLog::flush() {
    std::lock_guard lock(mutex_);
    if (file_.isOpen()) file_.flush();
}

void RequestLog::record(const RequestLogEntry& entry) {
    if (observer_) observer_(entry);
    const LogLevel level = entry.status >= 500   ? LogLevel::Error
                           : entry.status >= 400 ? LogLevel::Warning
                                                 : LogLevel::Info;
    if (level < options_.level) return;
    QByteArray line = lineStart(level);
    line += ",\"method\":";
    json_line::appendString(line, entry.method);
    line += ",\"route\":";
    json_line::appendString(line, entry.route);
    line += ",\"params\":";
    json_line::appendValue(line, entry.params);
    line += ",\"status\":";
    json_line::appendNumber(line, entry.status);
    line += ",\"latency_ms\":";
    json_line::appendFixed(line, entry.latencyMs, 3);
    line += ",\"model\":";
    json_line::appendString(line, entry.model);
    line += ",\"model_version\":";
    json_line::appendString(line, entry.modelVersion);
    if (!entry.message.isEmpty()) {
        line += ",\"message\":";
        json_line::appendString(line, entry.message);
    }
    line += "}\n";
    write(line);
}

void RequestLog::event(LogLevel level, const QString& message) {
    if (level < options_.level) return;
    QByteArray line = lineStart(level);
    line += ",\"event\":";
    json_line::appendString(line, message);
    line += "}\n";
    write(line);
}

QByteArray RequestLog::lineStart(LogLevel level) {
    QByteArray line;
    line.reserve(320);
    line += "{\"time\":";
    json_line::appendUtcNow(line);
    line += ",\"level\":\"";
    line += levelName(level);
    line += '"';
    return line;
}

void RequestLog::write(const QByteArray& line) {
    std::lock_guard lock(mutex_);
    if (options_.toStderr)
        std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stderr);
    if (!file_.isOpen()) return;
    if (fileBytes_ > 0 && fileBytes_ + line.size() > options_.maxFileBytes) rotate();
    if (!file_.isOpen()) return;
    fileBytes_ += file_.write(line);
    if (sinceFlush_.elapsed() > 1000) {
        file_.flush();
        sinceFlush_.restart();
    }
}

// requests.jsonl -> .1 -> .2 ... ; the oldest beyond keepFiles is removed.
void RequestLog::rotate() {
    file_.close();
    const QString base = options_.filePath;
    QFile::remove(base + QStringLiteral(".%1").arg(options_.keepFiles));
    for (int i = options_.keepFiles - 1; i >= 1; --i)
        QFile::rename(base + QStringLiteral(".%1").arg(i), base + QStringLiteral(".%1").arg(i + 1));
    if (options_.keepFiles > 0)
        QFile::rename(base, base + QStringLiteral(".1"));
    else
        QFile::remove(base);
    fileBytes_ = 0;
    if (!file_.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        fileError_ = base + QStringLiteral(": ") + file_.errorString();
}

}  // namespace animerec::service

#include "service/request_log.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <cmath>
#include <cstdio>

namespace animerec::service {

namespace {

const char* levelName(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
        case LogLevel::Off: return "off";
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
    QJsonObject line{{QStringLiteral("method"), entry.method},
                     {QStringLiteral("route"), entry.route},
                     {QStringLiteral("params"), entry.params},
                     {QStringLiteral("status"), entry.status},
                     {QStringLiteral("latency_ms"), std::round(entry.latencyMs * 1000.0) / 1000.0},
                     {QStringLiteral("model"), entry.model},
                     {QStringLiteral("model_version"), entry.modelVersion}};
    if (!entry.message.isEmpty()) line.insert(QStringLiteral("message"), entry.message);
    write(level, std::move(line));
}

void RequestLog::event(LogLevel level, const QString& message) {
    if (level < options_.level) return;
    write(level, QJsonObject{{QStringLiteral("event"), message}});
}

void RequestLog::write(LogLevel level, QJsonObject line) {
    line.insert(QStringLiteral("time"),
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    line.insert(QStringLiteral("level"), QLatin1String(levelName(level)));
    QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact);
    text.append('\n');
    std::lock_guard lock(mutex_);
    if (options_.toStderr) std::fwrite(text.constData(), 1, static_cast<std::size_t>(text.size()), stderr);
    if (!file_.isOpen()) return;
    if (fileBytes_ > 0 && fileBytes_ + text.size() > options_.maxFileBytes) rotate();
    if (!file_.isOpen()) return;
    fileBytes_ += file_.write(text);
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
    if (options_.keepFiles > 0) QFile::rename(base, base + QStringLiteral(".1"));
    else QFile::remove(base);
    fileBytes_ = 0;
    if (!file_.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        fileError_ = base + QStringLiteral(": ") + file_.errorString();
}

}  // namespace animerec::service

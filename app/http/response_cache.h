#pragma once

#include <QByteArray>
#include <QCache>
#include <QString>
#include <mutex>
#include <optional>

namespace animerec::http {

// Rendered answers by request key ("collaborative:5:10"), least recently used first out.
// Answers depend only on the request and the served models (the cold-start policy does not explore
// by default), so each entry is tagged with ModelRegistry::generation() and the cache empties itself
// when the generation moves on: a reload never serves a stale list. Thread-safe.
class ResponseCache {
public:
    struct Entry {
        QByteArray body;
        QString model;
        QString modelVersion;
    };

    explicit ResponseCache(int capacity) : cache_(capacity) {}

    std::optional<Entry> find(const QByteArray& key, quint64 generation) {
        std::lock_guard lock(mutex_);
        if (generation != generation_) return std::nullopt;
        const Entry* entry = cache_.object(key);
        return entry ? std::optional<Entry>(*entry) : std::nullopt;
    }

    void insert(const QByteArray& key, quint64 generation, Entry entry) {
        std::lock_guard lock(mutex_);
        if (cache_.maxCost() == 0) return;
        if (generation < generation_) return;  // computed before a reload finished
        if (generation > generation_) {
            cache_.clear();
            generation_ = generation;
        }
        cache_.insert(key, new Entry(std::move(entry)));
    }

    bool enabled() const { return cache_.maxCost() > 0; }

private:
    std::mutex mutex_;
    QCache<QByteArray, Entry> cache_;
    quint64 generation_ = 0;
};

}  // namespace animerec::http

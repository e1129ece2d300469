#pragma once

#include <QByteArray>
#include <QCache>
#include <QString>
#include <mutex>
#include <optional>

namespace animerec::http {

// Rendered answers by request key ("collaborative:5:10"), least recently used first out, within a
// budget of bytes (an answer of 100 items weighs ten of 10).
// Answers depend only on the request and the served models (the cold-start policy does not explore
// by default), so each entry is tagged with ModelRegistry::generation() and the cache empties
// itself when the generation moves on: a reload never serves a stale list. Thread-safe.
class ResponseCache {
public:
    struct Entry {
        QByteArray body;
        QString model;
        QString modelVersion;
    };

    explicit ResponseCache(qint64 capacityBytes) : cache_(capacityBytes) {}

    std::optional<Entry> find(const QByteArray& key, quint64 generation) {
        std::lock_guard lock(mutex_);
        if (generation != generation_) return std::nullopt;
        const Entry* entry = cache_.object(key);
        return entry ? std::optional<Entry>(*entry) : std::nullopt;
    }

    // Without touching the entry's place in the least-recently-used order.
    bool contains(const QByteArray& key, quint64 generation) {
        std::lock_guard lock(mutex_);
        return generation == generation_ && cache_.contains(key);
    }

    void insert(const QByteArray& key, quint64 generation, Entry entry) {
        std::lock_guard lock(mutex_);
        if (cache_.maxCost() == 0) return;
        if (generation < generation_) return;  // computed before a reload finished
        if (generation > generation_) {
            cache_.clear();
            generation_ = generation;
        }
        const qsizetype cost = kEntryOverheadBytes + key.size() + entry.body.size() +
                               2 * (entry.model.size() + entry.modelVersion.size());
        cache_.insert(key, new Entry(std::move(entry)), cost);
    }

    bool enabled() const { return cache_.maxCost() > 0; }
    qint64 capacityBytes() const { return cache_.maxCost(); }
    // What answers of `generation` occupy: 0 for a newer generation, whose first insert will
    // empty the cache (its entries are still those of the models before the reload).
    qint64 bytesOf(quint64 generation) {
        std::lock_guard lock(mutex_);
        return generation > generation_ ? 0 : cache_.totalCost();
    }

private:
    static constexpr qsizetype kEntryOverheadBytes = 128;  // hash node, Entry, array headers
    std::mutex mutex_;
    QCache<QByteArray, Entry> cache_;
    quint64 generation_ = 0;
};

}  // namespace animerec::http

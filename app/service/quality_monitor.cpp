#include "service/quality_monitor.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTextStream>
#include <algorithm>
#include <cmath>

#include "data/dataset.h"
#include "eval/ab_statistics.h"
#include "models/cold_start.h"

namespace animerec::service {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMinutes = 24 * 60;

using Count = QualityCount;

QJsonValue share(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? QJsonValue(static_cast<double>(part) / static_cast<double>(whole))
                     : QJsonValue();
}

// The cold-start count of an answer's strategy ("cold_start:popular (unknown user)", ...);
// nullopt for a personal answer. The longer name first: one is a prefix of the other.
std::optional<Count> coldStartCount(const QString& strategy) {
    if (strategy.startsWith(QLatin1String(kStrategyPopularInGenres)))
        return Count::ColdPopularInGenres;
    if (strategy.startsWith(QLatin1String(kStrategyContentFromHistory)))
        return Count::ColdContentFromHistory;
    if (strategy.startsWith(QLatin1String(kStrategyPopular))) return Count::ColdPopular;
    return std::nullopt;
}

void addRate(QJsonObject& figures, const char* name, std::int64_t successes, std::int64_t trials,
             double confidence) {
    const QString key = QString::fromLatin1(name);
    if (trials == 0) {
        figures.insert(key, QJsonValue());
        return;
    }
    const ProportionEstimate estimate = estimateProportion(successes, trials, confidence);
    figures.insert(key, estimate.rate);
    figures.insert(key + QStringLiteral("_ci_low"), estimate.interval.low);
    figures.insert(key + QStringLiteral("_ci_high"), estimate.interval.high);
}

// Every figure of one window from its counts; `distinct` titles served when known.
QJsonObject figuresOf(const QualityCounts& c, std::optional<std::int64_t> distinct,
                      std::size_t catalogueSize, double confidence) {
    QJsonObject figures;
    for (std::size_t i = 0; i < kQualityCountKinds; ++i)
        figures.insert(QString::fromLatin1(qualityCountName(static_cast<Count>(i))),
                       static_cast<qint64>(c.counts[i]));
    addRate(figures, "ctr", c[Count::Clicked], c[Count::Sampled], confidence);
    addRate(figures, "watch_rate", c[Count::Watched], c[Count::Sampled], confidence);
    addRate(figures, "completion_rate", c[Count::Completed], c[Count::Sampled], confidence);
    figures.insert(QStringLiteral("mean_rating"),
                   c[Count::Ratings] > 0
                       ? QJsonValue(c.ratingSum / static_cast<double>(c[Count::Ratings]))
                       : QJsonValue());
    figures.insert(QStringLiteral("novelty"),
                   c[Count::ItemsServed] > 0
                       ? QJsonValue(c.noveltySum / static_cast<double>(c[Count::ItemsServed]))
                       : QJsonValue());
    figures.insert(QStringLiteral("distinct_items"),
                   distinct ? QJsonValue(static_cast<qint64>(*distinct)) : QJsonValue());
    figures.insert(QStringLiteral("coverage"), distinct && catalogueSize > 0
                                                   ? QJsonValue(static_cast<double>(*distinct) /
                                                                static_cast<double>(catalogueSize))
                                                   : QJsonValue());
    const std::int64_t cold =
        c[Count::ColdPopular] + c[Count::ColdPopularInGenres] + c[Count::ColdContentFromHistory];
    figures.insert(QStringLiteral("cold_start_share"), share(cold, c[Count::Lists]));
    figures.insert(
        QStringLiteral("cold_start"),
        QJsonObject{{QStringLiteral("popular"), share(c[Count::ColdPopular], c[Count::Lists])},
                    {QStringLiteral("popular_in_genres"),
                     share(c[Count::ColdPopularInGenres], c[Count::Lists])},
                    {QStringLiteral("content_from_history"),
                     share(c[Count::ColdContentFromHistory], c[Count::Lists])}});
    figures.insert(QStringLiteral("cache_hit_rate"),
                   share(c[Count::CacheHits], c[Count::CacheLookups]));
    figures.insert(QStringLiteral("unknown_id_share"),
                   share(c[Count::NewUsers] + c[Count::UnknownAnime],
                         c[Count::UserRequests] + c[Count::AnimeRequests]));
    figures.insert(QStringLiteral("drift"),
                   QJsonObject{{QStringLiteral("new_user_share"),
                                share(c[Count::NewUsers], c[Count::UserRequests])},
                               {QStringLiteral("unknown_title_share"),
                                share(c[Count::UnknownAnime], c[Count::AnimeRequests])}});
    return figures;
}

QJsonObject keyJson(const storage::QualityKey& key) {
    return {{QStringLiteral("route"), key.route},
            {QStringLiteral("role"), key.role},
            {QStringLiteral("model"), key.model},
            {QStringLiteral("version"), key.version}};
}

// Label values are escaped as the exposition format asks (backslash, quote, newline).
QString label(const QString& value) {
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'"', QStringLiteral("\\\""))
        .replace(u'\n', QStringLiteral("\\n"));
    return escaped;
}

QString labels(const storage::QualityKey& key) {
    return QStringLiteral("route=\"%1\",role=\"%2\",model=\"%3\",version=\"%4\"")
        .arg(label(key.route), label(key.role), label(key.model), label(key.version));
}

}  // namespace

QualityMonitor::QualityMonitor(std::shared_ptr<const Dataset> data, Clock clock)
    : data_(std::move(data)), clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return QDateTime::currentMSecsSinceEpoch(); };
    startMinute_ = nowMs() / kMinuteMs;
    if (data_) {
        // Self-information of a title, -log2 of the share of users who had it (add-one smoothed
        // so a title nobody had is finite): how unexpected it is to be shown it.
        const std::vector<int> counts = data_->interactions.itemCounts();
        const double users = static_cast<double>(data_->interactions.userCount()) + 1.0;
        novelty_.reserve(counts.size());
        for (const int count : counts)
            novelty_.push_back(-std::log2((static_cast<double>(count) + 1.0) / users));
    }
}

qint64 QualityMonitor::nowMs() const { return clock_(); }

void QualityMonitor::add(const storage::QualityKey& key, qint64 minute,
                         const QualityCounts& counts) {
    Group& group = local_[key];
    group.minutes.add(minute, counts);
    group.total += counts;
    if (sharing_) pending_[{key, minute}] += counts;
}

void QualityMonitor::forgetOld(qint64 minute) {
    const qint64 oldest = minute - kDayMinutes;
    for (auto& [key, group] : local_) group.minutes.dropBefore(oldest);
    while (!trackedOrder_.empty() &&
           (trackedOrder_.front().first < oldest || trackedOrder_.size() > kMaxTrackedLists)) {
        tracked_.erase(trackedOrder_.front().second);
        trackedOrder_.pop_front();
    }
}

void QualityMonitor::recordList(const ServedList& list) {
    const qint64 minute = nowMs() / kMinuteMs;
    const storage::QualityKey key{list.route, list.role, list.model, list.version};
    QualityCounts counts;
    std::vector<int> items;
    if (list.status == 200) {
        counts[Count::Lists] = 1;
        counts[Count::ItemsServed] = static_cast<std::int64_t>(list.items.size());
        if (list.cacheLookup) counts[Count::CacheLookups] = 1;
        if (list.cacheHit) counts[Count::CacheHits] = 1;
        if (const auto cold = coldStartCount(list.strategy)) counts[*cold] = 1;
        if (list.sampledExposureId > 0) counts[Count::Sampled] = 1;
        if (data_)
            for (const std::int64_t id : list.items)
                if (const auto item = data_->catalog.indexOf(id)) {
                    items.push_back(*item);
                    if (static_cast<std::size_t>(*item) < novelty_.size())
                        counts.noveltySum += novelty_[static_cast<std::size_t>(*item)];
                }
    }
    if (data_ && list.userId) {
        counts[Count::UserRequests] = 1;
        if (data_->interactions.userIndexOf(*list.userId) < 0) counts[Count::NewUsers] = 1;
    }
    if (data_)
        for (const std::int64_t id : list.namedAnime) {
            ++counts[Count::AnimeRequests];
            if (!data_->catalog.indexOf(id)) ++counts[Count::UnknownAnime];
        }
    std::lock_guard lock(mutex_);
    forgetOld(minute);
    add(key, minute, counts);
    if (sharing_)
        for (const std::int64_t id : list.items) {
            qint64& last = pendingTitles_[{key, id}];
            last = std::max(last, minute);
        }
    if (!items.empty()) {
        auto recency = served_.find(key);
        if (recency == served_.end())
            recency =
                served_.emplace(key, ItemRecency(static_cast<std::size_t>(data_->catalog.size())))
                    .first;
        for (const int item : items) recency->second.served(item, minute);
    }
    if (list.sampledExposureId > 0) {
        tracked_[list.sampledExposureId] = {key, minute, {}};
        trackedOrder_.emplace_back(minute, list.sampledExposureId);
    }
}

void QualityMonitor::recordFeedback(const FeedbackSeen& feedback) {
    const qint64 minute = nowMs() / kMinuteMs;
    static const storage::QualityKey unattributed{QStringLiteral("/feedback"), QString(), QString(),
                                                  QString()};
    QualityCounts event;
    event[Count::Feedback] = 1;
    if (feedback.event == ListFeedback::Rate && feedback.value) {
        event[Count::Ratings] = 1;
        event.ratingSum = *feedback.value;
    }
    QualityCounts named;  // drift: the title the event names, counted where feedback arrives
    if (data_) {
        named[Count::AnimeRequests] = 1;
        if (!data_->catalog.indexOf(feedback.animeId)) named[Count::UnknownAnime] = 1;
    }
    std::lock_guard lock(mutex_);
    forgetOld(minute);
    add(unattributed, minute, named);
    if (!feedback.accepted) return;
    const auto tracked =
        feedback.exposureId > 0 ? tracked_.find(feedback.exposureId) : tracked_.end();
    if (tracked == tracked_.end()) {
        add(unattributed, minute, event);
        return;
    }
    // The outcome belongs to the list, so to the minute it was served (as in the A/B report).
    TrackedList& list = tracked->second;
    const ListOutcome changed =
        applyListFeedback(list.outcome, feedback.event, feedback.position, kK);
    event[Count::Clicked] = changed.clicked;
    event[Count::Watched] = changed.watched;
    event[Count::Completed] = changed.completed;
    add(list.key, list.minute, event);
}

void QualityMonitor::shareThroughDatabase() {
    std::lock_guard lock(mutex_);
    sharing_ = true;
}

QSqlError QualityMonitor::flush(storage::Database& database, const QString& replica) {
    std::lock_guard flushLock(flushMutex_);
    std::vector<storage::QualityRow> rows;
    std::map<std::pair<storage::QualityKey, qint64>, qint64> titles;
    {
        std::lock_guard lock(mutex_);
        writing_.swap(pending_);
        titles.swap(pendingTitles_);
        for (const auto& [at, counts] : writing_) rows.push_back({at.first, at.second, counts});
    }
    const QSqlError written =
        rows.empty() ? QSqlError() : storage::addQualityCounts(database, replica, rows);
    {
        std::lock_guard lock(mutex_);
        auto& into = written.isValid() ? pending_ : unread_;
        for (const auto& [at, counts] : writing_) into[at] += counts;
        writing_.clear();
    }
    std::vector<storage::QualityItemRow> titleRows;
    for (const auto& [at, minute] : titles) titleRows.push_back({at.first, at.second, minute});
    const QSqlError marked = written.isValid() || titleRows.empty()
                                 ? QSqlError()
                                 : storage::markQualityItems(database, replica, titleRows);
    if (written.isValid() || marked.isValid()) {
        std::lock_guard lock(mutex_);
        for (const auto& [at, minute] : titles) {
            qint64& last = pendingTitles_[at];
            last = std::max(last, minute);
        }
        return written.isValid() ? written : marked;
    }
    return readShared(database, startMinute_);
}

QSqlError QualityMonitor::loadFromDatabase(storage::Database& database, qint64 fromMs) {
    std::lock_guard flushLock(flushMutex_);
    startMinute_ = fromMs / kMinuteMs;
    return readShared(database, startMinute_);
}

QSqlError QualityMonitor::readShared(storage::Database& database, qint64 fromMinute) {
    std::vector<storage::QualityRow> totals, minutes;
    if (QSqlError error = storage::readQualityCounts(database, fromMinute, false, totals);
        error.isValid())
        return error;
    const qint64 recent = std::max(fromMinute, nowMs() / kMinuteMs - kDayMinutes);
    if (QSqlError error = storage::readQualityCounts(database, recent, true, minutes);
        error.isValid())
        return error;
    std::map<storage::QualityKey, Group> shared;
    for (const storage::QualityRow& row : totals) shared[row.key].total += row.counts;
    for (const storage::QualityRow& row : minutes)
        shared[row.key].minutes.add(row.minute, row.counts);
    std::vector<storage::DistinctTitles> titles(std::size(kWindows));
    const qint64 minute = nowMs() / kMinuteMs;
    for (std::size_t w = 0; w < std::size(kWindows); ++w) {
        const qint64 from = kWindows[w].minutes > 0 ? minute - kWindows[w].minutes + 1 : fromMinute;
        if (QSqlError error = storage::countQualityItems(database, from, titles[w]);
            error.isValid())
            return error;
    }
    std::lock_guard lock(mutex_);
    shared_ = std::move(shared);
    sharedTitles_ = std::move(titles);
    unread_.clear();
    return {};
}

std::optional<std::int64_t> QualityMonitor::distinctTitles(const storage::QualityKey* key,
                                                           std::size_t w, qint64 fromMinute) const {
    if (sharedTitles_) {
        const storage::DistinctTitles& titles = (*sharedTitles_)[w];
        if (!key) return titles.overall;
        const auto found = titles.perKey.find(*key);
        return found == titles.perKey.end() ? 0 : found->second;
    }
    if (!data_) return std::nullopt;
    if (!key) {
        // A title served by any group counts once.
        ItemRecency anyGroup(static_cast<std::size_t>(data_->catalog.size()));
        for (const auto& [group, recency] : served_) anyGroup.merge(recency);
        return anyGroup.distinctSince(fromMinute);
    }
    const auto served = served_.find(*key);
    return served == served_.end() ? 0 : served->second.distinctSince(fromMinute);
}

std::map<storage::QualityKey, QualityMonitor::Group> QualityMonitor::view() const {
    if (!shared_) return local_;
    std::map<storage::QualityKey, Group> groups = *shared_;
    for (const auto* part : {&unread_, &writing_, &pending_})
        for (const auto& [at, counts] : *part) {
            Group& group = groups[at.first];
            group.minutes.add(at.second, counts);
            group.total += counts;
        }
    return groups;
}

QJsonObject QualityMonitor::toJson(double confidence) const {
    const qint64 now = nowMs();
    const qint64 minute = now / kMinuteMs;
    const std::size_t catalogueSize = data_ ? static_cast<std::size_t>(data_->catalog.size()) : 0;
    std::lock_guard lock(mutex_);
    const std::map<storage::QualityKey, Group> groups = view();
    const auto fromMinute = [&](const Window& window) {
        return window.minutes > 0 ? minute - window.minutes + 1 : startMinute_;
    };
    QJsonArray windows;
    for (const Window& window : kWindows)
        windows.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(window.name)},
                                   {QStringLiteral("minutes"), window.minutes}});
    QJsonArray groupList, series;
    std::vector<QualityCounts> overall(std::size(kWindows));
    for (const auto& [key, group] : groups) {
        QJsonObject perWindow;
        for (std::size_t w = 0; w < std::size(kWindows); ++w) {
            const Window& window = kWindows[w];
            const QualityCounts counts =
                window.minutes > 0 ? group.minutes.sumSince(fromMinute(window)) : group.total;
            overall[w] += counts;
            const std::optional<std::int64_t> distinct =
                distinctTitles(&key, w, fromMinute(window));
            perWindow.insert(QString::fromLatin1(window.name),
                             figuresOf(counts, distinct, catalogueSize, confidence));
        }
        QJsonObject entry = keyJson(key);
        entry.insert(QStringLiteral("windows"), perWindow);
        groupList.append(entry);
        // The CTR over time of the groups that served lists, in buckets of a few minutes.
        std::map<qint64, QualityCounts> buckets;
        for (const auto& [at, counts] : group.minutes.minutes())
            if (at >= minute - kDayMinutes)
                buckets[at / kTimelineBucketMinutes * kTimelineBucketMinutes] += counts;
        QJsonArray points;
        for (const auto& [start, counts] : buckets) {
            if (counts[Count::Lists] == 0) continue;
            QJsonObject point{
                {QStringLiteral("start_ms"), start * kMinuteMs},
                {QStringLiteral("lists"), static_cast<qint64>(counts[Count::Lists])},
                {QStringLiteral("sampled"), static_cast<qint64>(counts[Count::Sampled])},
                {QStringLiteral("clicked"), static_cast<qint64>(counts[Count::Clicked])}};
            addRate(point, "ctr", counts[Count::Clicked], counts[Count::Sampled], confidence);
            points.append(point);
        }
        if (!points.isEmpty()) {
            QJsonObject line = keyJson(key);
            line.insert(QStringLiteral("points"), points);
            series.append(line);
        }
    }
    QJsonObject overallWindows;
    for (std::size_t w = 0; w < std::size(kWindows); ++w) {
        const std::optional<std::int64_t> distinct =
            distinctTitles(nullptr, w, fromMinute(kWindows[w]));
        overallWindows.insert(QString::fromLatin1(kWindows[w].name),
                              figuresOf(overall[w], distinct, catalogueSize, confidence));
    }
    return {
        {QStringLiteral("k"), kK},
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("scope"), shared_ ? QStringLiteral("replicas") : QStringLiteral("replica")},
        {QStringLiteral("coverage_scope"),
         sharedTitles_ ? QStringLiteral("replicas") : QStringLiteral("replica")},
        {QStringLiteral("generated_at_ms"), now},
        {QStringLiteral("since_ms"), startMinute_ * kMinuteMs},
        {QStringLiteral("windows"), windows},
        {QStringLiteral("groups"), groupList},
        {QStringLiteral("overall"), overallWindows},
        {QStringLiteral("timeline"),
         QJsonObject{{QStringLiteral("bucket_minutes"), kTimelineBucketMinutes},
                     {QStringLiteral("series"), series}}}};
}

QByteArray QualityMonitor::renderPrometheus() const {
    QString text;
    QTextStream out(&text);
    out.setRealNumberPrecision(9);
    const qint64 minute = nowMs() / kMinuteMs;
    const std::size_t catalogueSize = data_ ? static_cast<std::size_t>(data_->catalog.size()) : 0;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < kQualityCountKinds; ++i) {
        const QString name = QStringLiteral("animerec_quality_%1_total")
                                 .arg(QString::fromLatin1(qualityCountName(static_cast<Count>(i))));
        out << "# HELP " << name << " Online quality count since start (see GET /quality).\n"
            << "# TYPE " << name << " counter\n";
        for (const auto& [key, group] : local_)
            out << name << "{" << labels(key) << "} " << group.total.counts[i] << "\n";
    }
    out << "# HELP animerec_quality_novelty_bits_total Self-information of the titles served.\n"
           "# TYPE animerec_quality_novelty_bits_total counter\n";
    for (const auto& [key, group] : local_)
        out << "animerec_quality_novelty_bits_total{" << labels(key) << "} "
            << group.total.noveltySum << "\n";
    out << "# HELP animerec_quality_rating_points_total Sum of the ratings given.\n"
           "# TYPE animerec_quality_rating_points_total counter\n";
    for (const auto& [key, group] : local_)
        out << "animerec_quality_rating_points_total{" << labels(key) << "} "
            << group.total.ratingSum << "\n";

    // Window gauges: the figures of GET /quality for this replica (nulls left out).
    static constexpr const char* kGauges[] = {"ctr",
                                              "ctr_ci_low",
                                              "ctr_ci_high",
                                              "watch_rate",
                                              "completion_rate",
                                              "mean_rating",
                                              "novelty",
                                              "coverage",
                                              "cold_start_share",
                                              "cache_hit_rate",
                                              "unknown_id_share"};
    std::map<QString, QStringList> samples;  // metric -> lines
    for (const auto& [key, group] : local_) {
        const auto served = served_.find(key);
        for (const Window& window : kWindows) {
            const qint64 from = window.minutes > 0 ? minute - window.minutes + 1 : startMinute_;
            const QualityCounts counts =
                window.minutes > 0 ? group.minutes.sumSince(from) : group.total;
            std::optional<std::int64_t> distinct;
            if (data_) distinct = served == served_.end() ? 0 : served->second.distinctSince(from);
            const QJsonObject figures = figuresOf(counts, distinct, catalogueSize, 0.95);
            const QString where = QStringLiteral("{%1,window=\"%2\"} ")
                                      .arg(labels(key), QString::fromLatin1(window.name));
            const auto put = [&](const QString& metric, const QJsonValue& value) {
                if (value.isDouble())
                    samples[metric] << where + QString::number(value.toDouble(), 'g', 9);
            };
            for (const char* gauge : kGauges)
                put(QString::fromLatin1(gauge), figures.value(QString::fromLatin1(gauge)));
            const QJsonObject drift = figures.value(QStringLiteral("drift")).toObject();
            for (auto it = drift.begin(); it != drift.end(); ++it) put(it.key(), it.value());
        }
    }
    for (const auto& [metric, lines] : samples) {
        const QString name = QStringLiteral("animerec_quality_") + metric;
        out << "# HELP " << name << " Online quality " << metric
            << " of this replica over the window.\n"
            << "# TYPE " << name << " gauge\n";
        for (const QString& line : lines) out << name << line << "\n";
    }
    out.flush();
    return text.toUtf8();
}

}  // namespace animerec::service

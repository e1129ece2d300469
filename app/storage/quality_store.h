#pragma once

#include <QSqlError>
#include <QString>
#include <map>
#include <tuple>
#include <vector>

#include "eval/quality_counts.h"

namespace animerec::storage {

class Database;

// What the online quality view groups by; every part comes from a closed set (route templates,
// roles, loaded families and their versions), so the groups stay few.
struct QualityKey {
    QString route;
    QString role;
    QString model;
    QString version;
    bool operator<(const QualityKey& other) const {
        return std::tie(route, role, model, version) <
               std::tie(other.route, other.role, other.model, other.version);
    }
    bool operator==(const QualityKey&) const = default;
};

// One group's counts of one minute (minutes since the epoch, UTC).
struct QualityRow {
    QualityKey key;
    qint64 minute = 0;
    QualityCounts counts;
};

// Adds `rows` to the replica's rows of table QualityCounts (one per minute and key), in one
// transaction: a flush writes what was counted since the previous one.
QSqlError addQualityCounts(Database& database, const QString& replica,
                           const std::vector<QualityRow>& rows);

// The counts of every replica summed per key for minutes >= fromMinute: one row per key and
// minute when `perMinute`, else one row per key (its minute is fromMinute).
QSqlError readQualityCounts(Database& database, qint64 fromMinute, bool perMinute,
                            std::vector<QualityRow>& rows);

// A title a replica served for a key, and the latest minute it did.
struct QualityItemRow {
    QualityKey key;
    qint64 animeId = 0;
    qint64 minute = 0;
};

// Records the titles in table QualityItems (a later minute replaces an earlier one).
QSqlError markQualityItems(Database& database, const QString& replica,
                           const std::vector<QualityItemRow>& rows);

// Distinct titles any replica served at minute >= fromMinute: per key, and over every key.
struct DistinctTitles {
    std::map<QualityKey, qint64> perKey;
    qint64 overall = 0;
};
QSqlError countQualityItems(Database& database, qint64 fromMinute, DistinctTitles& titles);

}  // namespace animerec::storage

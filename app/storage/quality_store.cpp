#include "storage/quality_store.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include "storage/database.h"

namespace animerec::storage {

namespace {

constexpr const char* kSums[] = {"novelty_sum", "rating_sum"};

// The count columns, in QualityCount order (their names are compile-time constants).
QStringList countColumns() {
    QStringList columns;
    for (std::size_t i = 0; i < kQualityCountKinds; ++i)
        columns << QString::fromLatin1(qualityCountName(static_cast<QualityCount>(i)));
    for (const char* sum : kSums) columns << QString::fromLatin1(sum);
    return columns;
}

QString upsertSql() {
    const QStringList columns = countColumns();
    QStringList placeholders, updates;
    for (const QString& column : columns) {
        placeholders << QStringLiteral("?");
        updates << QStringLiteral("%1 = QualityCounts.%1 + excluded.%1").arg(column);
    }
    return QStringLiteral(
               "INSERT INTO QualityCounts (replica, minute, route, role, model, version, %1) "
               "VALUES (?, ?, ?, ?, ?, ?, %2) "
               "ON CONFLICT (replica, minute, route, role, model, version) DO UPDATE SET %3")
        .arg(columns.join(u','), placeholders.join(u','), updates.join(u','));
}

QString selectSql(bool perMinute) {
    QStringList sums;
    for (const QString& column : countColumns()) sums << QStringLiteral("sum(%1)").arg(column);
    const QString minute = perMinute ? QStringLiteral("minute") : QStringLiteral("0");
    const QString groups = perMinute ? QStringLiteral(", minute") : QString();
    return QStringLiteral(
               "SELECT route, role, model, version, %1, %2 FROM QualityCounts "
               "WHERE minute >= ? GROUP BY route, role, model, version%3")
        .arg(minute, sums.join(u','), groups);
}

constexpr const char* kMarkItem = R"(
    INSERT INTO QualityItems (replica, route, role, model, version, anime_id, last_minute)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (replica, route, role, model, version, anime_id) DO UPDATE SET
        last_minute = CASE WHEN excluded.last_minute > QualityItems.last_minute
                           THEN excluded.last_minute ELSE QualityItems.last_minute END)";
constexpr const char* kDistinctPerKey = R"(
    SELECT route, role, model, version, count(DISTINCT anime_id) FROM QualityItems
    WHERE last_minute >= ? GROUP BY route, role, model, version)";
constexpr const char* kDistinctOverall = R"(
    SELECT count(DISTINCT anime_id) FROM QualityItems WHERE last_minute >= ?)";

// A null QString would bind as NULL: an empty part is stored as ''.
QString text(const QString& value) { return value.isNull() ? QStringLiteral("") : value; }

}  // namespace

QSqlError addQualityCounts(Database& database, const QString& replica,
                           const std::vector<QualityRow>& rows) {
    QSqlDatabase db = database.connection();
    if (!db.transaction()) return db.lastError();
    QSqlQuery query(db);
    const auto fail = [&] {
        const QSqlError error = query.lastError().isValid() ? query.lastError() : db.lastError();
        db.rollback();
        return error;
    };
    if (!query.prepare(upsertSql())) return fail();
    for (const QualityRow& row : rows) {
        int at = 0;
        for (const QVariant& value :
             {QVariant(replica), QVariant(row.minute), QVariant(text(row.key.route)),
              QVariant(text(row.key.role)), QVariant(text(row.key.model)),
              QVariant(text(row.key.version))})
            query.bindValue(at++, value);
        for (const std::int64_t count : row.counts.counts)
            query.bindValue(at++, static_cast<qint64>(count));
        query.bindValue(at++, row.counts.noveltySum);
        query.bindValue(at++, row.counts.ratingSum);
        if (!query.exec()) return fail();
    }
    if (!db.commit()) return fail();
    return {};
}

QSqlError readQualityCounts(Database& database, qint64 fromMinute, bool perMinute,
                            std::vector<QualityRow>& rows) {
    QSqlQuery query(database.connection());
    query.setForwardOnly(true);
    if (!query.prepare(selectSql(perMinute))) return query.lastError();
    query.bindValue(0, fromMinute);
    if (!query.exec()) return query.lastError();
    rows.clear();
    while (query.next()) {
        QualityRow row;
        row.key = {query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                   query.value(3).toString()};
        row.minute = perMinute ? query.value(4).toLongLong() : fromMinute;
        int column = 5;
        for (std::int64_t& count : row.counts.counts) count = query.value(column++).toLongLong();
        row.counts.noveltySum = query.value(column++).toDouble();
        row.counts.ratingSum = query.value(column).toDouble();
        rows.push_back(std::move(row));
    }
    return {};
}

QSqlError markQualityItems(Database& database, const QString& replica,
                           const std::vector<QualityItemRow>& rows) {
    QSqlDatabase db = database.connection();
    if (!db.transaction()) return db.lastError();
    QSqlQuery query(db);
    const auto fail = [&] {
        const QSqlError error = query.lastError().isValid() ? query.lastError() : db.lastError();
        db.rollback();
        return error;
    };
    if (!query.prepare(QString::fromLatin1(kMarkItem))) return fail();
    for (const QualityItemRow& row : rows) {
        const QVariant values[] = {replica,
                                   text(row.key.route),
                                   text(row.key.role),
                                   text(row.key.model),
                                   text(row.key.version),
                                   row.animeId,
                                   row.minute};
        for (int i = 0; i < int(std::size(values)); ++i) query.bindValue(i, values[i]);
        if (!query.exec()) return fail();
    }
    if (!db.commit()) return fail();
    return {};
}

QSqlError countQualityItems(Database& database, qint64 fromMinute, DistinctTitles& titles) {
    titles = {};
    QSqlQuery query(database.connection());
    query.setForwardOnly(true);
    if (!query.prepare(QString::fromLatin1(kDistinctPerKey))) return query.lastError();
    query.bindValue(0, fromMinute);
    if (!query.exec()) return query.lastError();
    while (query.next())
        titles.perKey[{query.value(0).toString(), query.value(1).toString(),
                       query.value(2).toString(), query.value(3).toString()}] =
            query.value(4).toLongLong();
    if (!query.prepare(QString::fromLatin1(kDistinctOverall))) return query.lastError();
    query.bindValue(0, fromMinute);
    if (!query.exec() || !query.next()) return query.lastError();
    titles.overall = query.value(0).toLongLong();
    return {};
}

}  // namespace animerec::storage

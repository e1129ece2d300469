#include "storage/dataset_loader.h"

#include <sqlite3.h>

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <optional>
#include <stdexcept>

#include "storage/database.h"
#include "storage/postgres_copy.h"
#include "storage/schema.h"

namespace animerec::storage {

namespace {

constexpr std::int64_t kRowsPerReport = 1 << 16;

std::runtime_error queryError(const QSqlQuery& query) {
    return std::runtime_error("database query failed: " + query.lastError().text().toStdString());
}

WatchStatus statusOf(std::int64_t code) {
    switch (code) {
        case 1:
            return WatchStatus::Watching;
        case 2:
            return WatchStatus::Completed;
        case 3:
            return WatchStatus::OnHold;
        case 4:
            return WatchStatus::Dropped;
        case 6:
            return WatchStatus::PlanToWatch;
        default:
            return WatchStatus::Unknown;
    }
}

Catalog loadCatalog(const QSqlDatabase& db) {
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QString::fromUtf8(schema::kSelectAnime))) throw queryError(query);
    Catalog catalog;
    while (query.next()) {
        AnimeRecord record;
        record.animeId = query.value(0).toLongLong();
        record.title = query.value(1).toString().toStdString();
        record.genres = splitGenres(query.value(2).toString().toStdString());
        record.type = query.value(3).toString().toStdString();
        if (!query.value(4).isNull()) record.episodes = query.value(4).toInt();
        if (!query.value(5).isNull()) record.rating = query.value(5).toDouble();
        if (!query.value(6).isNull()) record.members = query.value(6).toLongLong();
        catalog.add(std::move(record));
    }
    if (query.lastError().isValid()) throw queryError(query);
    return catalog;
}

struct StoredInteraction {
    std::int64_t interactionId = 0;
    std::int64_t userId = 0;
    std::int64_t animeId = 0;
    std::optional<std::int64_t> rating;
    std::int64_t status = 0;
    std::optional<std::int64_t> watchedEpisodes;
    std::optional<std::int64_t> timestamp;
};

// Millions of rows: the C API avoids a QVariant per value (several times faster).
template <typename Sink>
void readSqliteInteractions(sqlite3* db, Sink&& sink) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, schema::kSelectInteractions, -1, &statement, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("database query failed: ") + sqlite3_errmsg(db));
    const auto optionalColumn = [&](int column) -> std::optional<std::int64_t> {
        if (sqlite3_column_type(statement, column) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int64(statement, column);
    };
    try {
        int result;
        StoredInteraction row;
        while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
            row.interactionId = sqlite3_column_int64(statement, 0);
            row.userId = sqlite3_column_int64(statement, 1);
            row.animeId = sqlite3_column_int64(statement, 2);
            row.rating = optionalColumn(3);
            row.status = sqlite3_column_int64(statement, 4);
            row.watchedEpisodes = optionalColumn(5);
            row.timestamp = optionalColumn(6);
            sink(row);
        }
        if (result != SQLITE_DONE)
            throw std::runtime_error(std::string("database query failed: ") + sqlite3_errmsg(db));
    } catch (...) {
        sqlite3_finalize(statement);
        throw;
    }
    sqlite3_finalize(statement);
}

// The same rows as COPY text: no per-value QVariant and no client-side result set.
template <typename Sink>
void readPostgresInteractions(pg_conn* connection, Sink&& sink) {
    pg::CopyOut copy(connection,
                     std::string("COPY (") + schema::kSelectInteractions + ") TO STDOUT");
    StoredInteraction row;
    while (copy.next()) {
        if (copy.fieldCount() != 7) throw std::runtime_error("COPY returned a malformed row");
        row.interactionId = copy.integer(0).value_or(0);
        row.userId = copy.integer(1).value_or(0);
        row.animeId = copy.integer(2).value_or(0);
        row.rating = copy.integer(3);
        row.status = copy.integer(4).value_or(0);
        row.watchedEpisodes = copy.integer(5);
        row.timestamp = copy.integer(6);
        sink(row);
    }
}

}  // namespace

Dataset loadDataset(Database& database, const ProgressCallback& progress) {
    sqlite3* sqlite = database.sqliteHandle();
    pg_conn* postgres = database.postgresHandle();
    if (sqlite == nullptr && postgres == nullptr)
        throw std::runtime_error("loadDataset: the database is not open");
    Dataset dataset;
    dataset.catalog = loadCatalog(database.connection());
    Interactions::Builder builder(dataset.catalog.size());

    QSqlQuery users(database.connection());
    users.setForwardOnly(true);
    if (!users.exec(QString::fromUtf8(schema::kSelectUsers))) throw queryError(users);
    while (users.next()) builder.addUser(users.value(0).toLongLong());
    users.finish();

    Progress report{"load interactions", 0, 0, {}};
    QSqlQuery maxId(database.connection());
    // The progress total.
    const char* lastId = database.backend() == Backend::Postgres
                             ? schema::kLastInteractionIdPostgres
                             : schema::kMaxInteractionId;
    if (maxId.exec(QString::fromLatin1(lastId)) && maxId.next())
        report.total = maxId.value(0).toLongLong();
    maxId.finish();

    std::int64_t rows = 0;
    const auto add = [&](const StoredInteraction& row) {
        const auto item = dataset.catalog.indexOf(row.animeId);
        if (!item)
            throw std::runtime_error("interaction " + std::to_string(row.interactionId) +
                                     " names anime_id " + std::to_string(row.animeId) +
                                     ", which is not in Anime");
        Event event;
        event.item = *item;
        event.rating = row.rating ? static_cast<float>(*row.rating) : 0.0f;
        event.status = statusOf(row.status);
        event.watchedEpisodes =
            row.watchedEpisodes ? static_cast<std::int32_t>(*row.watchedEpisodes) : -1;
        event.order = row.timestamp.value_or(row.interactionId);
        builder.add(row.userId, event);
        if (++rows % kRowsPerReport == 0) {
            report.done = rows;
            reportProgress(progress, report);
        }
    };
    if (sqlite)
        readSqliteInteractions(sqlite, add);
    else
        readPostgresInteractions(postgres, add);
    dataset.interactions = std::move(builder).build();
    return dataset;
}

}  // namespace animerec::storage

#include "storage/dataset_loader.h"

#include <sqlite3.h>

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <stdexcept>

#include "storage/database.h"
#include "storage/schema.h"

namespace animerec::storage {

namespace {

constexpr std::int64_t kRowsPerReport = 1 << 16;

std::runtime_error queryError(const QSqlQuery& query) {
    return std::runtime_error("database query failed: " + query.lastError().text().toStdString());
}

WatchStatus statusOf(std::int64_t code) {
    switch (code) {
        case 1: return WatchStatus::Watching;
        case 2: return WatchStatus::Completed;
        case 3: return WatchStatus::OnHold;
        case 4: return WatchStatus::Dropped;
        case 6: return WatchStatus::PlanToWatch;
        default: return WatchStatus::Unknown;
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

}  // namespace

Dataset loadDataset(Database& database, const ProgressCallback& progress) {
    sqlite3* db = database.sqliteHandle();
    if (db == nullptr) throw std::runtime_error("loadDataset: the database is not open");
    Dataset dataset;
    dataset.catalog = loadCatalog(database.connection());
    Interactions::Builder builder(dataset.catalog.size());

    QSqlQuery users(database.connection());
    users.setForwardOnly(true);
    if (!users.exec(QString::fromUtf8(schema::kSelectUsers))) throw queryError(users);
    while (users.next()) builder.addUser(users.value(0).toLongLong());

    // Millions of rows: the C API avoids a QVariant per value (several times faster).
    Progress report{"load interactions", 0, 0, {}};
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT max(interaction_id) FROM UserAnimeInteractions", -1,
                           &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        report.total = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    if (sqlite3_prepare_v2(db, schema::kSelectInteractions, -1, &statement, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("database query failed: ") + sqlite3_errmsg(db));
    try {
        int result;
        std::int64_t rows = 0;
        while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
            const std::int64_t interactionId = sqlite3_column_int64(statement, 0);
            const std::int64_t animeId = sqlite3_column_int64(statement, 2);
            const auto item = dataset.catalog.indexOf(animeId);
            if (!item)
                throw std::runtime_error("interaction " + std::to_string(interactionId) +
                                         " names anime_id " + std::to_string(animeId) +
                                         ", which is not in Anime");
            Event event;
            event.item = *item;
            event.rating = sqlite3_column_type(statement, 3) == SQLITE_NULL
                               ? 0.0f
                               : static_cast<float>(sqlite3_column_int64(statement, 3));
            event.status = statusOf(sqlite3_column_int64(statement, 4));
            event.watchedEpisodes = sqlite3_column_type(statement, 5) == SQLITE_NULL
                                        ? -1
                                        : static_cast<std::int32_t>(sqlite3_column_int64(statement, 5));
            event.order = sqlite3_column_type(statement, 6) == SQLITE_NULL
                              ? interactionId
                              : sqlite3_column_int64(statement, 6);
            builder.add(sqlite3_column_int64(statement, 1), event);
            if (++rows % kRowsPerReport == 0) {
                report.done = rows;
                reportProgress(progress, report);
            }
        }
        if (result != SQLITE_DONE)
            throw std::runtime_error(std::string("database query failed: ") + sqlite3_errmsg(db));
    } catch (...) {
        sqlite3_finalize(statement);
        throw;
    }
    sqlite3_finalize(statement);
    dataset.interactions = std::move(builder).build();
    return dataset;
}

}  // namespace animerec::storage

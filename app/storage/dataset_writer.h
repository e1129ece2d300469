#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/progress.h"

namespace animerec {
struct AnimeRecord;
struct InteractionRecord;
}  // namespace animerec

namespace animerec::storage {

class Database;

// The ImportRuns row of a successful import.
struct ImportRunRow {
    std::string startedAt;  // ISO 8601, UTC
    std::string animeFile;
    std::string interactionsFile;
    std::int64_t animeRows = 0;
    std::int64_t users = 0;
    std::int64_t interactions = 0;
    std::int64_t animeRejects = 0;
    std::int64_t interactionRejects = 0;
    std::string rejectsFile;
    double seconds = 0.0;
};

// Where the import puts validated rows: the one part of importDataset that differs between
// SQLite (prepared multi-row INSERTs through the sqlite3 C API) and PostgreSQL (COPY through
// libpq). Calls come in this order: begin, addAnime*, endAnime, addInteraction*,
// endInteractions, addUser* (ascending ids), endUsers, buildIndexes, recordRun, commit.
// rollback() may come at any point after begin and must leave the database as it was.
// Methods throw std::runtime_error on SQL failures.
class DatasetWriter {
public:
    virtual ~DatasetWriter() = default;

    // Starts the transaction and empties Anime, Users and UserAnimeInteractions.
    virtual void begin() = 0;
    virtual void addAnime(const AnimeRecord& record, std::string_view genres) = 0;
    virtual void endAnime() = 0;
    // The n-th call stores interaction_id n (file order among accepted rows).
    virtual void addInteraction(const InteractionRecord& record) = 0;
    // A user id smaller than the previous one arrived (the file is not grouped by user).
    virtual void interactionsOutOfUserOrder() = 0;
    virtual void endInteractions(std::int64_t count) = 0;
    // `name` empty = NULL.
    virtual void addUser(std::int64_t userId, std::string_view name) = 0;
    virtual void endUsers() = 0;
    // Builds the secondary indexes (and constraints) left out during the bulk load; reports
    // stage "build indexes" and throws OperationCancelled when `progress` returns false.
    virtual void buildIndexes(const ProgressCallback& progress) = 0;
    virtual void recordRun(const ImportRunRow& run) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // Housekeeping once committed (SQLite folds the WAL into the file); errors are ignored.
    virtual void afterCommit() noexcept {}
};

// The writer for the database's backend; throws std::runtime_error when it is not open.
std::unique_ptr<DatasetWriter> makeDatasetWriter(Database& database);
std::unique_ptr<DatasetWriter> makeSqliteDatasetWriter(Database& database);
std::unique_ptr<DatasetWriter> makePostgresDatasetWriter(Database& database);

}  // namespace animerec::storage

#pragma once

// The schema and the statements the import uses, as raw-string constants with bound `?`
// parameters only. Table DDL holds SqlDialect tokens ({ID}, {KEY}, {BIGINT}, {DOUBLE}): run it
// through SqlDialect::ddl(), which gives the classic SQLite text or its PostgreSQL equivalent.
// Secondary indexes are separate statements because the import drops them and
// builds them once after the bulk insert, which is several times faster than maintaining them
// per row (except the user index while rows arrive in user order: see importer.cpp).
namespace animerec::storage::schema {

inline constexpr const char* kCreateAnime = R"(
    CREATE TABLE IF NOT EXISTS Anime (
        anime_id {KEY},
        title TEXT NOT NULL,
        genre TEXT,
        type TEXT,
        episodes INTEGER,
        rating {DOUBLE},
        members {BIGINT}
    ))";

inline constexpr const char* kCreateUsers = R"(
    CREATE TABLE IF NOT EXISTS Users (
        user_id {KEY},
        name TEXT,
        join_date TEXT
    ))";

inline constexpr const char* kCreateInteractions = R"(
    CREATE TABLE IF NOT EXISTS UserAnimeInteractions (
        interaction_id {EVENT_ID},
        user_id {BIGINT} NOT NULL REFERENCES Users(user_id),
        anime_id {BIGINT} NOT NULL REFERENCES Anime(anime_id),
        rating INTEGER,
        status INTEGER,
        watched_episodes INTEGER,
        timestamp {BIGINT}{EVENT_KEY}
    ))";

// One row per successful import (a failed import rolls back, so it leaves no row either).
inline constexpr const char* kCreateImportRuns = R"(
    CREATE TABLE IF NOT EXISTS ImportRuns (
        run_id {ID},
        started_at TEXT NOT NULL,
        anime_file TEXT NOT NULL,
        interactions_file TEXT NOT NULL,
        anime_rows {BIGINT} NOT NULL,
        users {BIGINT} NOT NULL,
        interactions {BIGINT} NOT NULL,
        anime_rejects {BIGINT} NOT NULL,
        interaction_rejects {BIGINT} NOT NULL,
        rejects_file TEXT,
        seconds {DOUBLE} NOT NULL
    ))";

// A/B experiments (app/experiments): definitions, served lists and user feedback. Times are
// milliseconds since the epoch (UTC). No foreign keys to Anime/Users: an import replaces those
// tables and must not cascade into experiment history.
inline constexpr const char* kCreateExperiments = R"(
    CREATE TABLE IF NOT EXISTS Experiments (
        experiment_id {ID},
        name TEXT NOT NULL UNIQUE,
        salt TEXT NOT NULL,
        status TEXT NOT NULL,
        routes TEXT NOT NULL,
        variants TEXT NOT NULL,
        created_at {BIGINT} NOT NULL,
        updated_at {BIGINT} NOT NULL,
        started_at {BIGINT},
        stopped_at {BIGINT}
    ))";

// items: anime ids, comma-separated, best first (position = index + 1).
inline constexpr const char* kCreateExposures = R"(
    CREATE TABLE IF NOT EXISTS Exposures (
        exposure_id {ID},
        experiment_id {BIGINT} NOT NULL,
        variant TEXT NOT NULL,
        user_id {BIGINT},
        session_id TEXT,
        route TEXT NOT NULL,
        model TEXT,
        model_version TEXT,
        items TEXT NOT NULL,
        served_at {BIGINT} NOT NULL
    ))";

inline constexpr const char* kCreateFeedback = R"(
    CREATE TABLE IF NOT EXISTS Feedback (
        feedback_id {ID},
        user_id {BIGINT},
        anime_id {BIGINT} NOT NULL,
        event TEXT NOT NULL,
        value {DOUBLE},
        created_at {BIGINT} NOT NULL,
        exposure_id {BIGINT},
        experiment_id {BIGINT},
        variant TEXT,
        position INTEGER,
        session_id TEXT
    ))";

// Model files shared by every replica (app/storage/model_store.h): one row per file name, its
// bytes in ModelFileChunks rows of at most kModelChunkBytes (a 1.2 GB EASE model never has to
// sit in one value, nor in memory twice). version is the SHA-256 of the whole file (hex): a sync
// refuses a file whose bytes do not hash to it.
inline constexpr const char* kCreateModelFiles = R"(
    CREATE TABLE IF NOT EXISTS ModelFiles (
        name TEXT NOT NULL PRIMARY KEY,
        version TEXT NOT NULL,
        size {BIGINT} NOT NULL,
        chunks INTEGER NOT NULL,
        modified_at {BIGINT} NOT NULL,
        published_at {BIGINT} NOT NULL
    ))";
inline constexpr const char* kCreateModelFileChunks = R"(
    CREATE TABLE IF NOT EXISTS ModelFileChunks (
        name TEXT NOT NULL,
        chunk INTEGER NOT NULL,
        bytes {BLOB} NOT NULL,
        PRIMARY KEY (name, chunk)
    ))";

// Request counters of each serving replica per time window (app/storage/request_metrics_store.h).
// latency_buckets: JSON object, bucket upper bound in ms ("+Inf" last) -> requests in it (not
// cumulative).
inline constexpr const char* kCreateRequestMetrics = R"(
    CREATE TABLE IF NOT EXISTS RequestMetrics (
        replica TEXT NOT NULL,
        route TEXT NOT NULL,
        model TEXT NOT NULL,
        window_start {BIGINT} NOT NULL,
        window_ms {BIGINT} NOT NULL,
        requests {BIGINT} NOT NULL,
        errors {BIGINT} NOT NULL,
        latency_sum_ms {DOUBLE} NOT NULL,
        latency_buckets TEXT NOT NULL,
        PRIMARY KEY (replica, route, model, window_start)
    ))";

// Online quality counts of each serving replica per minute and (route, role, model, version)
// (app/storage/quality_store.h); one column per QualityCount, named by qualityCountName()
// (core/eval/quality_counts.h). A flush adds to the minute's row: a click on a list served minutes
// ago lands on the minute the list was served.
inline constexpr const char* kCreateQualityCounts = R"(
    CREATE TABLE IF NOT EXISTS QualityCounts (
        replica TEXT NOT NULL,
        minute {BIGINT} NOT NULL,
        route TEXT NOT NULL,
        role TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        lists {BIGINT} NOT NULL DEFAULT 0,
        cache_lookups {BIGINT} NOT NULL DEFAULT 0,
        cache_hits {BIGINT} NOT NULL DEFAULT 0,
        cold_popular {BIGINT} NOT NULL DEFAULT 0,
        cold_popular_in_genres {BIGINT} NOT NULL DEFAULT 0,
        cold_content_from_history {BIGINT} NOT NULL DEFAULT 0,
        items_served {BIGINT} NOT NULL DEFAULT 0,
        sampled {BIGINT} NOT NULL DEFAULT 0,
        clicked {BIGINT} NOT NULL DEFAULT 0,
        watched {BIGINT} NOT NULL DEFAULT 0,
        completed {BIGINT} NOT NULL DEFAULT 0,
        feedback {BIGINT} NOT NULL DEFAULT 0,
        ratings {BIGINT} NOT NULL DEFAULT 0,
        user_requests {BIGINT} NOT NULL DEFAULT 0,
        new_users {BIGINT} NOT NULL DEFAULT 0,
        anime_requests {BIGINT} NOT NULL DEFAULT 0,
        unknown_anime {BIGINT} NOT NULL DEFAULT 0,
        novelty_sum {DOUBLE} NOT NULL DEFAULT 0,
        rating_sum {DOUBLE} NOT NULL DEFAULT 0,
        PRIMARY KEY (replica, minute, route, role, model, version)
    ))";

// The titles each replica served per (route, role, model, version) and the minute it last served
// each (app/storage/quality_store.h): distinct titles over a window, i.e. catalogue coverage,
// do not add up from counts.
inline constexpr const char* kCreateQualityItems = R"(
    CREATE TABLE IF NOT EXISTS QualityItems (
        replica TEXT NOT NULL,
        route TEXT NOT NULL,
        role TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        anime_id {BIGINT} NOT NULL,
        last_minute {BIGINT} NOT NULL,
        PRIMARY KEY (replica, route, role, model, version, anime_id)
    ))";

// Columns added after a table's first release: open() adds each one an older database lacks.
struct AddedColumn {
    const char* table;
    const char* column;
    const char* definition;
};
// Feedback of an anonymous session names the session (its user_id is NULL in new databases).
inline constexpr AddedColumn kAddedColumns[] = {{"Feedback", "session_id", "TEXT"}};

inline constexpr const char* kCreateTables[] = {
    kCreateAnime,           kCreateUsers,          kCreateInteractions,  kCreateImportRuns,
    kCreateExperiments,     kCreateExposures,      kCreateFeedback,      kCreateModelFiles,
    kCreateModelFileChunks, kCreateRequestMetrics, kCreateQualityCounts, kCreateQualityItems};

// A user's history in file order (recommend, training); SQLite only (SqlDialect::eventKey: on
// PostgreSQL the primary key is this index). No index on anime_id: no query looks
// interactions up by anime (statistics come from the loaded dataset), anime are never deleted one
// by one, and at 10M rows its build was a third of the import's index time.
inline constexpr const char* kCreateUserIndex = R"(
    CREATE INDEX IF NOT EXISTS idx_interactions_user
        ON UserAnimeInteractions(user_id, interaction_id))";
inline constexpr const char* kCreateExposureIndex = R"(
    CREATE INDEX IF NOT EXISTS idx_exposures_experiment ON Exposures(experiment_id, served_at))";
inline constexpr const char* kCreateFeedbackIndex = R"(
    CREATE INDEX IF NOT EXISTS idx_feedback_experiment ON Feedback(experiment_id))";
// Every backend; kCreateUserIndex comes on top where SqlDialect::separateHistoryIndex().
inline constexpr const char* kCreateIndexes[] = {kCreateExposureIndex, kCreateFeedbackIndex};

inline constexpr const char* kDropUserIndex = R"(DROP INDEX IF EXISTS idx_interactions_user)";
// Indexes of earlier releases that open() removes from an older database.
inline constexpr const char* kDropAnimeIndex = R"(DROP INDEX IF EXISTS idx_interactions_anime)";
inline constexpr const char* kDropRetiredIndexes[] = {kDropAnimeIndex};

// The import replaces the whole dataset.
inline constexpr const char* kClearDataset[] = {
    R"(DELETE FROM UserAnimeInteractions)",
    R"(DELETE FROM Users)",
    R"(DELETE FROM Anime)",
};

inline constexpr const char* kInsertAnime = R"(
    INSERT INTO Anime (anime_id, title, genre, type, episodes, rating, members)
    VALUES (?, ?, ?, ?, ?, ?, ?))";

inline constexpr const char* kInsertUser = R"(
    INSERT INTO Users (user_id, name, join_date) VALUES (?, ?, NULL))";

// The import binds kInteractionsPerInsert rows per statement: VALUES followed by that many
// comma-separated kInteractionRow groups (a third less work per row than one row per step).
// interaction_id is left to SQLite: in the emptied table it assigns 1, 2, ... in insert order,
// i.e. file order, without the uniqueness probe an explicit key costs per row.
inline constexpr const char* kInsertInteractions = R"(
    INSERT INTO UserAnimeInteractions
        (user_id, anime_id, rating, status, watched_episodes, timestamp)
    VALUES )";
inline constexpr const char* kInteractionRow = R"((?, ?, ?, ?, ?, ?))";
inline constexpr int kInteractionColumns = 6;
inline constexpr int kInteractionsPerInsert = 16;

inline constexpr const char* kMaxInteractionId = R"(
    SELECT coalesce(max(interaction_id), 0) FROM UserAnimeInteractions)";
// The same number on PostgreSQL without scanning the table (no index starts with
// interaction_id there): the identity sequence's last value.
inline constexpr const char* kLastInteractionIdPostgres = R"(
    SELECT last_value FROM pg_sequences WHERE schemaname = current_schema()
        AND sequencename = 'useranimeinteractions_interaction_id_seq')";

inline constexpr const char* kInsertImportRun = R"(
    INSERT INTO ImportRuns (started_at, anime_file, interactions_file, anime_rows, users,
        interactions, anime_rejects, interaction_rejects, rejects_file, seconds)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";

inline constexpr const char* kSelectAnime = R"(
    SELECT anime_id, title, genre, type, episodes, rating, members FROM Anime ORDER BY anime_id)";

inline constexpr const char* kSelectUsers = R"(SELECT user_id FROM Users ORDER BY user_id)";

inline constexpr const char* kSelectInteractions = R"(
    SELECT interaction_id, user_id, anime_id, rating, status, watched_episodes, timestamp
    FROM UserAnimeInteractions)";

}  // namespace animerec::storage::schema

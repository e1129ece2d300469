// DatasetWriter for PostgreSQL: the dataset tables are emptied with TRUNCATE and refilled with
// COPY, with the interaction keys, indexes and foreign keys dropped during the load and built
// once at the end (as pg_restore does), all in one transaction on the QPSQL connection's own
// libpq handle. DDL is transactional in PostgreSQL, so a rollback restores them too.
#include <algorithm>
#include <stdexcept>

#include "data/anime_record.h"
#include "data/interaction_record.h"
#include "storage/database.h"
#include "storage/dataset_writer.h"
#include "storage/postgres_copy.h"
#include "storage/schema.h"

namespace animerec::storage {

namespace {

// Constraint names are PostgreSQL's defaults for the columns of kCreateInteractions.
constexpr const char* kPrepare[] = {
    R"(TRUNCATE UserAnimeInteractions, Users, Anime)",
    schema::kDropUserIndex,
    R"(ALTER TABLE UserAnimeInteractions
        DROP CONSTRAINT IF EXISTS useranimeinteractions_user_id_fkey,
        DROP CONSTRAINT IF EXISTS useranimeinteractions_anime_id_fkey,
        DROP CONSTRAINT IF EXISTS useranimeinteractions_pkey)",
};

// FREEZE (allowed because the tables were truncated in this transaction): rows are written
// frozen and the pages all-visible, so the index builds and every later scan skip the per-row
// visibility work, and autovacuum has nothing to freeze afterwards. Other sessions cannot see
// the tables before the commit anyway: TRUNCATE holds them exclusively.
constexpr const char* kCopyAnime = R"(
    COPY Anime (anime_id, title, genre, type, episodes, rating, members) FROM STDIN
    WITH (FREEZE))";
constexpr const char* kCopyInteractions = R"(
    COPY UserAnimeInteractions
        (interaction_id, user_id, anime_id, rating, status, watched_episodes, timestamp)
    FROM STDIN WITH (FREEZE))";
constexpr const char* kCopyUsers = R"(COPY Users (user_id, name) FROM STDIN WITH (FREEZE))";

// The only B-tree on the table (SqlDialect::eventKey). A database created before it had a key on
// interaction_id and an index on (user_id, interaction_id): kPrepare drops both.
constexpr const char* kAddPrimaryKey = R"(
    ALTER TABLE UserAnimeInteractions ADD CONSTRAINT useranimeinteractions_pkey
        PRIMARY KEY (user_id, interaction_id))";
// NOT VALID: enforced for every later insert, but the loaded rows are not re-checked by a join
// over the whole table (a third of the index build time): the import already accepted only
// rows whose anime_id is in the anime file, and Users is built from the rows' own user ids.
constexpr const char* kAddForeignKeys = R"(
    ALTER TABLE UserAnimeInteractions
        ADD CONSTRAINT useranimeinteractions_user_id_fkey
            FOREIGN KEY (user_id) REFERENCES Users(user_id) NOT VALID,
        ADD CONSTRAINT useranimeinteractions_anime_id_fkey
            FOREIGN KEY (anime_id) REFERENCES Anime(anime_id) NOT VALID)";
// Index sorts stay in memory instead of spilling to disk: about 200 bytes per row cover the
// sort tuples of the leader and the parallel workers (which split the budget between them).
// At 10M rows 2 GB instead of 512 MB halved an index build on anime_id (bench/README.md). It is a
// ceiling, not an allocation, and the setting ends with the transaction.
std::string sortMemorySetting(std::int64_t rows) {
    constexpr std::int64_t kMinMb = 64;
    constexpr std::int64_t kMaxMb = 2048;
    const std::int64_t mb = std::clamp<std::int64_t>(rows / 5000, kMinMb, kMaxMb);
    return "SET LOCAL maintenance_work_mem = '" + std::to_string(mb) + "MB'";
}

class PostgresDatasetWriter final : public DatasetWriter {
public:
    PostgresDatasetWriter(pg_conn* connection, SqlDialect dialect)
        : connection_(connection), dialect_(dialect) {}
    ~PostgresDatasetWriter() override { closeCopies(); }

    void begin() override {
        pg::exec(connection_, "BEGIN");
        for (const char* statement : kPrepare) pg::exec(connection_, statement);
    }

    void addAnime(const AnimeRecord& record, std::string_view genres) override {
        if (!copy_) copy_ = std::make_unique<pg::CopyIn>(connection_, kCopyAnime);
        pg::CopyIn& copy = *copy_;
        copy.integer(record.animeId);
        copy.text(record.title);
        copy.textOrNull(genres);
        copy.textOrNull(record.type);
        copy.optional(record.episodes);
        if (record.rating)
            copy.real(*record.rating);
        else
            copy.null();
        copy.optional(record.members);
        copy.endRow();
    }
    void endAnime() override { finishCopy(); }

    void addInteraction(const InteractionRecord& record) override {
        if (!copy_) copy_ = std::make_unique<pg::CopyIn>(connection_, kCopyInteractions);
        pg::CopyIn& copy = *copy_;
        copy.integer(++interactionId_);
        copy.integer(record.userId);
        copy.integer(record.animeId);
        copy.optional(record.rating);
        copy.integer(static_cast<std::int64_t>(record.status));
        copy.optional(record.watchedEpisodes);
        copy.optional(record.timestamp);
        copy.endRow();
    }
    void interactionsOutOfUserOrder() override {}  // every index is built after the load
    void endInteractions(std::int64_t count) override {
        const std::int64_t stored = finishCopy();
        if (stored != count || interactionId_ != count)
            throw std::runtime_error("COPY stored " + std::to_string(stored) + " of " +
                                     std::to_string(count) + " interactions");
    }

    void addUser(std::int64_t userId, std::string_view name) override {
        if (!copy_) copy_ = std::make_unique<pg::CopyIn>(connection_, kCopyUsers);
        copy_->integer(userId);
        copy_->textOrNull(name);
        copy_->endRow();
    }
    void endUsers() override { finishCopy(); }

    void buildIndexes(const ProgressCallback& progress) override {
        const Progress stage{"build indexes", 0, 0, {}};
        reportProgress(progress, stage);
        const auto keepGoing = [&] { return !progress || progress(stage); };
        pg::exec(connection_, sortMemorySetting(interactionId_));
        pg::execCancellable(connection_, kAddPrimaryKey, keepGoing);
        for (const char* statement : schema::kCreateIndexes)
            pg::execCancellable(connection_, dialect_.ddl(statement).toStdString(), keepGoing);
        pg::execCancellable(connection_, kAddForeignKeys, keepGoing);
        // Rows inserted later (feedback in app/experiments) take ids after the imported ones.
        pg::queryInt(connection_,
                     "SELECT setval(pg_get_serial_sequence('useranimeinteractions', "
                     "'interaction_id'), " +
                         std::to_string(std::max<std::int64_t>(interactionId_, 1)) + ", " +
                         (interactionId_ > 0 ? "true" : "false") + ")");
        // No ANALYZE here: autovacuum analyzes the reloaded tables right after the commit.
    }

    void recordRun(const ImportRunRow& row) override {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.6f", row.seconds);
        pg::execParams(
            connection_, pg::numberedPlaceholders(schema::kInsertImportRun),
            {row.startedAt, row.animeFile, row.interactionsFile, std::to_string(row.animeRows),
             std::to_string(row.users), std::to_string(row.interactions),
             std::to_string(row.animeRejects), std::to_string(row.interactionRejects),
             row.rejectsFile, std::string(seconds)});
    }

    void commit() override { pg::exec(connection_, "COMMIT"); }

    void rollback() noexcept override {
        closeCopies();
        try {
            pg::exec(connection_, "ROLLBACK");
        } catch (const std::exception&) {
            // The connection is gone: the server rolls back by itself.
        }
    }

private:
    std::int64_t finishCopy() {
        if (!copy_) return 0;
        const std::int64_t rows = copy_->finish();
        copy_.reset();
        return rows;
    }
    void closeCopies() noexcept { copy_.reset(); }  // an unfinished COPY is aborted

    pg_conn* connection_;
    SqlDialect dialect_;
    std::unique_ptr<pg::CopyIn> copy_;
    std::int64_t interactionId_ = 0;
};

}  // namespace

std::unique_ptr<DatasetWriter> makePostgresDatasetWriter(Database& database) {
    pg_conn* connection = database.postgresHandle();
    if (connection == nullptr) throw std::runtime_error("import: the database is not open");
    if (!pg::available())
        throw std::runtime_error(
            "import: this build has no libpq, needed for COPY into PostgreSQL");
    return std::make_unique<PostgresDatasetWriter>(connection, database.dialect());
}

}  // namespace animerec::storage

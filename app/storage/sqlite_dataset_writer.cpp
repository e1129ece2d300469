// DatasetWriter for SQLite: prepared statements through the driver's sqlite3 handle, interaction
// rows bound kInteractionsPerInsert to a statement, the user index kept live while rows come in
// user order (appends are cheaper than a sort afterwards), else built once at the end.
#include <sqlite3.h>

#include <array>
#include <stdexcept>

#include "data/anime_record.h"
#include "data/interaction_record.h"
#include "storage/database.h"
#include "storage/dataset_writer.h"
#include "storage/schema.h"

namespace animerec::storage {

namespace {

[[noreturn]] void throwSqlite(sqlite3* db, const std::string& what) {
    throw std::runtime_error(what + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error(std::string("SQL failed: ") + text);
    }
}

// One prepared statement, reused for every row (bind, step, reset).
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
            throwSqlite(db, "cannot prepare statement");
    }
    ~Statement() { sqlite3_finalize(statement_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, std::int64_t value) { sqlite3_bind_int64(statement_, index, value); }
    void bindReal(int index, double value) { sqlite3_bind_double(statement_, index, value); }
    void bindNull(int index) { sqlite3_bind_null(statement_, index); }
    // The text must stay alive until step() returns.
    void bindText(int index, std::string_view text) {
        sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_STATIC);
    }
    void bindTextOrNull(int index, std::string_view text) {
        if (text.empty())
            bindNull(index);
        else
            bindText(index, text);
    }
    template <typename T>
    void bindOptional(int index, const std::optional<T>& value) {
        if (value)
            bind(index, static_cast<std::int64_t>(*value));
        else
            bindNull(index);
    }
    // Runs a one-row, one-column query and returns its integer.
    std::int64_t stepRow(const char* what) {
        if (sqlite3_step(statement_) != SQLITE_ROW) throwSqlite(db_, what);
        const std::int64_t value = sqlite3_column_int64(statement_, 0);
        sqlite3_reset(statement_);
        return value;
    }
    void step(const char* what) {
        const int result = sqlite3_step(statement_);
        sqlite3_reset(statement_);
        if (result != SQLITE_DONE) throwSqlite(db_, what);
    }

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

// Interaction rows go kInteractionsPerInsert to a statement; the tail goes one by one.
class InteractionBatch {
public:
    explicit InteractionBatch(sqlite3* db)
        : many_(db, manyRowsSql().c_str()), one_(db, oneRowSql().c_str()) {}

    void add(const InteractionRecord& record) {
        pending_[count_++] = {record.userId,          record.animeId,
                              record.rating,          static_cast<std::int64_t>(record.status),
                              record.watchedEpisodes, record.timestamp};
        if (count_ == schema::kInteractionsPerInsert) {
            for (int i = 0; i < count_; ++i)
                bindRow(many_, i * schema::kInteractionColumns, pending_[i]);
            many_.step("cannot insert interactions");
            count_ = 0;
        }
    }
    void flush() {
        for (int i = 0; i < count_; ++i) {
            bindRow(one_, 0, pending_[i]);
            one_.step("cannot insert interaction");
        }
        count_ = 0;
    }

private:
    struct Row {
        std::int64_t userId, animeId;
        std::optional<int> rating;
        std::int64_t status;
        std::optional<int> watchedEpisodes;
        std::optional<std::int64_t> timestamp;
    };

    static std::string oneRowSql() {
        return std::string(schema::kInsertInteractions) + schema::kInteractionRow;
    }
    static std::string manyRowsSql() {
        std::string sql = schema::kInsertInteractions;
        for (int i = 0; i < schema::kInteractionsPerInsert; ++i) {
            if (i > 0) sql += ", ";
            sql += schema::kInteractionRow;
        }
        return sql;
    }
    static void bindRow(Statement& statement, int offset, const Row& row) {
        statement.bind(offset + 1, row.userId);
        statement.bind(offset + 2, row.animeId);
        statement.bindOptional(offset + 3, row.rating);
        statement.bind(offset + 4, row.status);
        statement.bindOptional(offset + 5, row.watchedEpisodes);
        statement.bindOptional(offset + 6, row.timestamp);
    }

    Statement many_;
    Statement one_;
    std::array<Row, schema::kInteractionsPerInsert> pending_{};
    int count_ = 0;
};

struct IndexBuildContext {
    const ProgressCallback* progress;
    bool cancelled = false;
};

// Lets Ctrl-C interrupt CREATE INDEX, the one long step without rows to count.
int onSqliteProgress(void* context) {
    auto* build = static_cast<IndexBuildContext*>(context);
    if (*build->progress && !(*build->progress)(Progress{"build indexes", 0, 0, {}})) {
        build->cancelled = true;
        return 1;
    }
    return 0;
}

class SqliteDatasetWriter final : public DatasetWriter {
public:
    explicit SqliteDatasetWriter(sqlite3* db) : db_(db) {}

    void begin() override {
        exec(db_, "BEGIN IMMEDIATE");
        for (const char* statement : schema::kClearDataset) exec(db_, statement);
        exec(db_, schema::kCreateUserIndex);  // empty now; kept while rows come in user order
    }

    void addAnime(const AnimeRecord& record, std::string_view genres) override {
        if (!anime_) anime_ = std::make_unique<Statement>(db_, schema::kInsertAnime);
        Statement& insert = *anime_;
        insert.bind(1, record.animeId);
        insert.bindText(2, record.title);
        insert.bindTextOrNull(3, genres);
        insert.bindTextOrNull(4, record.type);
        insert.bindOptional(5, record.episodes);
        if (record.rating)
            insert.bindReal(6, *record.rating);
        else
            insert.bindNull(6);
        insert.bindOptional(7, record.members);
        insert.step("cannot insert anime");
    }
    void endAnime() override { anime_.reset(); }

    void addInteraction(const InteractionRecord& record) override {
        if (!interactions_) interactions_ = std::make_unique<InteractionBatch>(db_);
        interactions_->add(record);
    }

    void interactionsOutOfUserOrder() override {
        if (!userIndexLive_) return;
        // The index would now take random inserts: drop it and build it once at the end.
        if (interactions_) interactions_->flush();
        exec(db_, schema::kDropUserIndex);
        userIndexLive_ = false;
    }

    void endInteractions(std::int64_t count) override {
        if (interactions_) interactions_->flush();
        interactions_.reset();
        // interaction_id is SQLite's: it must have numbered exactly our rows, in order.
        Statement maxId(db_, schema::kMaxInteractionId);
        if (maxId.stepRow("cannot read interaction ids") != count)
            throw std::runtime_error("interaction ids are not 1.." + std::to_string(count));
    }

    void addUser(std::int64_t userId, std::string_view name) override {
        if (!users_) users_ = std::make_unique<Statement>(db_, schema::kInsertUser);
        users_->bind(1, userId);
        users_->bindTextOrNull(2, name);
        users_->step("cannot insert user");
    }
    void endUsers() override { users_.reset(); }

    void buildIndexes(const ProgressCallback& progress) override {
        reportProgress(progress, Progress{"build indexes", 0, 0, {}});
        IndexBuildContext context{&progress};
        sqlite3_progress_handler(db_, 4'000'000, onSqliteProgress, &context);
        try {
            exec(db_, schema::kCreateUserIndex);
            for (const char* statement : schema::kCreateIndexes) exec(db_, statement);
        } catch (const std::runtime_error&) {
            sqlite3_progress_handler(db_, 0, nullptr, nullptr);
            if (context.cancelled) throw OperationCancelled();
            throw;
        }
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    }

    void recordRun(const ImportRunRow& row) override {
        Statement run(db_, schema::kInsertImportRun);
        run.bindText(1, row.startedAt);
        run.bindText(2, row.animeFile);
        run.bindText(3, row.interactionsFile);
        run.bind(4, row.animeRows);
        run.bind(5, row.users);
        run.bind(6, row.interactions);
        run.bind(7, row.animeRejects);
        run.bind(8, row.interactionRejects);
        run.bindText(9, row.rejectsFile);
        run.bindReal(10, row.seconds);
        run.step("cannot record the import run");
    }

    void commit() override { exec(db_, "COMMIT"); }

    void rollback() noexcept override {
        anime_.reset();
        interactions_.reset();
        users_.reset();
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }

    void afterCommit() noexcept override {
        // The import wrote the whole dataset to the WAL; fold it into the database file now.
        sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    }

private:
    sqlite3* db_;
    // While user ids arrive in non-decreasing order, keys (user_id, interaction_id) only ever
    // append to the index, which is cheaper than sorting them afterwards.
    bool userIndexLive_ = true;
    std::unique_ptr<Statement> anime_;
    std::unique_ptr<InteractionBatch> interactions_;
    std::unique_ptr<Statement> users_;
};

}  // namespace

std::unique_ptr<DatasetWriter> makeSqliteDatasetWriter(Database& database) {
    sqlite3* db = database.sqliteHandle();
    if (db == nullptr) throw std::runtime_error("import: the database is not open");
    return std::make_unique<SqliteDatasetWriter>(db);
}

std::unique_ptr<DatasetWriter> makeDatasetWriter(Database& database) {
    return database.backend() == Backend::Postgres ? makePostgresDatasetWriter(database)
                                                   : makeSqliteDatasetWriter(database);
}

}  // namespace animerec::storage

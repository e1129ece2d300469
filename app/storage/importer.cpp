#include "storage/importer.h"
#include "util/file_input.h"

#include <sqlite3.h>

#include <QDateTime>
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "data/anime_csv_reader.h"
#include "data/interaction_csv_reader.h"
#include "storage/database.h"
#include "storage/schema.h"

namespace animerec::storage {

namespace {

constexpr std::int64_t kRowsPerReport = 1 << 16;

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
    template <typename T>
    void bindOptional(int index, const std::optional<T>& value) {
        if (value) bind(index, static_cast<std::int64_t>(*value));
        else bindNull(index);
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
        pending_[count_++] = {record.userId, record.animeId, record.rating,
                              static_cast<std::int64_t>(record.status), record.watchedEpisodes,
                              record.timestamp};
        if (count_ == schema::kInteractionsPerInsert) {
            for (int i = 0; i < count_; ++i) bindRow(many_, i * schema::kInteractionColumns, pending_[i]);
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

// Writes rejects as they arrive so memory does not grow with their number.
class RejectReport {
public:
    explicit RejectReport(const QString& path) : path_(path.toStdString()) {
        output_.open(path_, std::ios::binary | std::ios::trunc);
        if (!output_) throw std::runtime_error(path_ + ": cannot write the reject report");
    }
    void add(const CsvReject& reject) {
        output_ << describeReject(reject) << '\n';
        if (!output_) throw std::runtime_error(path_ + ": cannot write the reject report");
    }
    void flush() { output_.flush(); }

private:
    std::string path_;
    std::ofstream output_;
};


void checkRejectShare(const std::string& file, std::int64_t rejects, std::int64_t accepted,
                      double limit, const QString& reportPath) {
    const std::int64_t read = rejects + accepted;
    if (read == 0 || static_cast<double>(rejects) <= limit * static_cast<double>(read)) return;
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%", 100.0 * static_cast<double>(rejects) / double(read));
    char limitText[32];
    std::snprintf(limitText, sizeof limitText, "%g", limit);
    throw std::invalid_argument(file + ": " + std::to_string(rejects) + " of " +
                                std::to_string(read) + " rows rejected (" + share +
                                "), more than --max-reject-share " + limitText +
                                "; see " + reportPath.toStdString());
}

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

class Import {
public:
    Import(sqlite3* db, const ProgressCallback& progress) : db_(db), progress_(progress) {}

    void readAnime(AnimeCsvReader& reader, const std::string& file, RejectReport& rejects,
                   ImportSummary& summary) {
        Statement insert(db_, schema::kInsertAnime);
        const Progress base{"import anime", 0, fileSizeOrZero(file), {}};
        AnimeRecord record;
        CsvReject reject;
        std::string genres;
        for (std::int64_t rows = 1;; ++rows) {
            const auto result = reader.next(record, reject);
            if (result == AnimeCsvReader::Result::End) break;
            if (rows % 4096 == 0) report(base, reader.bytesRead());
            if (result == AnimeCsvReader::Result::Record && !animeIds_.insert(record.animeId).second) {
                reject = {file, reader.lastLine(),
                          "duplicate anime_id " + std::to_string(record.animeId)};
                rejects.add(reject);
                ++summary.animeRejects;
                continue;
            }
            if (result == AnimeCsvReader::Result::Reject) {
                rejects.add(reject);
                ++summary.animeRejects;
                continue;
            }
            genres = joinGenres(record.genres);
            insert.bind(1, record.animeId);
            insert.bindText(2, record.title);
            if (genres.empty()) insert.bindNull(3); else insert.bindText(3, genres);
            if (record.type.empty()) insert.bindNull(4); else insert.bindText(4, record.type);
            insert.bindOptional(5, record.episodes);
            if (record.rating) insert.bindReal(6, *record.rating); else insert.bindNull(6);
            insert.bindOptional(7, record.members);
            insert.step("cannot insert anime");
            ++summary.animeRows;
        }
        report(base, base.total);
    }

    void readInteractions(InteractionCsvReader& reader, const std::string& file,
                          RejectReport& rejects, ImportSummary& summary) {
        InteractionBatch batch(db_);
        const Progress base{"import interactions", 0, fileSizeOrZero(file), {}};
        InteractionRecord record;
        CsvReject reject;
        std::int64_t inserted = 0;
        std::int64_t lastUser = -1;
        for (std::int64_t rows = 1;; ++rows) {
            const auto result = reader.next(record, reject);
            if (result == InteractionCsvReader::Result::End) break;
            if (rows % kRowsPerReport == 0) report(base, reader.bytesRead());
            if (result == InteractionCsvReader::Result::Record && !animeIds_.contains(record.animeId)) {
                reject = {file, reader.lastLine(), "unknown anime_id " + std::to_string(record.animeId)};
                rejects.add(reject);
                ++summary.interactionRejects;
                continue;
            }
            if (result == InteractionCsvReader::Result::Reject) {
                rejects.add(reject);
                ++summary.interactionRejects;
                continue;
            }
            // Files are usually grouped by user: skip the set lookup for the same user.
            if (record.userId != lastUser) {
                if (record.userId < lastUser && userIndexLive_) {
                    // Out of user order: the index would take random inserts; build it later.
                    batch.flush();
                    exec(db_, schema::kDropUserIndex);
                    userIndexLive_ = false;
                }
                lastUser = record.userId;
                if (userIds_.insert(record.userId).second && !record.userName.empty())
                    userNames_.push_back({record.userId, record.userName});
            }
            batch.add(record);
            ++inserted;
        }
        batch.flush();
        summary.interactions = inserted;
        // interaction_id is SQLite's: it must have numbered exactly our rows, in order.
        Statement maxId(db_, schema::kMaxInteractionId);
        if (maxId.stepRow("cannot read interaction ids") != inserted)
            throw std::runtime_error("interaction ids are not 1.." + std::to_string(inserted));
        report(base, base.total);
    }

    void insertUsers(ImportSummary& summary) {
        std::vector<std::int64_t> ids(userIds_.begin(), userIds_.end());
        std::sort(ids.begin(), ids.end());
        std::sort(userNames_.begin(), userNames_.end());
        Statement insert(db_, schema::kInsertUser);
        auto name = userNames_.begin();
        for (const std::int64_t id : ids) {
            insert.bind(1, id);
            if (name != userNames_.end() && name->first == id) insert.bindText(2, (name++)->second);
            else insert.bindNull(2);
            insert.step("cannot insert user");
        }
        summary.users = static_cast<qint64>(ids.size());
    }

    void buildIndexes() {
        report(Progress{"build indexes", 0, 0, {}}, 0);
        IndexBuildContext context{&progress_};
        sqlite3_progress_handler(db_, 4'000'000, onSqliteProgress, &context);
        try {
            for (const char* statement : schema::kCreateIndexes) exec(db_, statement);
        } catch (const std::runtime_error&) {
            sqlite3_progress_handler(db_, 0, nullptr, nullptr);
            if (context.cancelled) throw OperationCancelled();
            throw;
        }
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    }

private:
    void report(const Progress& base, std::int64_t done) {
        Progress now = base;
        now.done = done;
        reportProgress(progress_, now);
    }

    sqlite3* db_;
    const ProgressCallback& progress_;
    // While user ids arrive in non-decreasing order, keys (user_id, interaction_id) only ever
    // append to the index, which is cheaper than sorting them afterwards.
    bool userIndexLive_ = true;
    std::unordered_set<std::int64_t> animeIds_;
    std::unordered_set<std::int64_t> userIds_;
    std::vector<std::pair<std::int64_t, std::string>> userNames_;  // user-name keyed files only
};

}  // namespace

ImportSummary importDataset(Database& database, const ImportOptions& options,
                            const ProgressCallback& progress) {
    const auto start = std::chrono::steady_clock::now();
    const std::string startedAt =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    sqlite3* db = database.sqliteHandle();
    if (db == nullptr) throw std::runtime_error("import: the database is not open");
    if (!(options.maxRejectShare >= 0.0 && options.maxRejectShare <= 1.0))
        throw std::invalid_argument("import: --max-reject-share must be in [0, 1]");

    ImportSummary summary;
    summary.rejectsPath =
        options.rejectsPath.isEmpty() ? database.path() + ".rejects.txt" : options.rejectsPath;
    const std::string animeFile = options.animePath.toStdString();
    const std::string interactionsFile = options.interactionsPath.toStdString();

    // Headers are checked before the transaction starts: a wrong file never touches the database.
    std::ifstream animeInput = openInputFile(animeFile);
    std::ifstream interactionsInput = openInputFile(interactionsFile);
    AnimeCsvReader animeReader(animeInput, animeFile);
    InteractionCsvReader interactionReader(interactionsInput, interactionsFile);
    summary.animeLayout = QString::fromStdString(animeReader.layoutName());
    summary.interactionsLayout = QString::fromStdString(interactionReader.layoutName());
    RejectReport report(summary.rejectsPath);

    exec(db, "BEGIN IMMEDIATE");
    try {
        for (const char* statement : schema::kClearDataset) exec(db, statement);
        exec(db, schema::kDropAnimeIndex);
        exec(db, schema::kCreateUserIndex);  // empty now; kept while rows come in user order

        Import import(db, progress);
        import.readAnime(animeReader, animeFile, report, summary);
        checkRejectShare(animeFile, summary.animeRejects, summary.animeRows,
                         options.maxRejectShare, summary.rejectsPath);
        import.readInteractions(interactionReader, interactionsFile, report, summary);
        report.flush();
        checkRejectShare(interactionsFile, summary.interactionRejects, summary.interactions,
                         options.maxRejectShare, summary.rejectsPath);
        import.insertUsers(summary);
        import.buildIndexes();

        summary.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        Statement run(db, schema::kInsertImportRun);
        const std::string rejectsPath = summary.rejectsPath.toStdString();
        run.bindText(1, startedAt);
        run.bindText(2, animeFile);
        run.bindText(3, interactionsFile);
        run.bind(4, summary.animeRows);
        run.bind(5, summary.users);
        run.bind(6, summary.interactions);
        run.bind(7, summary.animeRejects);
        run.bind(8, summary.interactionRejects);
        run.bindText(9, rejectsPath);
        run.bindReal(10, summary.seconds);
        run.step("cannot record the import run");
        exec(db, "COMMIT");
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    // The import wrote the whole dataset to the WAL; fold it into the database file now.
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace animerec::storage

#include "storage/importer.h"

#include <QDateTime>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "data/anime_csv_reader.h"
#include "data/interaction_csv_reader.h"
#include "storage/database.h"
#include "storage/dataset_writer.h"
#include "util/file_input.h"

namespace animerec::storage {

namespace {

constexpr std::int64_t kRowsPerReport = 1 << 16;

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
    std::snprintf(share, sizeof share, "%.1f%%",
                  100.0 * static_cast<double>(rejects) / double(read));
    char limitText[32];
    std::snprintf(limitText, sizeof limitText, "%g", limit);
    throw std::invalid_argument(file + ": " + std::to_string(rejects) + " of " +
                                std::to_string(read) + " rows rejected (" + share +
                                "), more than --max-reject-share " + limitText + "; see " +
                                reportPath.toStdString());
}

// Validation, deduplication and reject accounting: the same for every backend; rows that pass
// go to the DatasetWriter.
class Import {
public:
    Import(DatasetWriter& writer, const ProgressCallback& progress)
        : writer_(writer), progress_(progress) {}

    void readAnime(AnimeCsvReader& reader, const std::string& file, RejectReport& rejects,
                   ImportSummary& summary) {
        const Progress base{"import anime", 0, fileSizeOrZero(file), {}};
        AnimeRecord record;
        CsvReject reject;
        std::string genres;
        for (std::int64_t rows = 1;; ++rows) {
            const auto result = reader.next(record, reject);
            if (result == AnimeCsvReader::Result::End) break;
            if (rows % 4096 == 0) report(base, reader.bytesRead());
            if (result == AnimeCsvReader::Result::Record &&
                !animeIds_.insert(record.animeId).second) {
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
            writer_.addAnime(record, genres);
            ++summary.animeRows;
        }
        writer_.endAnime();
        report(base, base.total);
    }

    void readInteractions(InteractionCsvReader& reader, const std::string& file,
                          RejectReport& rejects, ImportSummary& summary) {
        const Progress base{"import interactions", 0, fileSizeOrZero(file), {}};
        InteractionRecord record;
        CsvReject reject;
        std::int64_t inserted = 0;
        std::int64_t lastUser = -1;
        for (std::int64_t rows = 1;; ++rows) {
            const auto result = reader.next(record, reject);
            if (result == InteractionCsvReader::Result::End) break;
            if (rows % kRowsPerReport == 0) report(base, reader.bytesRead());
            if (result == InteractionCsvReader::Result::Record &&
                !animeIds_.contains(record.animeId)) {
                reject = {file, reader.lastLine(),
                          "unknown anime_id " + std::to_string(record.animeId)};
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
                if (record.userId < lastUser) writer_.interactionsOutOfUserOrder();
                lastUser = record.userId;
                if (userIds_.insert(record.userId).second && !record.userName.empty())
                    userNames_.push_back({record.userId, record.userName});
            }
            writer_.addInteraction(record);
            ++inserted;
        }
        writer_.endInteractions(inserted);
        summary.interactions = inserted;
        report(base, base.total);
    }

    void insertUsers(ImportSummary& summary) {
        std::vector<std::int64_t> ids(userIds_.begin(), userIds_.end());
        std::sort(ids.begin(), ids.end());
        std::sort(userNames_.begin(), userNames_.end());
        auto name = userNames_.begin();
        for (const std::int64_t id : ids) {
            if (name != userNames_.end() && name->first == id)
                writer_.addUser(id, (name++)->second);
            else
                writer_.addUser(id, {});
        }
        writer_.endUsers();
        summary.users = static_cast<qint64>(ids.size());
    }

private:
    void report(const Progress& base, std::int64_t done) {
        Progress now = base;
        now.done = done;
        reportProgress(progress_, now);
    }

    DatasetWriter& writer_;
    const ProgressCallback& progress_;
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
    if (!database.isOpen()) throw std::runtime_error("import: the database is not open");
    if (!(options.maxRejectShare >= 0.0 && options.maxRejectShare <= 1.0))
        throw std::invalid_argument("import: --max-reject-share must be in [0, 1]");
    const std::unique_ptr<DatasetWriter> writer = makeDatasetWriter(database);

    ImportSummary summary;
    summary.rejectsPath =
        options.rejectsPath.isEmpty() ? database.defaultRejectsPath() : options.rejectsPath;
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

    try {
        writer->begin();
        Import import(*writer, progress);
        import.readAnime(animeReader, animeFile, report, summary);
        checkRejectShare(animeFile, summary.animeRejects, summary.animeRows, options.maxRejectShare,
                         summary.rejectsPath);
        import.readInteractions(interactionReader, interactionsFile, report, summary);
        report.flush();
        checkRejectShare(interactionsFile, summary.interactionRejects, summary.interactions,
                         options.maxRejectShare, summary.rejectsPath);
        import.insertUsers(summary);
        writer->buildIndexes(progress);

        summary.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        writer->recordRun({startedAt, animeFile, interactionsFile, summary.animeRows, summary.users,
                           summary.interactions, summary.animeRejects, summary.interactionRejects,
                           summary.rejectsPath.toStdString(), summary.seconds});
        writer->commit();
    } catch (...) {
        writer->rollback();
        throw;
    }
    writer->afterCommit();
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace animerec::storage

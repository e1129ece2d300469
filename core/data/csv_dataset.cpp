#include "data/csv_dataset.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "data/anime_csv_reader.h"
#include "util/file_input.h"

namespace animerec {

namespace {

constexpr std::int64_t kRowsPerReport = 1 << 16;

Event eventOf(const InteractionRecord& record, int item, std::int64_t position) {
    Event event;
    event.item = item;
    event.rating = record.rating ? static_cast<float>(*record.rating) : 0.0f;
    event.status = record.status;
    event.watchedEpisodes = record.watchedEpisodes ? *record.watchedEpisodes : -1;
    event.order = record.timestamp ? *record.timestamp : position;
    return event;
}

// Reads one interaction file into `builder`; returns the accepted row count.
std::int64_t readInteractions(const std::string& path, const Catalog& catalog,
                              UserNameIds& userNames, std::int64_t& position,
                              Interactions::Builder& builder, std::vector<CsvReject>& rejects,
                              const ProgressCallback& progress) {
    std::ifstream input = openInputFile(path);
    InteractionCsvReader reader(input, path, &userNames);
    const Progress base{
        "read " + std::filesystem::path(path).filename().string(), 0, fileSizeOrZero(path), {}};
    InteractionRecord record;
    CsvReject reject;
    std::int64_t accepted = 0;
    std::int64_t rows = 0;
    for (;;) {
        const auto result = reader.next(record, reject);
        if (result == InteractionCsvReader::Result::End) break;
        if (++rows % kRowsPerReport == 0) {
            Progress now = base;
            now.done = reader.bytesRead();
            reportProgress(progress, now);
        }
        if (result == InteractionCsvReader::Result::Reject) {
            rejects.push_back(std::move(reject));
            continue;
        }
        const auto item = catalog.indexOf(record.animeId);
        if (!item) {
            rejects.push_back(
                {path, reader.lastLine(), "unknown anime_id " + std::to_string(record.animeId)});
            continue;
        }
        builder.add(record.userId, eventOf(record, *item, ++position));
        ++accepted;
    }
    Progress done = base;
    done.done = done.total;
    reportProgress(progress, done);
    return accepted;
}

}  // namespace

Catalog loadCatalogCsv(const std::string& path, std::vector<CsvReject>& rejects,
                       const ProgressCallback& progress) {
    std::ifstream input = openInputFile(path);
    AnimeCsvReader reader(input, path);
    const Progress base{"read anime", 0, fileSizeOrZero(path), {}};
    Catalog catalog;
    AnimeRecord record;
    CsvReject reject;
    std::int64_t rows = 0;
    for (;;) {
        const auto result = reader.next(record, reject);
        if (result == AnimeCsvReader::Result::End) break;
        if (++rows % kRowsPerReport == 0) {
            Progress now = base;
            now.done = reader.bytesRead();
            reportProgress(progress, now);
        }
        if (result == AnimeCsvReader::Result::Reject) {
            rejects.push_back(std::move(reject));
        } else if (catalog.indexOf(record.animeId)) {
            rejects.push_back(
                {path, reader.lastLine(), "duplicate anime_id " + std::to_string(record.animeId)});
        } else {
            catalog.add(std::move(record));
            record = AnimeRecord{};
        }
    }
    return catalog;
}

CsvDataset loadCsvFiles(const std::string& animePath,
                        const std::vector<std::string>& interactionPaths,
                        const ProgressCallback& progress) {
    CsvDataset result;
    result.catalog = loadCatalogCsv(animePath, result.rejects, progress);
    std::int64_t position = 0;
    for (const auto& path : interactionPaths) {
        Interactions::Builder builder(result.catalog.size());
        result.rowsRead.push_back(readInteractions(path, result.catalog, result.userNames, position,
                                                   builder, result.rejects, progress));
        result.interactions.push_back(std::move(builder).build());
    }
    return result;
}

Dataset loadCsvDataset(const std::string& animePath,
                       const std::vector<std::string>& interactionPaths,
                       std::vector<CsvReject>* rejects, const ProgressCallback& progress) {
    std::vector<CsvReject> ownRejects;
    std::vector<CsvReject>& sink = rejects ? *rejects : ownRejects;
    Dataset dataset;
    dataset.catalog = loadCatalogCsv(animePath, sink, progress);
    Interactions::Builder builder(dataset.catalog.size());
    UserNameIds userNames;
    std::int64_t position = 0;
    for (const auto& path : interactionPaths)
        readInteractions(path, dataset.catalog, userNames, position, builder, sink, progress);
    dataset.interactions = std::move(builder).build();
    return dataset;
}

}  // namespace animerec

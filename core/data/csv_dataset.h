#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/catalog.h"
#include "data/csv_layouts.h"
#include "data/dataset.h"
#include "data/interaction_csv_reader.h"
#include "data/interactions.h"
#include "util/progress.h"

namespace animerec {

// A catalogue and several interaction files read against it (e.g. a train and a test split).
struct CsvDataset {
    Catalog catalog;
    std::vector<Interactions> interactions;  // one per interaction file, in argument order
    std::vector<std::int64_t> rowsRead;      // accepted rows per interaction file
    std::vector<CsvReject> rejects;          // anime and interaction rejects, in reading order
    UserNameIds userNames;                   // filled by user-name keyed files (2018 dataset)
};

// Reads the anime catalogue CSV (any layout AnimeCsvReader knows). Malformed rows and duplicate
// anime ids are appended to `rejects`. Throws std::invalid_argument for an unknown header or a
// missing column, std::runtime_error when the file cannot be opened.
Catalog loadCatalogCsv(const std::string& path, std::vector<CsvReject>& rejects,
                       const ProgressCallback& progress = {});

// Reads the anime file, then each interaction file against that one catalogue, with the same
// parsers as the database import. Rows whose anime_id is not in the catalogue are rejected
// ("unknown anime_id 123"). Event::order is the timestamp when the row has one, else the row's
// 1-based position counted across all files in order (what interaction_id would be). User names
// map to the same ids in every file. Throws as loadCatalogCsv; OperationCancelled on cancel.
CsvDataset loadCsvFiles(const std::string& animePath,
                        const std::vector<std::string>& interactionPaths,
                        const ProgressCallback& progress = {});

// loadCsvFiles with all interaction files merged into one Dataset; rejects go to `rejects`
// when given.
Dataset loadCsvDataset(const std::string& animePath,
                       const std::vector<std::string>& interactionPaths,
                       std::vector<CsvReject>* rejects = nullptr,
                       const ProgressCallback& progress = {});

}  // namespace animerec

#pragma once

#include <QString>

#include "util/progress.h"

namespace animerec::storage {

class Database;

struct ImportOptions {
    QString animePath;            // anime catalogue CSV (any layout AnimeCsvReader knows)
    QString interactionsPath;     // interactions CSV (any layout InteractionCsvReader knows)
    QString rejectsPath;          // reject report "file:line: reason"; empty = "<db>.rejects.txt"
    double maxRejectShare = 0.2;  // per file: rejected / read rows above this fails the import
};

struct ImportSummary {
    qint64 animeRows = 0;  // anime inserted
    qint64 animeRejects = 0;
    qint64 users = 0;         // distinct users of the inserted interactions
    qint64 interactions = 0;  // interactions inserted
    qint64 interactionRejects = 0;
    QString rejectsPath;  // where the rejects were written (empty file when none)
    QString animeLayout;
    QString interactionsLayout;
    double seconds = 0.0;
};

// Replaces the dataset (Anime, Users, UserAnimeInteractions) in the open `database` (SQLite:
// batched INSERTs through the C API; PostgreSQL: COPY through libpq) with the two files, in ONE
// transaction, so re-importing the same files gives the same rows and a
// failure leaves the database exactly as it was. interaction_id numbers the accepted rows in
// file order; rows naming an anime_id absent from the anime file are rejected. Rows are
// streamed: memory holds only the anime and user id sets. Progress is reported in bytes read.
// Throws std::invalid_argument for an unknown header, a missing column or a reject share above
// the limit; std::runtime_error for I/O and SQL failures; OperationCancelled when `progress`
// returns false. In every case the transaction is rolled back first.
ImportSummary importDataset(Database& database, const ImportOptions& options,
                            const ProgressCallback& progress = {});

}  // namespace animerec::storage

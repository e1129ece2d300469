#pragma once

#include "data/dataset.h"
#include "util/progress.h"

namespace animerec::storage {

class Database;

// Loads the imported dataset: the catalogue ordered by anime_id (so item indices are stable
// across loads) and every interaction, with Event::order = timestamp when present, else
// interaction_id (file order); a NULL rating becomes 0 (not rated), NULL watched_episodes -1.
// Users without interactions still get a dense index. Throws std::runtime_error when the
// database is closed or a query fails; OperationCancelled when `progress` returns false.
Dataset loadDataset(Database& database, const ProgressCallback& progress = {});

}  // namespace animerec::storage

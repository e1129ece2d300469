#pragma once

#include <QString>

#include "data/dataset.h"
#include "util/progress.h"

namespace animerec::ui {

// Loads the catalogue and every interaction of the SQLite database at `databasePath` into a
// core Dataset (storage::loadDataset). Opens its own connection (unique name) and closes it
// before returning, so it may run on any thread.
// Throws std::runtime_error when the file is missing or a query fails, OperationCancelled when
// `progress` asks to stop.
Dataset loadStudioDataset(const QString& databasePath, const ProgressCallback& progress = {});

}  // namespace animerec::ui

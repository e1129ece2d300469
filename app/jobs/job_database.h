#pragma once

// How a job reaches its database: by location (a SQLite path or a PostgreSQL URL), on its own
// connection, so the same job runs on the command line and on a Studio worker thread.
#include <QString>
#include <memory>

#include "data/dataset.h"
#include "storage/database.h"
#include "util/progress.h"

namespace animerec::jobs {

// Opens `location` on a connection of its own (named after `purpose` and a fresh id). A missing
// SQLite file is an error, never silently created as an empty database. Throws
// std::runtime_error naming the database.
std::unique_ptr<storage::Database> openJobDatabase(const QString& location, const QString& purpose);

// The catalogue and every interaction of `database`; throws std::runtime_error when it holds no
// interactions ("run `animerec import` first"), OperationCancelled when asked to stop.
Dataset loadJobDataset(storage::Database& database, const ProgressCallback& progress = {});

}  // namespace animerec::jobs

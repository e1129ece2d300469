#include "jobs/job_database.h"

#include <QFileInfo>
#include <QUuid>
#include <stdexcept>

#include "storage/database_location.h"
#include "storage/dataset_loader.h"

namespace animerec::jobs {

std::unique_ptr<storage::Database> openJobDatabase(const QString& location,
                                                   const QString& purpose) {
    if (!storage::DatabaseLocation::isPostgresUrl(location) && !QFileInfo::exists(location))
        throw std::runtime_error((location + QStringLiteral(": no such database")).toStdString());
    auto database = std::make_unique<storage::Database>(
        location, purpose + QLatin1Char('-') + QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (const QSqlError error = database->open(); error.isValid())
        throw std::runtime_error(
            (database->path() + QStringLiteral(": ") + error.text()).toStdString());
    return database;
}

Dataset loadJobDataset(storage::Database& database, const ProgressCallback& progress) {
    Dataset data = storage::loadDataset(database, progress);
    if (data.interactions.size() == 0)
        throw std::runtime_error(database.path().toStdString() +
                                 " holds no interactions; run `animerec import` first");
    return data;
}

}  // namespace animerec::jobs

#include "studio_dataset.h"

#include <QFileInfo>
#include <QUuid>
#include <stdexcept>

#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "studio_database.h"

namespace animerec::ui {

Dataset loadStudioDataset(const QString& databasePath, const ProgressCallback& progress) {
    // storage::Database creates missing files; a Studio task must not invent an empty database.
    if (!databaseExists(databasePath))
        throw std::runtime_error(
            (databaseDisplayName(databasePath) + QStringLiteral(": no such database"))
                .toStdString());
    storage::Database database(
        databasePath,
        QStringLiteral("studio-load-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (const QSqlError error = database.open(); error.isValid())
        throw std::runtime_error(
            (database.path() + QStringLiteral(": ") + error.text()).toStdString());
    return storage::loadDataset(database, progress);
}

}  // namespace animerec::ui

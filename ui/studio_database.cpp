#include "studio_database.h"

#include <QDir>
#include <QFileInfo>

#include "storage/database_location.h"

namespace animerec::ui {

bool isPostgresLocation(const QString& location) {
    return storage::DatabaseLocation::isPostgresUrl(location);
}

bool databaseExists(const QString& location) {
    return storage::DatabaseLocation::parse(location).exists();
}

QString databaseDisplayName(const QString& location) {
    return storage::DatabaseLocation::parse(location).displayName;
}

QString localDataDirectory(const QString& location) {
    if (isPostgresLocation(location))
        return QDir::current().absoluteFilePath(QStringLiteral("var"));
    return QFileInfo(location).absoluteDir().absolutePath();
}

}  // namespace animerec::ui

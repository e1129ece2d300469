#include "studio_context.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QUuid>

namespace animerec::ui {

StudioContext::StudioContext(const QString& databasePath, QObject* parent)
    : QObject(parent),
      databasePath_(databasePath),
      connectionName_(QStringLiteral("studio-") + QUuid::createUuid().toString(QUuid::WithoutBraces)) {}

StudioContext::~StudioContext() {
    if (QSqlDatabase::contains(connectionName_)) {
        QSqlDatabase::database(connectionName_, false).close();
        QSqlDatabase::removeDatabase(connectionName_);
    }
}

QSqlDatabase StudioContext::database() {
    if (!QSqlDatabase::contains(connectionName_)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName_);
        db.setDatabaseName(databasePath_);
    }
    QSqlDatabase db = QSqlDatabase::database(connectionName_, false);
    if (!db.isOpen() && QFileInfo::exists(databasePath_)) db.open();
    return db;
}

bool StudioContext::hasData() {
    QSqlDatabase db = database();
    if (!db.isOpen()) return false;
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT 1 FROM Anime LIMIT 1")) && query.next();
}

void StudioContext::notifyDataChanged() {
    if (QSqlDatabase::contains(connectionName_)) QSqlDatabase::database(connectionName_, false).close();
    emit dataChanged();
}

}  // namespace animerec::ui

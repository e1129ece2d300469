#include "storage/reconnect.h"

#include <QSqlError>
#include <QSqlQuery>

#include "storage/database.h"

namespace animerec::storage {

ConnectionState reconnectIfLost(Database& database, QString* error) {
    if (database.isOpen()) {
        QSqlQuery probe(database.connection());
        if (probe.exec(QStringLiteral("SELECT 1")) && probe.next()) return ConnectionState::Alive;
    }
    const QSqlError opened = database.open();
    if (!opened.isValid()) return ConnectionState::Reopened;
    if (error)
        *error = opened.text().isEmpty() ? QStringLiteral("database unreachable") : opened.text();
    return ConnectionState::Lost;
}

}  // namespace animerec::storage

#pragma once

#include <QString>

namespace animerec::storage {

class Database;

enum class ConnectionState {
    Alive,     // the connection answers: a failure was the statement's own
    Reopened,  // it was lost (e.g. PostgreSQL restarted) and is open again
    Lost,      // it was lost and cannot be reopened now
};

// After a failed statement: probes `database` and reopens the connection when it no longer
// answers, with the reason in `error` when that fails. A PostgreSQL restart breaks every open
// connection and QPSQL never reconnects on its own, so each long-lived connection calls this
// after an error. Call it on the connection's thread.
ConnectionState reconnectIfLost(Database& database, QString* error = nullptr);

// A refused request asks the client to retry after this long while the database is away.
inline constexpr int kDatabaseRetryAfterSeconds = 2;

}  // namespace animerec::storage

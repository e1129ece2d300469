#include "experiments/experiment_error.h"

#include "storage/reconnect.h"

namespace animerec::experiments {

ExperimentError databaseAway(const QString& reason) {
    return {ErrorKind::Unavailable, QStringLiteral("database"),
            QStringLiteral("database unavailable: ") + reason, storage::kDatabaseRetryAfterSeconds};
}

}  // namespace animerec::experiments

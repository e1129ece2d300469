#pragma once

#include <QSqlError>
#include <QString>
#include <optional>
#include <utility>
#include <vector>

#include "experiments/experiment.h"
#include "storage/event_records.h"

namespace animerec::storage {
class Database;
}

namespace animerec::experiments {

// Experiment definitions, exposures and feedback in the database (storage::ExperimentTables),
// read and written on the connection's own thread. Writes of definitions are rare (admin route,
// CLI) and synchronous; exposures and feedback arrive through storage::EventWriter instead.
class ExperimentStore {
public:
    explicit ExperimentStore(storage::Database& database) : database_(database) {}

    // Every experiment, ordered by id.
    QSqlError list(std::vector<ExperimentDefinition>& experiments) const;
    // The experiment called `name`, or nullopt (error set only when the query failed).
    std::optional<ExperimentDefinition> find(const QString& name, QSqlError* error = nullptr) const;
    // Inserts a new experiment (id 0) or replaces the stored one with the same id; sets
    // experiment.id on insert. A duplicate name fails with the database's UNIQUE error.
    QSqlError save(ExperimentDefinition& experiment) const;

    QSqlError exposuresOf(qint64 experimentId,
                          std::vector<storage::ExposureRecord>& exposures) const;
    QSqlError feedbackOf(qint64 experimentId, std::vector<storage::FeedbackRecord>& feedback) const;
    // Row counts (tests, `ab list`).
    qint64 exposureCount(qint64 experimentId = 0) const;  // 0 = all experiments
    qint64 feedbackCount() const;
    // Moves whenever any process changes a definition; nullopt when the database did not answer.
    std::optional<std::pair<qint64, qint64>> signature() const;

private:
    storage::Database& database_;
};

}  // namespace animerec::experiments

#pragma once

#include <QJsonArray>
#include <QSqlError>
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

#include "storage/event_records.h"

namespace animerec::storage {

class Database;

// One row of Experiments as stored: experiments/ turns it into a definition and back.
struct ExperimentRow {
    qint64 id = 0;  // 0 before it is stored
    QString name;
    QString salt;
    QString status;  // "draft", "running", ...
    QStringList routes;
    QJsonArray variants;  // [{"name", "role", "model", "model_version", "share"}]
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    qint64 startedAtMs = 0;  // 0 = never (NULL)
    qint64 stoppedAtMs = 0;
};

// The experiment tables (Experiments, Exposures, Feedback of schema.h), read and written on the
// connection's own thread. Exposures and feedback are written by EventWriter.
class ExperimentTables {
public:
    explicit ExperimentTables(Database& database) : database_(database) {}

    // Every experiment, ordered by id.
    QSqlError list(std::vector<ExperimentRow>& experiments) const;
    // The experiment called `name`, or nullopt (error set only when the query failed).
    std::optional<ExperimentRow> find(const QString& name, QSqlError* error = nullptr) const;
    // Inserts a new experiment (id 0) or replaces the stored one with the same id; sets
    // experiment.id on insert. A duplicate name fails with the database's UNIQUE error.
    QSqlError save(ExperimentRow& experiment) const;
    // (row count, latest updated_at): any process's change to a definition moves it; nullopt
    // when the query failed (the connection may be lost).
    std::optional<std::pair<qint64, qint64>> signature() const;

    // Experiment 0: the lists sampled outside experiments and the feedback outside any.
    QSqlError exposuresOf(qint64 experimentId, std::vector<ExposureRecord>& exposures) const;
    QSqlError feedbackOf(qint64 experimentId, std::vector<FeedbackRecord>& feedback) const;
    // Row counts (tests, `ab list`).
    qint64 exposureCount(qint64 experimentId = 0) const;  // 0 = all experiments
    qint64 feedbackCount() const;

private:
    Database& database_;
};

}  // namespace animerec::storage

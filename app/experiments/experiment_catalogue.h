#pragma once

#include <QJsonObject>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "experiments/ab_report.h"
#include "experiments/experiment.h"
#include "experiments/experiment_error.h"

class QSqlError;

namespace animerec {
struct Dataset;
}
namespace animerec::storage {
class Database;
}

namespace animerec::experiments {

// The experiment definitions as the database holds them: create, start, pause, stop, list and
// report. No thread and no id blocks: `animerec ab` and Studio's Experiments panel use it alone,
// and the serving runtime (ExperimentRuntime) assigns units from its snapshot(). Every call but
// snapshot() and connected() runs on the thread that called open(): Qt SQL connections belong
// to the thread that opened them.
class ExperimentCatalogue {
public:
    using Snapshot = std::shared_ptr<const std::vector<ExperimentDefinition>>;

    // `data` gives a report its catalogue size (may be null: the report then counts the titles
    // its exposures name).
    ExperimentCatalogue(QString databasePath, std::shared_ptr<const Dataset> data);
    ~ExperimentCatalogue();

    // Opens the database and reads the definitions. Returns the error text.
    QString open();

    // Creates an experiment from its JSON definition, or replaces a draft of the same name.
    Result<ExperimentDefinition> define(const QJsonObject& body);
    // "start", "pause" or "stop". With `models`, a start is refused (Conflict) while a variant's
    // model is not loaded there at the version it names.
    Result<ExperimentDefinition> transition(const QString& name, const QString& action,
                                            const service::ModelRegistry* models = nullptr);
    // Every experiment, re-read from the database.
    std::vector<ExperimentDefinition> list();
    // The experiment's report from the exposures and feedback written so far.
    Result<AbReport> report(const QString& name, ReportOptions options);

    // The definitions last read; thread-safe, and cheap enough for every request.
    Snapshot snapshot() const;
    // Re-reads the definitions now.
    void refresh();
    // Re-reads them when another process changed them (a cheap count/max(updated_at) probe);
    // after a failed probe, reconnects and reports the connection lost until it answers again.
    void refreshIfChanged();
    // Whether the last statement found the connection alive (thread-safe), and why not.
    bool connected() const { return connected_; }
    QString connectionError() const;

    storage::Database& database() { return *database_; }

private:
    ExperimentError databaseFailure(const QSqlError& error);
    void setConnection(bool connected, const QString& error);
    std::optional<ExperimentError> checkOverlap(const ExperimentDefinition& starting) const;

    std::shared_ptr<const Dataset> data_;
    std::unique_ptr<storage::Database> database_;
    std::atomic<bool> connected_{true};

    mutable std::mutex mutex_;  // guards the fields below
    Snapshot definitions_ = std::make_shared<const std::vector<ExperimentDefinition>>();
    std::pair<qint64, qint64> signature_{-1, -1};  // count, max(updated_at) of definitions_
    QString connectionError_;
};

}  // namespace animerec::experiments

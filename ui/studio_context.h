#pragma once

#include <QObject>
#include <QString>
#include <memory>

#include "service/model_registry.h"

namespace animerec {
struct Dataset;
}
namespace animerec::service {
class RecommendService;
}  // namespace animerec::service
namespace animerec::explore {
class Explorer;
}
namespace animerec::storage {
class BrowsingConnections;
}

namespace animerec::ui {

class BackgroundTask;

// What every Studio panel shares: the database being browsed and the recommendation service
// built from it. Panels read through `connections()` on the GUI thread (short queries only); long
// work goes to BackgroundTask with its own connection.
class StudioContext : public QObject {
    Q_OBJECT
public:
    explicit StudioContext(const QString& databasePath, QObject* parent = nullptr);
    ~StudioContext() override;

    QString databasePath() const { return databasePath_; }
    // Model files live next to the database: <dir>/models.
    QString modelsDirectory() const;
    // The GUI thread's connections (short queries only; opened on first use, never creating a
    // database): the browsing tables read through them, the new user writes through them.
    storage::BrowsingConnections& connections() { return *connections_; }
    // True when the database holds at least one anime.
    bool hasData();

    // The service answering Compare / New user / the embedded server; null until loaded.
    std::shared_ptr<const service::RecommendService> service() const { return service_; }
    // The dataset the service answers from; null until loaded.
    std::shared_ptr<const Dataset> dataset() const { return dataset_; }
    // The explorer's questions (a title's facts and neighbours, a user's profile) over the same
    // data and models, as the terminal asks them; null until loaded.
    std::shared_ptr<const explore::Explorer> explorer() const { return explorer_; }
    // Asks for a title's page (double-click on a title anywhere); the main window opens it.
    void requestTitle(qint64 animeId) { emit titleRequested(animeId); }
    service::ModelRegistry& models() { return *models_; }
    // Reloads the dataset and the model files in the background, then emits serviceChanged.
    // Returns the task (also announced through taskStarted), or null when there is no data.
    BackgroundTask* reloadService();

    // What the last model load did ("loaded …; no model for session"), for the status bar.
    QString modelSummary() const;

    // Closes the GUI connection so another thread can replace the database, announces it and
    // reloads the service.
    void notifyDataChanged();
    // New model files were written: reload them (the dataset stays).
    void notifyModelsChanged();

signals:
    void dataChanged();
    void serviceChanged();
    void serviceFailed(const QString& error);
    void taskStarted(animerec::ui::BackgroundTask* task);
    void titleRequested(qint64 animeId);

private:
    QString databasePath_;
    std::unique_ptr<storage::BrowsingConnections> connections_;
    std::unique_ptr<service::ModelRegistry> models_;
    std::shared_ptr<const service::RecommendService> service_;
    std::shared_ptr<const Dataset> dataset_;
    std::shared_ptr<const explore::Explorer> explorer_;
    service::ReloadReport lastReload_;
};

}  // namespace animerec::ui

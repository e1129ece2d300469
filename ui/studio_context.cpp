#include "studio_context.h"

#include <QDir>
#include <QFileInfo>
#include <QUuid>

#include "background_task.h"
#include "data/dataset.h"
#include "explore/explorer.h"
#include "model_files.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "storage/browsing_connections.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/model_store.h"
#include "studio_database.h"

namespace animerec::ui {

StudioContext::StudioContext(const QString& databasePath, QObject* parent)
    : QObject(parent),
      databasePath_(databasePath),
      connections_(std::make_unique<storage::BrowsingConnections>(
          databasePath,
          QStringLiteral("studio-") + QUuid::createUuid().toString(QUuid::WithoutBraces))),
      models_(std::make_unique<service::ModelRegistry>()) {}

StudioContext::~StudioContext() {
    service_.reset();  // the service refers to the registry
}

QString StudioContext::modelsDirectory() const { return defaultModelsDirectory(databasePath_); }

bool StudioContext::hasData() { return connections_->hasData(); }

BackgroundTask* StudioContext::reloadService() {
    if (!hasData()) return nullptr;
    auto loaded = std::make_shared<std::shared_ptr<const Dataset>>();
    auto report = std::make_shared<service::ReloadReport>();
    const QString path = databasePath_;
    const QString modelsDir = modelsDirectory();
    service::ModelRegistry* registry = models_.get();
    BackgroundTask* task = BackgroundTask::start(
        tr("Loading data and models"),
        [loaded, report, path, modelsDir, registry](const ProgressCallback& progress) {
            storage::Database database(path,
                                       QStringLiteral("studio-load-") +
                                           QUuid::createUuid().toString(QUuid::WithoutBraces));
            if (const QSqlError error = database.open(); error.isValid())
                throw std::runtime_error(database.path().toStdString() + ": " +
                                         error.text().toStdString());
            *loaded = std::make_shared<const Dataset>(storage::loadDataset(database, progress));
            // On PostgreSQL, the models the server replicas serve: those published to the
            // database's model store (by `animerec train` or Studio's Train panel).
            if (database.backend() == storage::Backend::Postgres) {
                const storage::ModelSyncResult synced =
                    storage::syncModelDirectory(database, modelsDir);
                if (!synced.error.isEmpty())
                    throw std::runtime_error("model store: " + synced.error.toStdString());
            }
            if (QDir(modelsDir).exists()) *report = registry->loadDirectory(modelsDir);
        },
        this);
    connect(task, &BackgroundTask::finished, this, [this, loaded, report] {
        dataset_ = *loaded;
        service_ = std::make_shared<const service::RecommendService>(*loaded, *models_);
        explorer_ = std::make_shared<const explore::Explorer>(*loaded, *models_);
        lastReload_ = *report;
        emit serviceChanged();
    });
    connect(task, &BackgroundTask::failed, this, &StudioContext::serviceFailed);
    emit taskStarted(task);
    return task;
}

void StudioContext::notifyDataChanged() {
    connections_->close();
    emit dataChanged();
    reloadService();
}

QString StudioContext::modelSummary() const {
    QStringList parts;
    if (!lastReload_.loaded.isEmpty())
        parts << tr("loaded %1").arg(lastReload_.loaded.join(QStringLiteral("; ")));
    if (!lastReload_.missing.isEmpty())
        parts << tr("no model for %1").arg(lastReload_.missing.join(QStringLiteral(", ")));
    if (!lastReload_.failed.isEmpty())
        parts << tr("FAILED %1").arg(lastReload_.failed.join(QStringLiteral("; ")));
    if (const auto served = models_->get(service::ModelRole::Collaborative))
        parts << tr("collaborative: %1, %2")
                     .arg(served->family, models_->reason(service::ModelRole::Collaborative));
    return parts.join(QStringLiteral(" · "));
}

void StudioContext::notifyModelsChanged() {
    if (QDir(modelsDirectory()).exists()) lastReload_ = models_->loadDirectory(modelsDirectory());
    emit serviceChanged();
}

}  // namespace animerec::ui

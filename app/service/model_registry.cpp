#include "service/model_registry.h"

#include "models/model_io.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <exception>
#include <utility>

#include "models/recommender.h"

namespace animerec::service {

namespace {

std::size_t slot(ModelRole role) { return static_cast<std::size_t>(role); }

QString versionOf(const QDateTime& fileTime) {
    return fileTime.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

// The family training chose for the collaborative role, from collaborative.json
// ({"model": "ease", ...}); empty when the file is absent or unreadable.
QString chosenCollaborativeFamily(const QString& directory) {
    QFile file(QDir(directory).filePath(QStringLiteral("collaborative.json")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QJsonDocument document = QJsonDocument::fromJson(file.read(64 * 1024));
    const QString family = document.object().value(QStringLiteral("model")).toString();
    // Only a plain family name: the value becomes part of a path.
    for (const QChar c : family)
        if (!c.isLetterOrNumber() && c != u'_') return {};
    return family;
}

}  // namespace

QString roleName(ModelRole role) {
    switch (role) {
        case ModelRole::Popularity: return QStringLiteral("popularity");
        case ModelRole::Content: return QStringLiteral("content");
        case ModelRole::Collaborative: return QStringLiteral("collaborative");
        case ModelRole::Session: return QStringLiteral("session");
    }
    return QStringLiteral("unknown");
}

ModelRegistry::ModelRegistry(Loader loader)
    : loader_(loader ? std::move(loader) : Loader(&loadModelFile)) {}

std::shared_ptr<const ServedModel> ModelRegistry::get(ModelRole role) const {
    std::lock_guard lock(mutex_);
    return models_[slot(role)];
}

void ModelRegistry::install(ModelRole role, std::shared_ptr<const Recommender> model,
                            QString version) {
    auto served = std::make_shared<ServedModel>();
    served->family = model ? QString::fromStdString(model->name()) : QString();
    served->model = std::move(model);
    served->version = std::move(version);
    std::lock_guard lock(mutex_);
    models_[slot(role)] = served->model ? std::move(served) : nullptr;
    generation_.fetch_add(1, std::memory_order_release);
}

bool ModelRegistry::empty() const {
    std::lock_guard lock(mutex_);
    for (const auto& model : models_)
        if (model) return false;
    return true;
}

QStringList ModelRegistry::candidates(ModelRole role, const QString& directory) {
    switch (role) {
        case ModelRole::Popularity: return {QStringLiteral("popularity")};
        case ModelRole::Content: return {QStringLiteral("content")};
        case ModelRole::Collaborative: {
            QStringList families{QStringLiteral("ease"), QStringLiteral("als"), QStringLiteral("mf")};
            const QString chosen = chosenCollaborativeFamily(directory);
            if (!chosen.isEmpty()) {
                families.removeAll(chosen);
                families.prepend(chosen);
            }
            return families;
        }
        case ModelRole::Session: return {QStringLiteral("sasrec"), QStringLiteral("gru")};
    }
    return {};
}

std::shared_ptr<const ServedModel> ModelRegistry::loadFile(ModelRole role, const QString& path,
                                                           ReloadReport& report) const {
    const QFileInfo info(path);
    const QString label = roleName(role) + QStringLiteral(": ") + info.fileName();
    try {
        if (!loader_) throw std::runtime_error("no model loader configured");
        std::unique_ptr<Recommender> model = loader_(path.toStdString());
        if (!model) throw std::runtime_error("loader returned no model");
        auto served = std::make_shared<ServedModel>();
        served->family = QString::fromStdString(model->name());
        served->model = std::move(model);
        served->path = path;
        served->fileTime = info.lastModified();
        served->fileSize = info.size();
        served->version = versionOf(served->fileTime);
        report.loaded << label + QStringLiteral(" (") + served->version + QStringLiteral(")");
        return served;
    } catch (const std::exception& error) {
        report.failed << label + QStringLiteral(": ") + QString::fromUtf8(error.what());
    }
    return nullptr;
}

ReloadReport ModelRegistry::loadDirectory(const QString& directory) {
    std::lock_guard loadLock(loadMutex_);
    ReloadReport report;
    const QDir dir(directory);
    for (const ModelRole role : kAllModelRoles) {
        // The first candidate that loads wins; a broken preferred file falls through to the next
        // family only when nothing is serving yet (otherwise the current model keeps serving).
        const auto current = get(role);
        bool found = false;
        for (const QString& family : candidates(role, directory)) {
            const QFileInfo info(dir.filePath(family + QStringLiteral(".model")));
            if (!info.isFile()) continue;
            found = true;
            if (current && current->path == info.absoluteFilePath() &&
                current->fileTime == info.lastModified() && current->fileSize == info.size())
                break;  // unchanged since the last load
            auto loaded = loadFile(role, info.absoluteFilePath(), report);
            if (loaded) {
                std::lock_guard lock(mutex_);
                models_[slot(role)] = std::move(loaded);
                generation_.fetch_add(1, std::memory_order_release);
                break;
            }
            if (current) break;
        }
        if (!found) report.missing << roleName(role);
    }
    return report;
}

}  // namespace animerec::service

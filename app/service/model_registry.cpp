#include "service/model_registry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <algorithm>
#include <exception>
#include <utility>

#include "models/model_factory.h"
#include "models/model_io.h"
#include "models/recommender.h"
#include "service/gate_record.h"

namespace animerec::service {

namespace {

std::size_t slot(ModelRole role) { return static_cast<std::size_t>(role); }

QString versionOf(const QDateTime& fileTime) {
    return fileTime.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

// The family training chose for the collaborative role and why, from collaborative.json
// ({"model": "ease", "reason": "chosen by validation ndcg@10 ...", ...}); an empty family when
// the file is absent or unreadable.
struct CollaborativeChoice {
    QString family;
    QString reason;
};

CollaborativeChoice chosenCollaborativeFamily(const QString& directory) {
    QFile file(QDir(directory).filePath(QStringLiteral("collaborative.json")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QJsonObject document = QJsonDocument::fromJson(file.read(1 << 20)).object();
    const QString family = document.value(QStringLiteral("model")).toString();
    // Only a plain family name: the value becomes part of a path.
    for (const QChar c : family)
        if (!c.isLetterOrNumber() && c != u'_') return {};
    return {family, document.value(QStringLiteral("reason")).toString()};
}

QStringList namesOfKind(ModelKind kind) {
    QStringList names;
    for (const std::string& name : modelNamesOfKind(kind)) names << QString::fromStdString(name);
    return names;
}

}  // namespace

QString roleName(ModelRole role) {
    switch (role) {
        case ModelRole::Popularity:
            return QStringLiteral("popularity");
        case ModelRole::Content:
            return QStringLiteral("content");
        case ModelRole::Collaborative:
            return QStringLiteral("collaborative");
        case ModelRole::Session:
            return QStringLiteral("session");
    }
    return QStringLiteral("unknown");
}

std::optional<ModelRole> roleOfFamily(const QString& family) {
    try {
        switch (kindOfModel(family.toStdString())) {
            case ModelKind::Popularity:
                return ModelRole::Popularity;
            case ModelKind::Content:
                return ModelRole::Content;
            case ModelKind::Collaborative:
                return ModelRole::Collaborative;
            case ModelKind::Session:
                return ModelRole::Session;
        }
    } catch (const std::invalid_argument&) {
    }
    return std::nullopt;
}

ModelRegistry::ModelRegistry(Loader loader)
    : loader_(loader ? std::move(loader) : Loader(&loadModelFile)) {}

std::shared_ptr<const ServedModel> ModelRegistry::get(ModelRole role) const {
    std::lock_guard lock(mutex_);
    return models_[slot(role)].defaultModel;
}

std::shared_ptr<const ServedModel> ModelRegistry::get(ModelRole role, const QString& family) const {
    std::lock_guard lock(mutex_);
    const RoleModels& models = models_[slot(role)];
    if (family.isEmpty()) return models.defaultModel;
    for (const auto& served : models.families)
        if (served->family == family) return served;
    return nullptr;
}

std::vector<std::shared_ptr<const ServedModel>> ModelRegistry::all(ModelRole role) const {
    std::lock_guard lock(mutex_);
    const RoleModels& models = models_[slot(role)];
    std::vector<std::shared_ptr<const ServedModel>> result;
    if (models.defaultModel) result.push_back(models.defaultModel);
    for (const auto& served : models.families)
        if (served != models.defaultModel) result.push_back(served);
    return result;
}

void ModelRegistry::publish(ModelRole role, std::shared_ptr<const ServedModel> served,
                            bool makeDefault) {
    std::lock_guard lock(mutex_);
    RoleModels& models = models_[slot(role)];
    const auto same =
        std::find_if(models.families.begin(), models.families.end(),
                     [&](const auto& other) { return other->family == served->family; });
    const bool wasDefault = same != models.families.end() && *same == models.defaultModel;
    if (same != models.families.end())
        *same = served;
    else
        models.families.push_back(served);
    if (makeDefault || wasDefault || !models.defaultModel) models.defaultModel = std::move(served);
    generation_.fetch_add(1, std::memory_order_release);
}

void ModelRegistry::install(ModelRole role, std::shared_ptr<const Recommender> model,
                            QString version, bool makeDefault) {
    if (!model) {
        // Removing the role's models (Studio before a retrain).
        std::lock_guard lock(mutex_);
        models_[slot(role)] = {};
        generation_.fetch_add(1, std::memory_order_release);
        return;
    }
    auto served = std::make_shared<ServedModel>();
    served->family = QString::fromStdString(model->name());
    served->model = std::move(model);
    served->version = std::move(version);
    publish(role, std::move(served), makeDefault);
}

bool ModelRegistry::empty() const {
    std::lock_guard lock(mutex_);
    for (const auto& models : models_)
        if (models.defaultModel) return false;
    return true;
}

QString ModelRegistry::preferredFamily(ModelRole role, const QString& directory) {
    const QDir dir(directory);
    for (const QString& family : candidates(role, directory).families)
        if (QFileInfo(dir.filePath(family + QStringLiteral(".model"))).isFile()) return family;
    return {};
}

QString ModelRegistry::reason(ModelRole role) const {
    std::lock_guard lock(mutex_);
    return models_[slot(role)].reason;
}

ModelRegistry::Candidates ModelRegistry::candidates(ModelRole role, const QString& directory) {
    // Families of the role in the factory's order; the first that loads serves unless training
    // recorded a choice (collaborative.json names the family validation chose).
    Candidates result;
    switch (role) {
        case ModelRole::Popularity:
            result.families = namesOfKind(ModelKind::Popularity);
            break;
        case ModelRole::Content:
            result.families = namesOfKind(ModelKind::Content);
            break;
        case ModelRole::Collaborative:
            result.families = namesOfKind(ModelKind::Collaborative);
            break;
        case ModelRole::Session:
            result.families = namesOfKind(ModelKind::Session);
            break;
    }
    result.reason = result.families.size() == 1
                        ? QStringLiteral("the only family of this role")
                        : QStringLiteral("no choice recorded: the first of %1 with a model file")
                              .arg(result.families.join(QStringLiteral(", ")));
    if (role == ModelRole::Collaborative) {
        const CollaborativeChoice chosen = chosenCollaborativeFamily(directory);
        if (!chosen.family.isEmpty() && result.families.contains(chosen.family)) {
            result.families.removeAll(chosen.family);
            result.families.prepend(chosen.family);
            result.chosen = chosen.family;
            result.chosenReason = chosen.reason.isEmpty()
                                      ? QStringLiteral("named by collaborative.json")
                                      : chosen.reason;
        }
    }
    return result;
}

std::shared_ptr<const ServedModel> ModelRegistry::loadFile(ModelRole role, const QString& path,
                                                           ReloadReport& report) const {
    const QFileInfo info(path);
    const QString label = roleName(role) + QStringLiteral(": ") + info.fileName();
    try {
        if (!loader_) throw std::runtime_error("no model loader configured");
        std::unique_ptr<Recommender> model = loader_(path.toStdString());
        if (!model) throw std::runtime_error("loader returned no model");
        const int catalogue = catalogueSize_.load(std::memory_order_acquire);
        if (catalogue >= 0 && model->itemCount() >= 0 && model->itemCount() != catalogue)
            throw std::runtime_error("model has " + std::to_string(model->itemCount()) +
                                     " items but the catalogue has " + std::to_string(catalogue) +
                                     " anime; retrain it on this catalogue");
        auto served = std::make_shared<ServedModel>();
        served->family = QString::fromStdString(model->name());
        served->model = std::move(model);
        served->path = path;
        served->fileTime = info.lastModified();
        served->fileSize = info.size();
        served->version = versionOf(served->fileTime);
        // Only models that passed the quality gate (or were forced) reach the directory; say so.
        const GateRecord gate = readGateRecord(info.absolutePath(), roleName(role));
        const bool gated = !gate.decision.isEmpty() && gate.candidateModel == served->family;
        report.loaded << label + QStringLiteral(" (") + served->version + QStringLiteral(")") +
                             (gated ? QStringLiteral(", quality gate ") + gate.summary()
                                    : QString());
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
        // Every family with a file is loaded (A/B variants may ask for any of them); a file that
        // fails keeps its family's previous model.
        const Candidates candidateFamilies = candidates(role, directory);
        const QStringList& families = candidateFamilies.families;
        bool found = false;
        for (const QString& family : families) {
            const QFileInfo info(dir.filePath(family + QStringLiteral(".model")));
            if (!info.isFile()) continue;
            found = true;
            const auto current = get(role, family);
            if (current && current->path == info.absoluteFilePath() &&
                current->fileTime == info.lastModified() && current->fileSize == info.size())
                continue;  // unchanged since the last load
            // A file may hold another family than its name says; it is served under its own.
            if (auto loaded = loadFile(role, info.absoluteFilePath(), report))
                publish(role, std::move(loaded), false);
        }
        if (!found) report.missing << roleName(role);
        // The default is the most preferred family that has ever loaded.
        std::lock_guard lock(mutex_);
        RoleModels& models = models_[slot(role)];
        for (const QString& family : families) {
            const auto preferred =
                std::find_if(models.families.begin(), models.families.end(),
                             [&](const auto& served) { return served->family == family; });
            if (preferred == models.families.end()) continue;
            if (*preferred != models.defaultModel) {
                models.defaultModel = *preferred;
                generation_.fetch_add(1, std::memory_order_release);
            }
            models.reason = family == candidateFamilies.chosen ? candidateFamilies.chosenReason
                            : !candidateFamilies.chosen.isEmpty()
                                ? QStringLiteral("%1 was chosen but its model did not load")
                                      .arg(candidateFamilies.chosen)
                                : candidateFamilies.reason;
            break;
        }
    }
    return report;
}

}  // namespace animerec::service

#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace animerec {
class Recommender;
}

namespace animerec::service {

// What a model is used for by the service. A role serves one default model (the family its
// directory prefers) and may hold other loaded families too, which A/B variants ask for by name.
enum class ModelRole { Popularity, Content, Collaborative, Session };
inline constexpr std::array kAllModelRoles{ModelRole::Popularity, ModelRole::Content,
                                           ModelRole::Collaborative, ModelRole::Session};
QString roleName(ModelRole role);
// The role a model family serves ("ease" -> collaborative), from the factory's family table;
// nullopt for a family the factory does not know.
std::optional<ModelRole> roleOfFamily(const QString& family);

// One model as served: the shared trained object plus where it came from. Immutable once
// published, so a request that took a snapshot keeps using it even while a reload swaps in another.
struct ServedModel {
    std::shared_ptr<const Recommender> model;
    QString family;  // model->name(): "als", "sasrec", ...
    QString
        version;   // file modification time (UTC, yyyyMMddTHHmmssZ) or the label given to install()
    QString path;  // empty when installed from memory
    QDateTime fileTime;
    qint64 fileSize = -1;
};

// Outcome of loadDirectory(): which roles changed, which files failed (the old model kept
// serving) and which roles have no file at all.
struct ReloadReport {
    QStringList loaded;   // "collaborative: ease.model (20240101T120000Z)"
    QStringList failed;   // "session: sasrec.model: <reason>"
    QStringList missing;  // "content"
    bool ok() const { return failed.isEmpty(); }
};

// Holds the served models and swaps them atomically: readers copy a shared_ptr under a mutex
// (nanoseconds), loaders build the new model outside the lock, so requests never wait on a load.
class ModelRegistry {
public:
    using Loader = std::function<std::unique_ptr<Recommender>(const std::string& path)>;

    // `loader` reads one model file (loadModelFile when empty); it throws on a bad file.
    explicit ModelRegistry(Loader loader = {});

    // The model serving `role` by default, or null when none is loaded.
    std::shared_ptr<const ServedModel> get(ModelRole role) const;
    // The loaded model of `family` ("als", "ease", ...) for `role`, default or not; null when that
    // family is not loaded for the role. An empty family means the default.
    std::shared_ptr<const ServedModel> get(ModelRole role, const QString& family) const;
    // Every loaded model of `role`, the default first.
    std::vector<std::shared_ptr<const ServedModel>> all(ModelRole role) const;
    // Publishes an in-memory model (tests, Studio after training) under its family; it becomes
    // the role's default unless `makeDefault` is false and the role already has one.
    void install(ModelRole role, std::shared_ptr<const Recommender> model, QString version,
                 bool makeDefault = true);

    // Loads every model file of `directory` that changed since the last load: <family>.model for
    // every family of each role (models/model_factory.h). The collaborative default is the family
    // training chose, named by collaborative.json {"model": "ease", "reason": "..."}; otherwise,
    // and for the other roles, the first family in the factory's order that loads.
    // A file that fails to load is reported and its family keeps its previous model; the default
    // moves to another family only when the preferred one has never loaded.
    ReloadReport loadDirectory(const QString& directory);
    // The catalogue the models will serve: loadDirectory() refuses a file fitted on another item
    // count (trained before a re-import) and keeps the previous model. -1 (default): no check.
    void setCatalogueSize(int items) { catalogueSize_.store(items, std::memory_order_release); }

    // The family loadDirectory() would make the role's default from the files of `directory`
    // (collaborative.json's choice, else the first family of the role with a file); empty when
    // the role has no file there.
    static QString preferredFamily(ModelRole role, const QString& directory);

    // Why the role's default model serves ("chosen by validation ndcg@10 on 812 users: ease
    // 0.31 > als 0.29", "the only family of this role", ...); empty before a directory load.
    QString reason(ModelRole role) const;

    bool empty() const;
    // Bumped on every change of any served model: caches of answers compare it to stay fresh.
    quint64 generation() const { return generation_.load(std::memory_order_acquire); }

private:
    std::shared_ptr<const ServedModel> loadFile(ModelRole role, const QString& path,
                                                ReloadReport& report) const;
    struct Candidates {
        QStringList families;  // in the order a default is looked for
        QString reason;        // why the first that loads serves, without a recorded choice
        QString chosen;        // the family training chose (collaborative.json), if any
        QString chosenReason;  // and why
    };
    static Candidates candidates(ModelRole role, const QString& directory);

    // One role's models: the loaded families in preference order, and which one is the default.
    struct RoleModels {
        std::vector<std::shared_ptr<const ServedModel>> families;
        std::shared_ptr<const ServedModel> defaultModel;
        QString reason;  // why defaultModel serves
    };
    void publish(ModelRole role, std::shared_ptr<const ServedModel> served, bool makeDefault);

    Loader loader_;
    mutable std::mutex mutex_;
    std::array<RoleModels, kAllModelRoles.size()> models_;
    std::atomic<quint64> generation_{0};
    std::atomic<int> catalogueSize_{-1};
    std::mutex loadMutex_;  // one loadDirectory() at a time (HTTP reload vs SIGHUP)
};

}  // namespace animerec::service

#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace animerec {
class Recommender;
}

namespace animerec::service {

// What a model is used for by the service; each role holds at most one model at a time.
enum class ModelRole { Popularity, Content, Collaborative, Session };
inline constexpr std::array kAllModelRoles{ModelRole::Popularity, ModelRole::Content,
                                           ModelRole::Collaborative, ModelRole::Session};
QString roleName(ModelRole role);

// One model as served: the shared trained object plus where it came from. Immutable once
// published, so a request that took a snapshot keeps using it even while a reload swaps in another.
struct ServedModel {
    std::shared_ptr<const Recommender> model;
    QString family;   // model->name(): "als", "sasrec", ...
    QString version;  // file modification time (UTC, yyyyMMddTHHmmssZ) or the label given to install()
    QString path;     // empty when installed from memory
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

    // The model serving `role`, or null when none is loaded.
    std::shared_ptr<const ServedModel> get(ModelRole role) const;
    // Publishes an in-memory model (tests, Studio after training).
    void install(ModelRole role, std::shared_ptr<const Recommender> model, QString version);

    // Loads the files of `directory` that changed since the last load:
    //   popularity.model, content.model,
    //   collaborative: the family named by collaborative.json {"model": "ease"}, else ease, als, mf,
    //   session: sasrec.model, else gru.model.
    // A file that fails to load is reported and the role keeps its previous model.
    ReloadReport loadDirectory(const QString& directory);

    bool empty() const;
    // Bumped on every change of any served model: caches of answers compare it to stay fresh.
    quint64 generation() const { return generation_.load(std::memory_order_acquire); }

private:
    std::shared_ptr<const ServedModel> loadFile(ModelRole role, const QString& path,
                                                ReloadReport& report) const;
    static QStringList candidates(ModelRole role, const QString& directory);

    Loader loader_;
    mutable std::mutex mutex_;
    std::array<std::shared_ptr<const ServedModel>, kAllModelRoles.size()> models_;
    std::atomic<quint64> generation_{0};
    std::mutex loadMutex_;  // one loadDirectory() at a time (HTTP reload vs SIGHUP)
};

}  // namespace animerec::service

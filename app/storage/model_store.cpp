// Model files in the database: published in one transaction, synced to a directory through
// temporary files that are renamed only once their SHA-256 matches the stored version.
#include "storage/model_store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>
#include <map>

#include "storage/database.h"
#include "storage/postgres_copy.h"

namespace animerec::storage {

namespace {

constexpr const char* kManifestName = ".model-store.json";
// Serialises publishers on PostgreSQL (two trainers replacing the same chunks would otherwise
// collide on their keys); SQLite's write lock does the same there.
constexpr const char* kPublishLock = "SELECT pg_advisory_xact_lock(7410093202)";

constexpr const char* kSelectVersion = R"(SELECT version FROM ModelFiles WHERE name = ?)";
constexpr const char* kDeleteChunks = R"(DELETE FROM ModelFileChunks WHERE name = ?)";
constexpr const char* kInsertChunk = R"(
    INSERT INTO ModelFileChunks (name, chunk, bytes) VALUES (?, ?, ?))";
constexpr const char* kUpsertFile = R"(
    INSERT INTO ModelFiles (name, version, size, chunks, modified_at, published_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET version = excluded.version, size = excluded.size,
        chunks = excluded.chunks, modified_at = excluded.modified_at,
        published_at = excluded.published_at)";
constexpr const char* kSelectFiles = R"(
    SELECT name, version, size, chunks, modified_at FROM ModelFiles ORDER BY name)";
constexpr const char* kSelectChunk = R"(
    SELECT bytes FROM ModelFileChunks WHERE name = ? AND chunk = ?)";

// The same statements with $n placeholders for libpq.
const std::string kPgInsertChunk = pg::numberedPlaceholders(kInsertChunk);
const std::string kPgSelectChunk = pg::numberedPlaceholders(kSelectChunk);

QString sqlProblem(const QSqlQuery& query) { return query.lastError().text(); }

// On PostgreSQL chunks go through libpq in binary form: QPSQL would send and receive each
// 8 MB chunk as 16 MB of hex text, which makes a 1 GB model several times slower to move.
pg_conn* binaryChannel(const Database& database) {
    return pg::available() ? database.postgresHandle() : nullptr;
}

// SHA-256 (hex) of a whole file, read kModelChunkBytes at a time; empty on a read error.
QString hashFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) return {};
    return QString::fromLatin1(hash.result().toHex());
}

// A stored name becomes a path inside the directory: nothing that could leave it or hide.
bool isPlainFileName(const QString& name) {
    return !name.isEmpty() && !name.startsWith(u'.') && !name.contains(u'/') &&
           !name.contains(u'\\');
}

QJsonObject readManifest(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();  // unreadable = knows nothing
}

qint64 mtimeOf(const QFileInfo& info) { return info.lastModified().toMSecsSinceEpoch(); }

// Sends one file as chunk rows; returns an error text, or empty with *version and *chunks set.
QString storeFile(const Database& database, QSqlQuery& query, const QString& name,
                  const QString& path, QString* version, int* chunks, qint64* size) {
    pg_conn* binary = binaryChannel(database);
    const std::string nameText = name.toStdString();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return path + ": " + file.errorString();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer;
    *chunks = 0;
    *size = 0;
    if (!binary && !query.prepare(QString::fromLatin1(kInsertChunk))) return sqlProblem(query);
    for (;;) {
        buffer.resize(kModelChunkBytes);
        const qint64 read = file.read(buffer.data(), kModelChunkBytes);
        if (read < 0) return path + ": " + file.errorString();
        if (read == 0 && *chunks > 0) break;
        buffer.resize(read);
        hash.addData(buffer);
        if (binary) {
            const std::string index = std::to_string(*chunks);
            try {
                pg::execBytes(
                    binary, kPgInsertChunk,
                    {{nameText}, {index}, {{buffer.constData(), std::size_t(read)}, true}});
            } catch (const std::runtime_error& error) {
                return name + ": " + QString::fromUtf8(error.what());
            }
        } else {
            query.bindValue(0, name);
            query.bindValue(1, *chunks);
            query.bindValue(2, buffer);
            if (!query.exec()) return name + ": " + sqlProblem(query);
        }
        ++*chunks;
        *size += read;
        if (read < kModelChunkBytes) break;
    }
    *version = QString::fromLatin1(hash.result().toHex());
    return {};
}

}  // namespace

ModelPublishResult publishModelDirectory(Database& database, const QString& dir,
                                         const QStringList& extraFiles) {
    const QDir directory(dir);
    if (!directory.exists()) {
        ModelPublishResult result;
        result.error = dir + ": no such directory";
        return result;
    }
    QStringList paths;
    for (const QFileInfo& info :
         directory.entryInfoList({"*.model", "*.json"}, QDir::Files, QDir::Name))
        paths << info.absoluteFilePath();
    return publishModelFiles(database, paths + extraFiles);
}

ModelPublishResult publishModelFiles(Database& database, const QStringList& paths) {
    ModelPublishResult result;
    std::map<QString, QString> files;  // name -> path
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.isFile()) {
            result.error = path + ": no such file";
            return result;
        }
        const auto [it, added] = files.emplace(info.fileName(), info.absoluteFilePath());
        if (!added && it->second != info.absoluteFilePath()) {
            result.error =
                "two files named " + info.fileName() + ": " + it->second + " and " + path;
            return result;
        }
    }

    QSqlDatabase db = database.connection();
    if (!db.transaction()) {
        result.error = db.lastError().text();
        return result;
    }
    QSqlQuery query(db);
    const auto fail = [&](const QString& problem) {
        db.rollback();
        result.stored.clear();
        result.bytesStored = 0;
        result.error = problem;
        return result;
    };
    if (database.dialect().isPostgres() && !query.exec(QString::fromLatin1(kPublishLock)))
        return fail(sqlProblem(query));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto& [name, path] : files) {
        query.prepare(QString::fromLatin1(kSelectVersion));
        query.bindValue(0, name);
        if (!query.exec()) return fail(sqlProblem(query));
        const QString stored = query.next() ? query.value(0).toString() : QString();
        query.finish();
        // Hashing first costs a read of the file, but spares sending an unchanged 1 GB model.
        if (!stored.isEmpty() && hashFile(path) == stored) {
            result.unchanged << name;
            continue;
        }
        query.prepare(QString::fromLatin1(kDeleteChunks));
        query.bindValue(0, name);
        if (!query.exec()) return fail(sqlProblem(query));
        QString version;
        int chunks = 0;
        qint64 size = 0;
        if (const QString problem =
                storeFile(database, query, name, path, &version, &chunks, &size);
            !problem.isEmpty())
            return fail(problem);
        query.prepare(QString::fromLatin1(kUpsertFile));
        const QVariant values[] = {name, version, size, chunks, mtimeOf(QFileInfo(path)), now};
        for (int i = 0; i < int(std::size(values)); ++i) query.bindValue(i, values[i]);
        if (!query.exec()) return fail(sqlProblem(query));
        result.stored << name;
        result.bytesStored += size;
    }
    if (!db.commit()) return fail(db.lastError().text());
    return result;
}

ModelSyncResult syncModelDirectory(Database& database, const QString& dir) {
    ModelSyncResult result;
    const QDir directory(dir);
    if (!QDir().mkpath(dir)) {
        result.error = "cannot create directory " + dir;
        return result;
    }
    const QString manifestPath = directory.filePath(QString::fromLatin1(kManifestName));
    QJsonObject manifest = readManifest(manifestPath);

    QSqlDatabase db = database.connection();
    if (!db.transaction()) {
        result.error = db.lastError().text();
        return result;
    }
    QSqlQuery query(db);
    // One snapshot for the file list and every chunk: a publish meanwhile is either all seen or
    // not at all. (SQLite's read transaction in WAL mode is a snapshot already.)
    if (database.dialect().isPostgres() &&
        !query.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))) {
        result.error = sqlProblem(query);
        db.rollback();
        return result;
    }
    struct Stored {
        QString name, version;
        qint64 size;
        int chunks;
        qint64 modifiedAtMs;  // the published file's modification time
    };
    std::vector<Stored> stored;
    if (!query.exec(QString::fromLatin1(kSelectFiles))) {
        result.error = sqlProblem(query);
        db.rollback();
        return result;
    }
    while (query.next())
        stored.push_back({query.value(0).toString(), query.value(1).toString(),
                          query.value(2).toLongLong(), query.value(3).toInt(),
                          query.value(4).toLongLong()});
    query.finish();

    pg_conn* binary = binaryChannel(database);
    QByteArray chunk;
    std::string binaryChunk;
    for (const Stored& file : stored) {
        if (!isPlainFileName(file.name)) {
            result.failed << file.name + ": not a plain file name; not written";
            continue;
        }
        const QString path = directory.filePath(file.name);
        const QFileInfo local(path);
        const QJsonObject known = manifest.value(file.name).toObject();
        const bool vouched = known.value("version").toString() == file.version && local.isFile() &&
                             local.size() == file.size &&
                             qint64(known.value("mtime").toDouble()) == mtimeOf(local);
        // Not vouched for but the right size (copied by hand, trained here, manifest lost):
        // the bytes decide, so an identical file is not rewritten.
        if (vouched ||
            (local.isFile() && local.size() == file.size && hashFile(path) == file.version)) {
            result.unchanged << file.name;
            if (!vouched)
                manifest.insert(file.name, QJsonObject{{"version", file.version},
                                                       {"size", double(file.size)},
                                                       {"mtime", double(mtimeOf(local))}});
            continue;
        }
        QSaveFile out(path);  // a temporary file next to `path`, renamed by commit()
        if (!out.open(QIODevice::WriteOnly)) {
            result.failed << file.name + ": " + out.errorString();
            continue;
        }
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 written = 0;
        QString problem;
        QSqlQuery read(db);
        read.setForwardOnly(true);
        if (!binary) read.prepare(QString::fromLatin1(kSelectChunk));
        const std::string nameText = file.name.toStdString();
        for (int i = 0; i < file.chunks && problem.isEmpty(); ++i) {
            QByteArrayView bytes;
            bool found = false;
            if (binary) {
                try {
                    std::optional<std::string> value =
                        pg::queryBytes(binary, kPgSelectChunk, {nameText, std::to_string(i)});
                    found = value.has_value();
                    if (found) binaryChunk = std::move(*value);
                    bytes = QByteArrayView(binaryChunk.data(), qsizetype(binaryChunk.size()));
                } catch (const std::runtime_error& error) {
                    problem = QString::fromUtf8(error.what());
                    break;
                }
            } else {
                read.bindValue(0, file.name);
                read.bindValue(1, i);
                if (!read.exec()) {
                    problem = sqlProblem(read);
                    break;
                }
                found = read.next();
                if (found) chunk = read.value(0).toByteArray();
                read.finish();
                bytes = chunk;
            }
            if (!found) {
                problem = QStringLiteral("chunk %1 of %2 is missing").arg(i).arg(file.chunks);
                break;
            }
            hash.addData(bytes);
            written += bytes.size();
            if (out.write(bytes.data(), bytes.size()) != bytes.size()) problem = out.errorString();
        }
        binaryChunk = std::string();
        chunk = QByteArray();
        const QString actual = QString::fromLatin1(hash.result().toHex());
        if (problem.isEmpty() && (written != file.size || actual != file.version))
            problem = QStringLiteral(
                          "stored bytes do not match version %1 (%2 bytes hash to %3, "
                          "expected %4 bytes)")
                          .arg(file.version)
                          .arg(written)
                          .arg(actual)
                          .arg(file.size);
        if (problem.isEmpty() && !out.commit()) problem = out.errorString();
        if (!problem.isEmpty()) {
            out.cancelWriting();  // the temporary file goes, the served file stays
            result.failed << file.name + ": " + problem + "; kept the current file";
            continue;
        }
        // The served version of a model is its file's modification time: give every replica the
        // time of the published file, so all of them report (and A/B variants pin) one version.
        if (QFile stamped(path); stamped.open(QIODevice::Append))
            stamped.setFileTime(QDateTime::fromMSecsSinceEpoch(file.modifiedAtMs, QTimeZone::utc()),
                                QFileDevice::FileModificationTime);
        result.written << file.name;
        manifest.insert(file.name, QJsonObject{{"version", file.version},
                                               {"size", double(file.size)},
                                               {"mtime", double(mtimeOf(QFileInfo(path)))}});
    }
    db.rollback();  // read only: nothing to keep

    QSaveFile manifestFile(manifestPath);
    if (!manifestFile.open(QIODevice::WriteOnly) ||
        manifestFile.write(QJsonDocument(manifest).toJson()) < 0 || !manifestFile.commit())
        result.error = manifestPath + ": " + manifestFile.errorString();
    return result;
}

}  // namespace animerec::storage

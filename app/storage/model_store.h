#pragma once

#include <QSqlError>
#include <QString>
#include <QStringList>

namespace animerec::storage {

class Database;

// Model files shared through the database (tables ModelFiles and ModelFileChunks), so replicas
// behind one PostgreSQL serve what `animerec train` produced on another machine. Works on
// SQLite too. Files are stored under their bare file name; a version is the SHA-256 of the bytes.

// Rows of at most this many bytes: a file is streamed through one chunk at a time.
inline constexpr qint64 kModelChunkBytes = qint64(8) << 20;

struct ModelPublishResult {
    QStringList stored;     // names written (new or changed)
    QStringList unchanged;  // names whose stored version already matched
    qint64 bytesStored = 0;
    QString error;  // empty on success; on failure nothing was stored (the transaction rolled back)
    bool ok() const { return error.isEmpty(); }
};

// Stores the files at `paths` under their file names in one transaction: replicas see all of
// them or none. Files whose SHA-256 matches the stored version are not sent again; other stored
// files are kept. A missing file, or two paths with one file name, is an error.
ModelPublishResult publishModelFiles(Database& database, const QStringList& paths);

// publishModelFiles of every `*.model` and `*.json` file in `dir` plus `extraFiles`.
ModelPublishResult publishModelDirectory(Database& database, const QString& dir,
                                         const QStringList& extraFiles = {});

struct ModelSyncResult {
    QStringList written;    // names written to the directory (new or changed version)
    QStringList unchanged;  // names already there in the stored version
    QStringList failed;     // "name: reason" (e.g. checksum mismatch); the old file stays
    QString error;          // the store could not be read at all
    bool ok() const { return error.isEmpty() && failed.isEmpty(); }
};

// Brings `dir` (created when missing) up to the stored versions: each file whose version differs
// from what the directory holds is written to a temporary file, checked against its size and
// SHA-256, and renamed over the old one, so a reader never sees half a file and a corrupted row
// never replaces a served file. What the directory holds is remembered in
// `dir`/.model-store.json (version, size, mtime per name); a file touched since is re-checked.
// Reads one consistent snapshot of the store. Files not in the store are left alone.
ModelSyncResult syncModelDirectory(Database& database, const QString& dir);

}  // namespace animerec::storage

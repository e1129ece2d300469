#pragma once

// What the import suites share (test_import on the shipped sample, test_import_real_layouts on
// the real-data group): a fresh database per case on the backend under test, import options with
// a private rejects report, table hashes, and an independent count of what a file pair should
// import.
#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "data/csv_dataset.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/importer.h"
#include "storage_test_backend.h"

namespace animerec::testing {

inline const QString kSampleAnime = QStringLiteral(ANIMEREC_SAMPLE_DATA_DIR "/anime.csv");
inline const QString kSampleHead =
    QStringLiteral(ANIMEREC_SAMPLE_DATA_DIR "/rating_head_users1-1036.csv");
inline const QString kSamplePart1 =
    QStringLiteral(ANIMEREC_SAMPLE_DATA_DIR "/rating_random5000users_part1.csv");

inline qint64 scalar(const storage::Database& db, const QString& sql) {
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next()) qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

// Every row of every table, hashed: equal hashes mean row-for-row equal contents.
inline QByteArray snapshot(const storage::Database& db, bool withRuns = true) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QStringList tables{"Anime", "Users", "UserAnimeInteractions"};
    if (withRuns) tables << "ImportRuns";
    for (const QString& table : tables) {
        QSqlQuery query(db.connection());
        query.setForwardOnly(true);
        if (!query.exec("SELECT * FROM " + table + " ORDER BY 1")) qFatal("dump failed");
        // record() is rebuilt per call (slow on QPSQL): read the column count once.
        const int columns = query.record().count();
        while (query.next()) {
            for (int i = 0; i < columns; ++i)
                hash.addData(
                    (query.value(i).isNull() ? QString("<null>") : query.value(i).toString())
                        .toUtf8() +
                    '\x1f');
            hash.addData("\n");
        }
        hash.addData(table.toUtf8());
    }
    return hash.result();
}

// Independent expectation for a file pair: anime ids from the first column of the anime file,
// and the rows whose anime_id column (a plain split; it precedes any quoted field) is among
// them. Returns {accepted rows, distinct users, rejected rows}.
struct ExpectedImport {
    qint64 accepted = 0;
    qint64 users = 0;
    qint64 rejected = 0;
};

inline ExpectedImport expectedFor(const QString& animePath, const QString& interactionsPath) {
    std::set<QString> animeIds;
    std::ifstream anime(animePath.toStdString());
    std::string line;
    std::getline(anime, line);
    while (std::getline(anime, line))
        animeIds.insert(QString::fromStdString(line.substr(0, line.find(','))));
    std::ifstream input(interactionsPath.toStdString());
    std::getline(input, line);
    const QStringList header = QString::fromStdString(line).trimmed().split(',');
    const int animeColumn = int(header.indexOf("anime_id"));
    const int userColumn = header.contains("username") ? int(header.indexOf("username"))
                                                       : int(header.indexOf("user_id"));
    ExpectedImport expected;
    std::set<QString> users;
    while (std::getline(input, line)) {
        // A record continues while its quotes are unbalanced (2018 tags hold line breaks).
        std::string more;
        while (std::count(line.begin(), line.end(), '"') % 2 == 1 && std::getline(input, more))
            line += "\n" + more;
        const QStringList fields = QString::fromStdString(line).trimmed().split(',');
        if (animeIds.count(fields.at(animeColumn))) {
            ++expected.accepted;
            users.insert(fields.at(userColumn));
        } else {
            ++expected.rejected;
        }
    }
    expected.users = qint64(users.size());
    return expected;
}

inline void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

// A suite's databases: a fresh one per case on the backend under test, in one temporary folder.
class ImportFixture {
public:
    QTemporaryDir dir;
    StorageTestBackend backend;

    std::unique_ptr<storage::Database> openDb(const QString& name) {
        return backend.openFresh(dir, name, QString("test%1").arg(++connections_));
    }
    int connections() const { return connections_; }

    qint64 indexCount(const storage::Database& db) {
        return scalar(db, backend.interactionIndexCountSql());
    }

    storage::ImportOptions options(const QString& anime, const QString& interactions,
                                   double share = 0.2) {
        storage::ImportOptions result;
        result.animePath = anime;
        result.interactionsPath = interactions;
        result.rejectsPath = dir.filePath(QString("rejects%1.txt").arg(connections_));
        result.maxRejectShare = share;
        return result;
    }

    // PostgreSQL: the primary key (user_id, interaction_id) and both foreign keys of
    // UserAnimeInteractions exist (the import drops them during COPY and adds them back, or a
    // rollback restores them); the key is the table's only index.
    void checkPostgresConstraints(const storage::Database& db) {
        QCOMPARE(scalar(db,
                        "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                        "'useranimeinteractions'::regclass AND contype IN ('p', 'f')"),
                 3);
        QSqlQuery key(db.connection());
        QVERIFY(
            key.exec("SELECT string_agg(a.attname, ',' ORDER BY k.position) FROM pg_constraint c "
                     "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position) "
                     "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                     "WHERE c.conrelid = 'useranimeinteractions'::regclass AND c.contype = 'p'"));
        QVERIFY(key.next());
        QCOMPARE(key.value(0).toString(), QString("user_id,interaction_id"));
        QCOMPARE(
            scalar(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'useranimeinteractions'"),
            1);
    }

    // The interactions' index (SQLite) or constraints (PostgreSQL) are back after an import.
    void checkKeys(const storage::Database& db) {
        QCOMPARE(indexCount(db), backend.isPostgres() ? 0 : 1);
        if (backend.isPostgres()) checkPostgresConstraints(db);
    }

private:
    int connections_ = 0;
};

// Imports `options` into `db`, loads it back and compares with reading the same files directly:
// same users, histories, ratings, statuses, episodes and order.
inline void checkLoaderMatchesCsv(storage::Database& db, const storage::ImportOptions& options) {
    storage::importDataset(db, options);
    const Dataset fromDb = storage::loadDataset(db);
    std::vector<CsvReject> rejects;
    const Dataset fromCsv = loadCsvDataset(options.animePath.toStdString(),
                                           {options.interactionsPath.toStdString()}, &rejects);
    QCOMPARE(fromDb.catalog.size(), fromCsv.catalog.size());
    QCOMPARE(fromDb.interactions.size(), fromCsv.interactions.size());
    QCOMPARE(fromDb.interactions.userIds(), fromCsv.interactions.userIds());
    for (int u = 0; u < fromDb.interactions.userCount(); ++u) {
        const auto a = fromDb.interactions.historyOf(u);
        const auto b = fromCsv.interactions.historyOf(u);
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(fromDb.catalog.idAt(a[i].item), fromCsv.catalog.idAt(b[i].item));
            QCOMPARE(a[i].rating, b[i].rating);
            QCOMPARE(a[i].status, b[i].status);
            QCOMPARE(a[i].watchedEpisodes, b[i].watchedEpisodes);
            QCOMPARE(a[i].order, b[i].order);
        }
    }
    const int gintama = *fromDb.catalog.indexOf(9969);
    QCOMPARE(fromDb.catalog.at(gintama).title, std::string("Gintama'"));
    QCOMPARE(fromDb.catalog.at(gintama).genres.size(), std::size_t{7});
}

}  // namespace animerec::testing

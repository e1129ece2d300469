// Model files and request metrics shared through the database, on SQLite and
// (ANIMEREC_TEST_BACKEND=postgres) PostgreSQL: publish, sync into an empty directory with
// byte-identical results, unchanged files left alone, a corrupted row refused while the served
// file stays, a file of several chunks, and RequestMetrics windows from the MetricsRegistry.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "service/metrics_registry.h"
#include "storage/database.h"
#include "storage/model_store.h"
#include "storage/request_metrics_store.h"
#include "storage_test_backend.h"

using namespace animerec;
using namespace animerec::storage;

namespace {

// Deterministic, incompressible-looking bytes (xorshift), so chunk boundaries see real data.
QByteArray pseudoRandomBytes(qint64 size, quint64 seed) {
    QByteArray bytes(size, Qt::Uninitialized);
    quint64 state = seed * 0x9E3779B97F4A7C15ull + 1;
    for (qint64 i = 0; i < size; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes[i] = char(state >> 56);
    }
    return bytes;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), qint64(bytes.size()));
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll();
}

}  // namespace

class TestModelStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    testing::StorageTestBackend backend_;
    int connections_ = 0;

    std::unique_ptr<Database> openDb(const QString& name) {
        return backend_.openFresh(dir_, name, QString("modelstore%1").arg(++connections_));
    }
    QString freshDir(const QString& name) {
        const QString path = dir_.filePath(name);
        QDir(path).removeRecursively();
        QDir().mkpath(path);
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
        qInfo("backend: %s", qPrintable(backend_.name()));
    }

    void publishThenSyncIsByteIdentical() {
        auto db = openDb("publish_sync");
        const QString trained = freshDir("trained");
        const QString top100 = dir_.filePath("top100.json");
        writeFile(trained + "/ease.model", pseudoRandomBytes(100000, 1));
        writeFile(trained + "/popularity.model", pseudoRandomBytes(3000, 2));
        const QByteArray choice = R"({"model": "ease", "file": "ease.model"})";
        writeFile(trained + "/collaborative.json", choice);
        writeFile(trained + "/notes.txt", "not a model");
        writeFile(top100, "[1, 5, 7]");

        const ModelPublishResult published = publishModelDirectory(*db, trained, {top100});
        QVERIFY2(published.ok(), qPrintable(published.error));
        QCOMPARE(published.stored, QStringList({"collaborative.json", "ease.model",
                                                "popularity.model", "top100.json"}));
        QCOMPARE(published.bytesStored, qint64(100000 + 3000 + choice.size() + 9));

        // A second replica: another connection, an empty directory.
        Database replica(db->location(), QString("modelstore-replica%1").arg(++connections_));
        QVERIFY(!replica.open().isValid());
        const QString served = freshDir("served");
        const ModelSyncResult synced = syncModelDirectory(replica, served);
        QVERIFY2(synced.ok(), qPrintable(synced.error + synced.failed.join("; ")));
        QCOMPARE(synced.written, published.stored);
        QVERIFY(synced.unchanged.isEmpty());
        for (const char* name : {"ease.model", "popularity.model", "collaborative.json"})
            QCOMPARE(readFile(served + "/" + name), readFile(trained + "/" + name));
        QCOMPARE(readFile(served + "/top100.json"), QByteArray("[1, 5, 7]"));
        QVERIFY(!QFile::exists(served + "/notes.txt"));

        // Publishing again sends nothing; syncing again rewrites nothing, even for a file whose
        // timestamp changed (its bytes are checked instead).
        const ModelPublishResult again = publishModelDirectory(*db, trained, {top100});
        QVERIFY2(again.ok(), qPrintable(again.error));
        QVERIFY(again.stored.isEmpty());
        QCOMPARE(again.unchanged.size(), 4);
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
        {
            QFile touched(served + "/ease.model");
            QVERIFY(touched.open(QIODevice::ReadWrite));
            QVERIFY(touched.setFileTime(old, QFileDevice::FileModificationTime));
        }
        const QDateTime popularityTime = QFileInfo(served + "/popularity.model").lastModified();
        QTest::qSleep(20);
        const ModelSyncResult resync = syncModelDirectory(replica, served);
        QVERIFY2(resync.ok(), qPrintable(resync.error + resync.failed.join("; ")));
        QVERIFY(resync.written.isEmpty());
        QCOMPARE(resync.unchanged.size(), 4);
        QCOMPARE(QFileInfo(served + "/ease.model").lastModified().toSecsSinceEpoch(),
                 old.toSecsSinceEpoch());
        QCOMPARE(QFileInfo(served + "/popularity.model").lastModified(), popularityTime);

        // A new version of one file: only that one is written.
        writeFile(trained + "/ease.model", pseudoRandomBytes(90000, 3));
        const ModelPublishResult changed = publishModelDirectory(*db, trained, {top100});
        QVERIFY2(changed.ok(), qPrintable(changed.error));
        QCOMPARE(changed.stored, QStringList({"ease.model"}));
        const ModelSyncResult update = syncModelDirectory(replica, served);
        QVERIFY2(update.ok(), qPrintable(update.error + update.failed.join("; ")));
        QCOMPARE(update.written, QStringList({"ease.model"}));
        QCOMPARE(readFile(served + "/ease.model"), pseudoRandomBytes(90000, 3));
    }

    void corruptedRowIsRefused() {
        auto db = openDb("corrupted");
        const QString trained = freshDir("trained_c");
        const QByteArray first = pseudoRandomBytes(50000, 4);
        writeFile(trained + "/als.model", first);
        QVERIFY(publishModelDirectory(*db, trained).ok());
        const QString served = freshDir("served_c");
        QVERIFY(syncModelDirectory(*db, served).ok());
        QCOMPARE(readFile(served + "/als.model"), first);

        // A new version whose stored bytes then rot: one byte flipped, same length.
        const QByteArray second = pseudoRandomBytes(50000, 5);
        writeFile(trained + "/als.model", second);
        QVERIFY(publishModelDirectory(*db, trained).ok());
        QByteArray rotten = second;
        rotten[1234] = char(rotten[1234] ^ 0x40);
        QSqlQuery query(db->connection());
        QVERIFY(query.prepare("UPDATE ModelFileChunks SET bytes = ? WHERE name = ? AND chunk = 0"));
        query.addBindValue(rotten);
        query.addBindValue(QString("als.model"));
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        QCOMPARE(query.numRowsAffected(), 1);

        const ModelSyncResult synced = syncModelDirectory(*db, served);
        QVERIFY(!synced.ok());
        QVERIFY(synced.written.isEmpty());
        QCOMPARE(synced.failed.size(), 1);
        QVERIFY2(synced.failed.first().startsWith("als.model: stored bytes do not match"),
                 qPrintable(synced.failed.first()));
        QCOMPARE(readFile(served + "/als.model"), first);  // the served file stays
        // No temporary file left behind: only the model and the (hidden) manifest.
        QCOMPARE(QDir(served).entryList(QDir::Files | QDir::Hidden),
                 QStringList({".model-store.json", "als.model"}));

        // A truncated row (a chunk missing) is refused the same way.
        QVERIFY(query.exec("DELETE FROM ModelFileChunks WHERE name = 'als.model'"));
        const ModelSyncResult missing = syncModelDirectory(*db, served);
        QCOMPARE(missing.failed.size(), 1);
        QVERIFY2(missing.failed.first().contains("chunk 0 of 1 is missing"),
                 qPrintable(missing.failed.first()));
        QCOMPARE(readFile(served + "/als.model"), first);
    }

    void largeFileRoundTrip() {
        auto db = openDb("large");
        const QString trained = freshDir("trained_l");
        const qint64 size = 50 * 1024 * 1024 + 12345;  // 7 chunks, the last one partial
        writeFile(trained + "/ease.model", pseudoRandomBytes(size, 6));
        const ModelPublishResult published = publishModelDirectory(*db, trained);
        QVERIFY2(published.ok(), qPrintable(published.error));
        QCOMPARE(published.bytesStored, size);
        QSqlQuery query(db->connection());
        QVERIFY(query.exec("SELECT chunks, size FROM ModelFiles WHERE name = 'ease.model'"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), (size + kModelChunkBytes - 1) / kModelChunkBytes);
        QCOMPARE(query.value(1).toLongLong(), size);
        query.finish();

        const QString served = freshDir("served_l");
        const ModelSyncResult synced = syncModelDirectory(*db, served);
        QVERIFY2(synced.ok(), qPrintable(synced.error + synced.failed.join("; ")));
        QCOMPARE(synced.written, QStringList({"ease.model"}));
        QVERIFY(readFile(served + "/ease.model") == pseudoRandomBytes(size, 6));
    }

    void publishFailureStoresNothing() {
        auto db = openDb("publish_fail");
        const QString trained = freshDir("trained_f");
        writeFile(trained + "/als.model", "abc");
        const ModelPublishResult result =
            publishModelDirectory(*db, trained, {trained + "/missing.json"});
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains("missing.json"), qPrintable(result.error));
        QSqlQuery query(db->connection());
        QVERIFY(query.exec("SELECT count(*) FROM ModelFiles"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 0);
    }

    void requestMetricsWindows() {
        auto db = openDb("metrics");
        service::MetricsRegistry registry;
        registry.observe("/recommend/{user_id}", "GET", 200, "ease", 0.0004);
        registry.observe("/recommend/{user_id}", "GET", 200, "ease", 0.003);
        registry.observe("/recommend/{user_id}", "GET", 404, "ease", 0.0001);
        registry.observe("/anime/{id}", "GET", 200, "", 7.0);  // beyond the last bound
        QVERIFY(!registry.flushWindow(*db, "replica-a").isValid());

        QSqlQuery query(db->connection());
        QVERIFY(
            query.exec("SELECT route, model, requests, errors, latency_sum_ms, "
                       "latency_buckets, window_ms FROM RequestMetrics "
                       "WHERE replica = 'replica-a' ORDER BY route"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QString("/anime/{id}"));
        QCOMPARE(query.value(1).toString(), QString(""));
        QCOMPARE(query.value(2).toLongLong(), 1);
        QCOMPARE(query.value(3).toLongLong(), 0);
        const QJsonObject slow = QJsonDocument::fromJson(query.value(5).toByteArray()).object();
        QCOMPARE(slow.value("+Inf").toInt(), 1);
        QVERIFY(query.value(6).toLongLong() >= 0);
        QVERIFY(query.next());
        QCOMPARE(query.value(1).toString(), QString("ease"));
        QCOMPARE(query.value(2).toLongLong(), 3);
        QCOMPARE(query.value(3).toLongLong(), 1);
        QVERIFY(qAbs(query.value(4).toDouble() - 3.5) < 1e-9);
        const QJsonObject buckets = QJsonDocument::fromJson(query.value(5).toByteArray()).object();
        QCOMPARE(buckets.value("0.1").toInt(), 1);
        QCOMPARE(buckets.value("0.5").toInt(), 1);
        QCOMPARE(buckets.value("5").toInt(), 1);
        QCOMPARE(buckets.value("+Inf").toInt(), 0);
        QVERIFY(!query.next());
        query.finish();

        // The next window holds only what came after the flush.
        registry.observe("/recommend/{user_id}", "GET", 500, "ease", 0.02);
        QTest::qSleep(5);
        QVERIFY(!registry.flushWindow(*db, "replica-a").isValid());
        QVERIFY(
            query.exec("SELECT requests, errors FROM RequestMetrics WHERE replica = "
                       "'replica-a' AND model = 'ease' ORDER BY window_start"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 3);
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), 1);
        QCOMPARE(query.value(1).toLongLong(), 1);
        QVERIFY(!query.next());
    }
};

QTEST_GUILESS_MAIN(TestModelStore)
#include "test_model_store.moc"

// Studio on the PostgreSQL database that server replicas share: the catalogue and users are
// browsed there, the models come from the database's model store (published by `train`), and a
// new user's ratings are written there. Always PostgreSQL: CTest's postgres fixture starts the
// throwaway cluster.
#include <QLineEdit>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "../app/storage_test_backend.h"
#include "data/generator.h"
#include "main_window.h"
#include "models/model_factory.h"
#include "models/model_io.h"
#include "panels/catalog_view.h"
#include "panels/compare_panel.h"
#include "panels/data_panel.h"
#include "panels/new_user_panel.h"
#include "panels/recommendation_list.h"
#include "panels/user_browser.h"
#include "service/recommend_service.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"
#include "storage/importer.h"
#include "storage/model_store.h"
#include "studio_context.h"
#include "studio_test_data.h"

using namespace animerec;

class TestStudioPostgres : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void browsesComparesAndWritesThroughPostgres();

private:
    qint64 scalar(const QString& sql) {
        QSqlQuery query(database_->connection());
        if (!query.exec(sql) || !query.next())
            qFatal("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return query.value(0).toLongLong();
    }

    testing::StorageTestBackend backend_;
    QTemporaryDir dir_;
    QString location_;
    std::unique_ptr<storage::Database> database_;
    qint64 publishedEaseBytes_ = 0;
};

void TestStudioPostgres::initTestCase() {
    QVERIFY2(backend_.isPostgres(), "run with ANIMEREC_TEST_BACKEND=postgres (ctest sets it)");
    QVERIFY2(backend_.error().isEmpty(), qPrintable(backend_.error()));
    QVERIFY(dir_.isValid());
    location_ = backend_.freshLocation(dir_, QStringLiteral("studio_postgres"));

    GeneratorConfig config;
    config.users = 300;
    config.anime = 150;
    config.meanInteractionsPerUser = 30;
    config.seed = 7;
    const QString csv = dir_.filePath(QStringLiteral("csv"));
    generateDatasetFiles(config, csv.toStdString());
    database_ = std::make_unique<storage::Database>(location_, QStringLiteral("fixture"));
    QVERIFY(!database_->open().isValid());
    storage::ImportOptions options;
    options.animePath = QDir(csv).filePath(QStringLiteral("anime.csv"));
    options.interactionsPath = QDir(csv).filePath(QStringLiteral("animelist.csv"));
    storage::importDataset(*database_, options);

    // What `animerec train` does on PostgreSQL: model files written, then published.
    const Dataset data = storage::loadDataset(*database_);
    const QString trained = dir_.filePath(QStringLiteral("trained"));
    QVERIFY(QDir().mkpath(trained));
    for (const char* family : {"popularity", "content", "ease"}) {
        auto model = createRecommender(family, {});
        model->fit(data);
        saveModelFile(QDir(trained).filePath(QString::fromLatin1(family) + ".model").toStdString(),
                      *model);
    }
    const storage::ModelPublishResult published =
        storage::publishModelDirectory(*database_, trained);
    QVERIFY2(published.ok(), qPrintable(published.error));
    QCOMPARE(published.stored.size(), qsizetype(3));
    publishedEaseBytes_ = QFileInfo(QDir(trained).filePath(QStringLiteral("ease.model"))).size();
    // Studio keeps its copy of the models in var/models under the working directory.
    QVERIFY(QDir::setCurrent(dir_.filePath(QStringLiteral("."))));
}

void TestStudioPostgres::browsesComparesAndWritesThroughPostgres() {
    ui::MainWindow window(location_);
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
    QVERIFY(window.windowTitle().contains(QStringLiteral("postgresql://")));
    QVERIFY2(!window.windowTitle().contains(QStringLiteral("never-printed")),
             "the password is shown");

    // The published models, synced into var/models and serving.
    const QFileInfo ease(QDir(dir_.path()).filePath(QStringLiteral("var/models/ease.model")));
    QVERIFY(ease.exists());
    QCOMPARE(ease.size(), publishedEaseBytes_);
    const auto collaborative =
        window.context()->service()->models().get(service::ModelRole::Collaborative);
    QVERIFY(collaborative);
    QCOMPARE(collaborative->family, QStringLiteral("ease"));

    // Catalogue and users come from PostgreSQL; search ignores case as on SQLite.
    ui::CatalogView* catalogue = window.dataPanel()->catalog();
    QTRY_COMPARE(catalogue->rowCount(), static_cast<int>(scalar("SELECT count(*) FROM Anime")));
    QSqlQuery firstTitle(database_->connection());
    QVERIFY(firstTitle.exec(QStringLiteral("SELECT title FROM Anime ORDER BY anime_id LIMIT 1")) &&
            firstTitle.next());
    const QString title = firstTitle.value(0).toString();
    studio_test::child<QLineEdit>(*catalogue, "search")->setText(title.toUpper());
    QTRY_VERIFY(catalogue->rowCount() >= 1);
    QVERIFY(catalogue->rowCount() < static_cast<int>(scalar("SELECT count(*) FROM Anime")));

    const qint64 user = scalar(QStringLiteral(
        "SELECT user_id FROM UserAnimeInteractions GROUP BY user_id HAVING count(*) >= 20 "
        "ORDER BY user_id LIMIT 1"));
    QVERIFY(window.dataPanel()->users()->showUser(user));
    QCOMPARE(window.dataPanel()->users()->historyRowCount(),
             static_cast<int>(scalar(
                 QStringLiteral("SELECT count(*) FROM UserAnimeInteractions WHERE user_id = %1")
                     .arg(user))));
    QCOMPARE(window.comparePanel()->list(2)->rowCount(), 10);
    QCOMPARE(window.comparePanel()->list(2)->strategy(), QStringLiteral("collaborative"));

    // A new user and a rating, written to PostgreSQL with a timestamp.
    ui::NewUserPanel* panel = window.newUserPanel();
    const qint64 created = panel->createUser(QStringLiteral("Postgres Ann"));
    QVERIFY(created > 0);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM Users WHERE user_id = %1").arg(created)),
             qint64(1));
    const std::int64_t anime = window.context()->service()->dataset().catalog.idAt(0);
    QVERIFY(panel->addTitle(anime, 9));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM UserAnimeInteractions WHERE user_id = %1 "
                                   "AND anime_id = %2 AND rating = 9 AND timestamp > 0")
                        .arg(created)
                        .arg(anime)),
             qint64(1));
    studio_test::screenshot(window, QStringLiteral("studio-postgres"),
                            dir_.filePath(QStringLiteral("shots")));
}

QTEST_MAIN(TestStudioPostgres)
#include "test_studio_postgres.moc"

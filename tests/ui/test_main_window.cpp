#include <QLabel>
#include <QLineEdit>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "background_task.h"
#include "data/dataset.h"
#include "i18n/language.h"
#include "main_window.h"
#include "panels/catalog_view.h"
#include "panels/data_panel.h"
#include "panels/user_browser.h"
#include "screenshots.h"
#include "service/recommend_service.h"
#include "studio_context.h"
#include "studio_test_data.h"

namespace {

// A three-title database in the importer's schema.
void writeFixture(const QString& path) {
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "fixture");
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        for (const char* statement :
             {"CREATE TABLE Anime(anime_id INTEGER PRIMARY KEY, title TEXT, genre TEXT, type TEXT, "
              "episodes INTEGER, rating REAL, members INTEGER)",
              "CREATE TABLE Users(user_id INTEGER PRIMARY KEY, name TEXT, join_date TEXT)",
              "CREATE TABLE UserAnimeInteractions(interaction_id INTEGER PRIMARY KEY, user_id "
              "INTEGER, "
              "anime_id INTEGER, rating INTEGER, status INTEGER, watched_episodes INTEGER, "
              "timestamp INTEGER)",
              "INSERT INTO Anime VALUES (1, 'Cowboy Bebop', 'Action, Sci-Fi, Space', 'TV', 26, "
              "8.82, 486824),"
              " (5, 'Cowboy Bebop: Tengoku no Tobira', 'Action, Drama, Sci-Fi, Space', 'Movie', 1, "
              "8.4, 137636),"
              " (6, 'Trigun', 'Action, Comedy, Sci-Fi', 'TV', 26, 8.32, 283069)",
              "INSERT INTO Users VALUES (7, 'spike', NULL), (8, NULL, NULL)",
              "INSERT INTO UserAnimeInteractions VALUES (1, 7, 1, 10, 2, 26, NULL), (2, 7, 5, "
              "NULL, 1, 0, NULL),"
              " (3, 8, 6, 7, 2, 26, NULL)"}) {
            QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase("fixture");
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void showsEmptyStateWithoutDatabase() {
        QTemporaryDir dir;
        animerec::ui::MainWindow window(dir.filePath("missing.sqlite"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.dataPanel()->showsEmptyState());
        const QImage image = window.grab().toImage();
        QVERIFY(image.width() >= 800);
    }

    // "Load demo data" on an empty database imports the real sample, as scripts/run.sh does.
    void demoDataIsTheRealSample() {
        QTemporaryDir dir;
        const QString path = dir.filePath("demo.sqlite");
        animerec::ui::MainWindow window(path);
        QVERIFY(window.dataPanel()->showsEmptyState());
        animerec::ui::BackgroundTask* task = window.generateDemoData();
        QVERIFY(task);
        QSignalSpy finished(task, &animerec::ui::BackgroundTask::finished);
        QVERIFY(finished.wait(300000));
        QTRY_VERIFY_WITH_TIMEOUT(window.context()->service() != nullptr, 120000);
        const auto& data = window.context()->service()->dataset();
        QCOMPARE(data.catalog.size(), 12294);
        QCOMPARE(data.interactions.userCount(), 1036);
        QCOMPARE(window.context()->service()->anime(1)->title, std::string("Cowboy Bebop"));
        QVERIFY(!window.dataPanel()->showsEmptyState());
    }

    void browsesCatalogueAndUsers() {
        QTemporaryDir dir;
        const QString path = dir.filePath("db.sqlite");
        writeFixture(path);
        animerec::ui::MainWindow window(path);
        window.show();
        auto* data = window.dataPanel();
        QVERIFY(!data->showsEmptyState());
        QCOMPARE(data->catalog()->rowCount(), 3);
        studio_test::child<QLineEdit>(*data, "search")->setText("bebop");
        QCOMPARE(data->catalog()->rowCount(), 2);
        studio_test::child<QLineEdit>(*data, "search")->setText("");
        QCOMPARE(data->users()->userRowCount(), 2);
        QVERIFY(data->users()->showUser(7));
        QCOMPARE(data->users()->historyRowCount(), 2);
        QVERIFY(!data->users()->showUser(99));
    }

    void screenshotsEveryPanel() {
        QTemporaryDir dir;
        const QString path = dir.filePath("db.sqlite");
        writeFixture(path);
        animerec::ui::MainWindow window(path);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const int written = animerec::ui::saveScreenshots(window, dir.filePath("shots"));
        QVERIFY(written >= window.panelNames().size());
        const QImage first(QDir(dir.filePath("shots")).filePath("01-data-catalogue.png"));
        QVERIFY(!first.isNull());
        QCOMPARE(first.size(), window.size());
    }

    // Russian, as chosen by the system locale, ANIMEREC_LANG or the Language menu.
    void speaksRussian() {
        QTemporaryDir dir;
        const QString path = dir.filePath("db.sqlite");
        writeFixture(path);
        QVERIFY(animerec::i18n::installTranslation(*qApp, QStringLiteral("ru")));
        {
            animerec::ui::MainWindow window(path);
            QCOMPARE(window.panelNames(),
                     (QStringList{"Данные", "Сравнение", "Метрики", "Обучение", "Сервер",
                                  "Новый пользователь", "Эксперименты", "Карта", "Мониторинг"}));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            // ANIMEREC_SCREENSHOT_DIR keeps the picture to look at.
            const QImage picture = window.grab().toImage();
            QVERIFY(!picture.isNull());
            if (qEnvironmentVariableIsSet("ANIMEREC_SCREENSHOT_DIR"))
                picture.save(QDir(qEnvironmentVariable("ANIMEREC_SCREENSHOT_DIR"))
                                 .filePath("studio-ru.png"));
        }
        QVERIFY(animerec::i18n::installTranslation(*qApp, QStringLiteral("en")));
        animerec::ui::MainWindow english(path);
        QCOMPARE(english.panelNames().first(), QString("Data"));
        // A language the executable does not carry is refused, and English stays.
        QVERIFY(!animerec::i18n::installTranslation(*qApp, QStringLiteral("xx")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

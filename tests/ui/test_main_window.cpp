#include <QtTest>

#include <QLabel>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "main_window.h"

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void showsEmptyStateWithoutDatabase() {
        QTemporaryDir dir;
        animerec::ui::MainWindow window(dir.filePath("missing.sqlite"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto labels = window.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel* label) { return label->text().contains("No data yet"); }));
        const QImage image = window.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
        QVERIFY(image.save(dir.filePath("window.png")));
    }

    void summarisesAnExistingDatabase() {
        QTemporaryDir dir;
        const QString path = dir.filePath("db.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "fixture");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec("CREATE TABLE Anime(anime_id INTEGER PRIMARY KEY, title TEXT)"));
            QVERIFY(query.exec("INSERT INTO Anime VALUES (1, 'Cowboy Bebop'), (5, 'Tengoku no Tobira')"));
            db.close();
        }
        QSqlDatabase::removeDatabase("fixture");
        animerec::ui::MainWindow window(path);
        const auto labels = window.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel* label) { return label->text().contains("Anime: 2 rows"); }));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

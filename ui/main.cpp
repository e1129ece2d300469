// `animerec-studio`: the analyst's workbench. main only wires the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include "main_window.h"
#include "screenshots.h"

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("AnimeRec Studio");
    QApplication::setOrganizationName("AnimeRec");
    QCommandLineParser parser;
    parser.setApplicationDescription("AnimeRec Studio: browse data, compare models, run evaluations.");
    parser.addHelpOption();
    const QCommandLineOption databaseOption("db", "SQLite database to open.", "path",
                                            qEnvironmentVariable("ANIMEREC_DB", "var/animerec.sqlite"));
    const QCommandLineOption screenshotOption(
        "screenshot", "Render every panel to DIR/<panel>.png and exit (use QT_QPA_PLATFORM=offscreen).", "dir");
    parser.addOption(databaseOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    animerec::ui::MainWindow window(parser.value(databaseOption));
    window.show();
    if (parser.isSet(screenshotOption)) {
        const QString directory = parser.value(screenshotOption);
        QTimer::singleShot(0, &window, [&window, directory] {
            const int written = animerec::ui::saveScreenshots(window, directory);
            QApplication::exit(written > 0 ? 0 : 1);
        });
    }
    return QApplication::exec();
}

// `animerec-studio`: the analyst's workbench. main only wires the window.
#include <QApplication>
#include <QCommandLineParser>

#include "main_window.h"

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("AnimeRec Studio");
    QApplication::setOrganizationName("AnimeRec");
    QCommandLineParser parser;
    parser.setApplicationDescription("AnimeRec Studio");
    parser.addHelpOption();
    const QCommandLineOption databaseOption("db", "SQLite database to open.", "path",
                                            qEnvironmentVariable("ANIMEREC_DB", "var/animerec.sqlite"));
    parser.addOption(databaseOption);
    parser.process(app);
    animerec::ui::MainWindow window(parser.value(databaseOption));
    window.show();
    return QApplication::exec();
}

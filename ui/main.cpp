// `animerec-studio`: the analyst's workbench. main only wires the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include "i18n/language.h"
#include "main_window.h"
#include "screenshots.h"
#include "studio_context.h"

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("AnimeRec Studio");
    QApplication::setOrganizationName("AnimeRec");
    QApplication::setWindowIcon(QIcon(":/icons/animerec.svg"));
    // ANIMEREC_LANG, else the language picked in the Language menu, else the system locale.
    animerec::i18n::installTranslation(
        app,
        animerec::i18n::chosenLanguage(QSettings().value(QStringLiteral("language")).toString()));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "AnimeRec Studio: browse data, compare models, run evaluations.");
    parser.addHelpOption();
    const QCommandLineOption databaseOption(
        "db", "Database to open: a SQLite file or postgresql://user:password@host:port/dbname.",
        "location", qEnvironmentVariable("ANIMEREC_DB", "var/animerec.sqlite"));
    const QCommandLineOption screenshotOption(
        "screenshot",
        "Render every panel to DIR/<panel>.png and exit (use QT_QPA_PLATFORM=offscreen).", "dir");
    parser.addOption(databaseOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    animerec::ui::MainWindow window(parser.value(databaseOption));
    window.show();
    if (parser.isSet(screenshotOption)) {
        const QString directory = parser.value(screenshotOption);
        // Wait until data and models are loaded (or there is nothing to load), then render.
        const auto render = [&window, directory] {
            // Queued: every other receiver of the loaded-service signal reacts first.
            QTimer::singleShot(0, &window, [&window, directory] {
                animerec::ui::prepareScreenshotContent(window, [&window, directory] {
                    const int written = animerec::ui::saveScreenshots(window, directory);
                    QApplication::exit(written > 0 ? 0 : 1);
                });
            });
        };
        auto* context = window.context();
        if (!context->hasData()) {
            QTimer::singleShot(0, &window, render);
        } else {
            QObject::connect(context, &animerec::ui::StudioContext::serviceChanged, &window, render,
                             Qt::SingleShotConnection);
            QObject::connect(context, &animerec::ui::StudioContext::serviceFailed, &window, render,
                             Qt::SingleShotConnection);
        }
    }
    return QApplication::exec();
}

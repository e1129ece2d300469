// `animerec`: the command line and headless server. main only dispatches to a command.
#include <QCoreApplication>
#include <QTextStream>
#include <map>

#include "cli/commands.h"
#include "i18n/language.h"

namespace {

using Command = int (*)(const QStringList&);

const std::map<QString, std::pair<Command, const char*>>& commands() {
    static const std::map<QString, std::pair<Command, const char*>> table{
        {"import",
         {animerec::cli::runImport, "import anime and interaction CSVs into the database"}},
        {"generate",
         {animerec::cli::runGenerate, "write a synthetic dataset in the brief's layout"}},
        {"train",
         {animerec::cli::runTrain, "fit models on the imported dataset and save model files"}},
        {"evaluate",
         {animerec::cli::runEvaluate, "measure the models offline on a train/test split"}},
        {"serve", {animerec::cli::runServe, "answer recommendation requests over HTTP"}},
        {"ab",
         {animerec::cli::runAb, "A/B experiments: create, start, pause, stop, report, simulate"}},
        {"recommend",
         {animerec::cli::runQuestion,
          "the four families' lists for a user or a session, side by side"}},
        {"similar",
         {animerec::cli::runQuestion,
          "titles like one anime, by content, collaborative and session models"}},
        {"top",
         {animerec::cli::runQuestion,
          "the most popular titles (by members, rating or interactions; per genre)"}},
        {"show",
         {animerec::cli::runQuestion,
          "an anime's facts and audience, or a user's profile and history"}},
        {"explore",
         {animerec::cli::runExplore,
          "an interactive prompt for all of the above, models loaded once"}},
    };
    return table;
}

int usage(QTextStream& out) {
    out << "usage: animerec <command> [options]   (animerec <command> --help for "
           "details)\n\ncommands:\n";
    for (const auto& [name, entry] : commands())
        out << "  " << name.leftJustified(10) << entry.second << "\n";
    return 2;
}

}  // namespace

int main(int argc, char* argv[]) {
    // The command-line tool runs no GUI, so it needs no GLib main loop: Qt's own poll-based event
    // dispatcher serves HTTP requests about a tenth faster. An explicit QT_NO_GLIB wins.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB")) qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("animerec");
    QCoreApplication::setOrganizationName("AnimeRec");
    // The explorer's answers follow ANIMEREC_LANG or the system locale (English or Russian).
    animerec::i18n::installTranslation(app, animerec::i18n::chosenLanguage());
    QStringList args = QCoreApplication::arguments();
    QTextStream err(stderr);
    if (args.size() < 2) return usage(err);
    const QString name = args.at(1);
    if (name == "--help" || name == "-h" || name == "help") {
        QTextStream out(stdout);
        usage(out);
        return 0;
    }
    const auto it = commands().find(name);
    if (it == commands().end()) {
        err << "animerec: unknown command '" << name << "'\n";
        return usage(err);
    }
    args.removeFirst();  // the command sees itself as args[0]
    try {
        return it->second.first(args);
    } catch (const std::exception& error) {
        err << "animerec " << name << ": " << error.what() << "\n";
        return 1;
    }
}

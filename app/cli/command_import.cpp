// `animerec import`: replaces the dataset in the database with an anime CSV and an interactions
// CSV, in one transaction, with a progress bar and a reject report.
#include <QCommandLineParser>
#include <QTextStream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "storage/database.h"
#include "storage/importer.h"

namespace animerec::cli {

int runImport(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({"anime", "Anime catalogue CSV (brief, CooperUnion or 2020 layout).", "FILE"});
    parser.addOption(
        {"interactions", "User-anime interactions CSV (any supported layout).", "FILE"});
    parser.addOption({"db",
                      "SQLite file or postgresql://user:password@host:port/dbname URL (default: "
                      "$ANIMEREC_DB or var/animerec.sqlite).",
                      "PATH", defaultDatabasePath()});
    parser.addOption(
        {"rejects", "Where to write rejected rows (default: <db>.rejects.txt).", "FILE"});
    parser.addOption({"max-reject-share", "Fail when a file rejects more than this share of rows.",
                      "SHARE", "0.2"});
    if (const auto exit = parseOrExit(parser, args,
                                      "Imports anime and interactions CSVs, replacing the dataset "
                                      "in the database (all or nothing)."))
        return *exit;

    QTextStream err(stderr);
    if (!parser.isSet("anime") || !parser.isSet("interactions")) {
        err << "import: --anime FILE and --interactions FILE are required\n" << parser.helpText();
        return 2;
    }
    const auto maxShare = realOption(parser, "max-reject-share", 0.0, 1.0);
    if (!maxShare) return 2;

    storage::ImportOptions options;
    options.animePath = parser.value("anime");
    options.interactionsPath = parser.value("interactions");
    options.rejectsPath = parser.value("rejects");
    options.maxRejectShare = *maxShare;

    storage::Database database(parser.value("db"), QStringLiteral("animerec-import"));
    if (const QSqlError error = database.open(); error.isValid()) {
        err << "import: cannot open " << database.path() << ": " << error.text() << "\n";
        return 1;
    }

    storage::ImportSummary summary;
    {
        TerminalProgress bar("B");
        try {
            summary = storage::importDataset(database, options, bar.callback());
        } catch (const OperationCancelled&) {
            bar.finish();
            err << "import: cancelled; the database is unchanged\n";
            return 130;
        } catch (const std::exception& error) {
            bar.finish();
            err << "import: " << error.what() << "\nimport: nothing was imported; the database is "
                << "unchanged\n";
            return 1;
        }
    }

    QTextStream out(stdout);
    const double rate = summary.seconds > 0 ? double(summary.interactions) / summary.seconds : 0;
    out << "imported into " << database.path() << "\n"
        << "  anime:        " << summary.animeRows << " (" << summary.animeLayout << ")\n"
        << "  users:        " << summary.users << "\n"
        << "  interactions: " << summary.interactions << " (" << summary.interactionsLayout << ")\n"
        << "  rejects:      " << summary.animeRejects + summary.interactionRejects << " (anime "
        << summary.animeRejects << ", interactions " << summary.interactionRejects << ") -> "
        << summary.rejectsPath << "\n"
        << "  time:         " << QString::number(summary.seconds, 'f', 2) << " s ("
        << QString::number(rate, 'f', 0) << " rows/s)\n";
    return 0;
}

}  // namespace animerec::cli

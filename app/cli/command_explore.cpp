// The terminal explorer: `animerec recommend`, `similar`, `top`, `show` answer one question and
// exit (for scripts and quick looks); `animerec explore` keeps the data and models loaded and
// answers the same commands at a prompt, with history and tab completion. Every answer comes from
// explore::Explorer (the service the HTTP routes use), as text fitted to the terminal or as JSON.
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/explorer_text.h"
#include "explore/explorer.h"
#include "models/model_io.h"
#include "service/gate_record.h"
#include "service/model_registry.h"

#if ANIMEREC_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

namespace animerec::cli {

namespace {

// What the explorer says to a person, translated (translations/animerec_ru.ts).
struct ExploreCommand {
    Q_DECLARE_TR_FUNCTIONS(ExploreCommand)
};

using explore::Answer;
using explore::Explorer;
using explore::QueryError;

constexpr int kDefaultTopN = 10;
constexpr int kDefaultHistoryLimit = 20;

// The questions, each with its options; `explore` accepts the same lines without "animerec".
const QStringList kQuestions{QStringLiteral("recommend"), QStringLiteral("similar"),
                             QStringLiteral("top"), QStringLiteral("show")};
const QStringList kSessionWords{QStringLiteral("models"), QStringLiteral("help"),
                                QStringLiteral("quit"), QStringLiteral("exit")};

struct Output {
    QTextStream& out;
    QTextStream& err;
    TextStyle style;
};

// The explorer a question is answered from, opened only once the question is understood (so
// --help and usage errors need no database); null after printing why it could not open.
using ExplorerSource = std::function<const Explorer*()>;

void addCommonOptions(QCommandLineParser& parser) {
    parser.addOption({"json", "Print the answer as JSON."});
    parser.addOption(
        {"top-n", "How many titles per list (1-100).", "N", QString::number(kDefaultTopN)});
}

// Parses `args` (args[0] = the question); positional words are allowed where a question takes a
// title. Returns an exit code when the question should not run.
std::optional<int> parseQuestion(QCommandLineParser& parser, const QStringList& args,
                                 const QString& description, Output& io) {
    parser.setApplicationDescription(description);
    const QCommandLineOption help({"h", "help"}, "Show this help.");
    parser.addOption(help);
    if (!parser.parse(args)) {
        io.err << args.value(0) << ": " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(help)) {
        io.out << parser.helpText();
        return 0;
    }
    return std::nullopt;
}

int print(const Answer& answer, bool json, QString (*render)(const QJsonObject&, const TextStyle&),
          Output& io) {
    if (const auto* error = std::get_if<QueryError>(&answer)) {
        io.err << ExploreCommand::tr("error: %1").arg(error->message) << "\n";
        return 1;
    }
    const QJsonObject& object = std::get<QJsonObject>(answer);
    if (json)
        io.out << QJsonDocument(object).toJson(QJsonDocument::Indented);
    else
        io.out << render(object, io.style);
    return 0;
}

std::optional<int> topN(const QCommandLineParser& parser, Output& io) {
    bool ok = false;
    const int value = parser.value("top-n").toInt(&ok);
    if (!ok || value < 1 || value > 100) {
        io.err << "--top-n: '" << parser.value("top-n") << "' is not an integer in [1, 100]\n";
        return std::nullopt;
    }
    return value;
}

int recommend(const ExplorerSource& source, const QStringList& args, Output& io) {
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({"user", "The user whose lists to show.", "ID"});
    parser.addOption({"history",
                      "Or an anonymous session: ids or titles, comma-separated, oldest first.",
                      "LIST"});
    parser.addOption({"model", "all, popularity, content, collaborative or session.", "FAMILY",
                      QStringLiteral("all")});
    if (const auto exit = parseQuestion(
            parser, args, "The four families' lists for a user or a session, side by side.", io))
        return *exit;
    const auto n = topN(parser, io);
    if (!n) return 2;
    explore::RecommendQuery query;
    query.model = parser.value("model");
    query.topN = *n;
    if (parser.isSet("user") == parser.isSet("history")) {
        io.err << args.value(0) << ": "
               << ExploreCommand::tr("give either --user ID or --history LIST") << "\n";
        return 2;
    }
    if (parser.isSet("user")) {
        bool ok = false;
        query.userId = parser.value("user").toLongLong(&ok);
        if (!ok) {
            io.err << "--user: '" << parser.value("user") << "' is not a user id\n";
            return 2;
        }
    } else {
        for (const QString& entry : parser.value("history").split(u',', Qt::SkipEmptyParts))
            query.history << entry.trimmed();
    }
    const Explorer* explorer = source();
    if (!explorer) return 1;
    return print(explorer->recommend(query), parser.isSet("json"), recommendText, io);
}

// The title of `similar` / `show anime`: --anime, or the remaining words.
QString titleArgument(const QCommandLineParser& parser, int skip) {
    if (parser.isSet("anime")) return parser.value("anime");
    return parser.positionalArguments().mid(skip).join(u' ');
}

int similar(const ExplorerSource& source, const QStringList& args, Output& io) {
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption(
        {"anime", "The anime: an id or a title (any case, a prefix or a part).", "ID|TITLE"});
    if (const auto exit =
            parseQuestion(parser, args,
                          "Titles like one anime: by content, by the collaborative model's "
                          "item-to-item view, and what the session model plays next.",
                          io))
        return *exit;
    const auto n = topN(parser, io);
    if (!n) return 2;
    const QString anime = titleArgument(parser, 0);
    if (anime.isEmpty()) {
        io.err << args.value(0) << ": " << ExploreCommand::tr("which anime? (--anime ID|TITLE)")
               << "\n";
        return 2;
    }
    const Explorer* explorer = source();
    if (!explorer) return 1;
    return print(explorer->similar(anime, *n), parser.isSet("json"), similarText, io);
}

int top(const ExplorerSource& source, const QStringList& args, Output& io) {
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({"genre", "Only titles of this genre.", "GENRE"});
    parser.addOption({"by", "members, rating (Bayesian-weighted) or interactions.", "MEASURE",
                      QStringLiteral("members")});
    if (const auto exit = parseQuestion(parser, args, "The most popular titles.", io)) return *exit;
    const auto n = topN(parser, io);
    if (!n) return 2;
    const Explorer* explorer = source();
    if (!explorer) return 1;
    return print(explorer->top(parser.value("genre"), parser.value("by"), *n), parser.isSet("json"),
                 topText, io);
}

int show(const ExplorerSource& source, const QStringList& args, Output& io) {
    QCommandLineParser parser;
    parser.addOption({"json", "Print the answer as JSON."});
    parser.addOption({"history-limit", "How many of a user's latest titles to list (0 = all).", "N",
                      QString::number(kDefaultHistoryLimit)});
    if (const auto exit =
            parseQuestion(parser, args,
                          "show anime ID|TITLE: the catalogue facts and who lists it; "
                          "show user ID: counts, ratings, favourite genres, history; "
                          "show models: each role's model, why, and its quality gate.",
                          io))
        return *exit;
    const QStringList words = parser.positionalArguments();
    const QString what = words.value(0);
    if (what == QLatin1String("anime") && words.size() > 1) {
        const Explorer* explorer = source();
        if (!explorer) return 1;
        return print(explorer->showAnime(words.mid(1).join(u' ')), parser.isSet("json"), animeText,
                     io);
    }
    if (what == QLatin1String("user") && words.size() == 2) {
        bool ok = false;
        const qint64 user = words.at(1).toLongLong(&ok);
        const int limit = parser.value("history-limit").toInt();
        if (!ok) {
            io.err << "show user: '" << words.at(1) << "' is not a user id\n";
            return 2;
        }
        const Explorer* explorer = source();
        if (!explorer) return 1;
        return print(explorer->showUser(user, limit), parser.isSet("json"), userText, io);
    }
    io.err << ExploreCommand::tr("usage: show anime ID|TITLE  or  show user ID")
           << "\n";  // or models
    return 2;
}

// `show models`: which model serves each role from `modelsDir`, why, and its quality gate
// decision; needs no database.
int showModels(const QString& modelsDir, bool json, Output& io) {
    if (!QFileInfo(modelsDir).isDir()) {
        io.err << ExploreCommand::tr("error: %1")
                      .arg(ExploreCommand::tr("no models directory %1 (run `animerec train`)")
                               .arg(modelsDir))
               << "\n";
        return 1;
    }
    service::ModelRegistry registry(loadModelFile);
    const service::ReloadReport report = registry.loadDirectory(modelsDir);
    QJsonArray roles;
    for (const service::ModelRole role : service::kAllModelRoles) {
        const auto served = registry.get(role);
        const service::GateRecord gate =
            service::readGateRecord(modelsDir, service::roleName(role));
        QJsonObject entry{{"role", service::roleName(role)}};
        if (served) {
            entry.insert("model", served->family);
            entry.insert("version", served->version);
            entry.insert("file", served->path);
            entry.insert("reason", registry.reason(role));
        }
        if (!gate.decision.isEmpty()) entry.insert("quality_gate", gate.toJson());
        roles.append(entry);
    }
    QJsonArray failed;
    for (const QString& line : report.failed) failed.append(line);
    if (json) {
        io.out << QJsonDocument(
                      QJsonObject{{"models_dir", modelsDir}, {"roles", roles}, {"failed", failed}})
                      .toJson(QJsonDocument::Indented);
        return report.ok() ? 0 : 1;
    }
    for (const QJsonValue& value : roles) {
        const QJsonObject entry = value.toObject();
        io.out << entry.value("role").toString() << ": "
               << (entry.contains("model")
                       ? entry.value("model").toString() + " " + entry.value("version").toString() +
                             " (" + entry.value("reason").toString() + ")"
                       : ExploreCommand::tr("no model"))
               << "\n";
        const QJsonObject gate = entry.value("quality_gate").toObject();
        if (!gate.isEmpty())
            io.out << "  "
                   << ExploreCommand::tr("quality gate, %1: %2")
                          .arg(gate.value("decided_at").toString(),
                               gate.value("summary").toString())
                   << "\n";
    }
    for (const QString& line : report.failed)
        io.err << ExploreCommand::tr("error: %1").arg(line) << "\n";
    return report.ok() ? 0 : 1;
}

int ask(const ExplorerSource& source, const QStringList& args, Output& io) {
    const QString question = args.value(0);
    if (question == QLatin1String("recommend")) return recommend(source, args, io);
    if (question == QLatin1String("similar")) return similar(source, args, io);
    if (question == QLatin1String("top")) return top(source, args, io);
    if (question == QLatin1String("show")) return show(source, args, io);
    io.err << ExploreCommand::tr("unknown command '%1' (%2)")
                  .arg(question, (kQuestions + kSessionWords).join(QStringLiteral(", ")))
           << "\n";
    return 2;
}

// Splits a typed line into words: blanks separate, "double" or 'single' quotes keep a title whole.
QStringList words(const QString& line) {
    QStringList result;
    QString current;
    QChar quote;
    bool inWord = false;
    for (const QChar c : line) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                current += c;
        } else if (c == u'"' || c == u'\'') {
            quote = c;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord) result << current;
            current.clear();
            inWord = false;
        } else {
            current += c;
            inWord = true;
        }
    }
    if (inWord) result << current;
    return result;
}

// Where an explorer is opened from: --db and --models-dir, as every command takes them.
struct Location {
    QString database;
    QString modelsDir;
};

// Takes --db / --models-dir out of `args` (they open the explorer; the question never sees them).
std::optional<Location> takeLocation(QStringList& args, QTextStream& err) {
    Location location{defaultDatabasePath(), QStringLiteral("var/models")};
    for (int i = 1; i < args.size();) {
        const QString arg = args.at(i);
        QString* target = nullptr;
        QString name = arg.section(u'=', 0, 0);
        if (name == QLatin1String("--db"))
            target = &location.database;
        else if (name == QLatin1String("--models-dir"))
            target = &location.modelsDir;
        if (!target) {
            ++i;
            continue;
        }
        if (arg.contains(u'=')) {
            *target = arg.section(u'=', 1);
            args.removeAt(i);
        } else if (i + 1 < args.size()) {
            *target = args.at(i + 1);
            args.remove(i, 2);
        } else {
            err << name << ": missing value\n";
            return std::nullopt;
        }
    }
    return location;
}

std::unique_ptr<Explorer> openExplorer(const Location& location, QTextStream& err) {
    try {
        return std::make_unique<Explorer>(location.database, location.modelsDir);
    } catch (const std::exception& error) {
        err << ExploreCommand::tr("error: %1").arg(QString::fromUtf8(error.what())) << "\n";
        return nullptr;
    }
}

QString helpText() {
    return ExploreCommand::tr(
        "commands (the same as `animerec <command>`; titles may be quoted, any case, a prefix):\n"
        "  recommend --user ID [--model all|popularity|content|collaborative|session] [--top-n N]\n"
        "  recommend --history ID|TITLE,...      an anonymous session, oldest first\n"
        "  similar ID|TITLE                      neighbours by content, collaborative, session\n"
        "  top [--genre G] [--by members|rating|interactions] [--top-n N]\n"
        "  show anime ID|TITLE                   catalogue facts, who lists it, ratings\n"
        "  show user ID [--history-limit N]      counts, favourite genres, history\n"
        "  models                                which model answers each family, and why\n"
        "  help, quit (or Ctrl-D)\n"
        "every command takes --json; Tab completes commands, options, genres and titles\n");
}

#if ANIMEREC_HAVE_LIBEDIT
// Completion candidates, set before each readline() call.
QStringList completionWords;

char* nextCandidate(const char* text, int state) {
    static qsizetype index = 0;
    if (state == 0) index = 0;
    QString typed = QString::fromUtf8(text);
    if (typed.startsWith(u'"')) typed.remove(0, 1);
    while (index < completionWords.size()) {
        const QString& word = completionWords.at(index++);
        if (word.startsWith(typed, Qt::CaseInsensitive)) {
            const QString shown = word.contains(u' ') ? u'"' + word + u'"' : word;
            return strdup(shown.toUtf8().constData());
        }
    }
    return nullptr;
}

const Explorer* completingFor = nullptr;

char** complete(const char* text, int start, int /*end*/) {
    rl_attempted_completion_over = 1;  // never fall back to file names
    const QStringList before = words(QString::fromUtf8(rl_line_buffer).left(start));
    const QString previous = before.value(before.size() - 1);
    if (before.isEmpty())
        completionWords = kQuestions + kSessionWords;
    else if (previous == QLatin1String("--genre"))
        completionWords = completingFor->genres();
    else if (previous == QLatin1String("--model"))
        completionWords = Explorer::families();
    else if (previous == QLatin1String("--by"))
        completionWords = Explorer::popularityMeasures();
    else if (before.first() == QLatin1String("show") && before.size() == 1)
        completionWords = {QStringLiteral("anime"), QStringLiteral("user")};
    else if (previous == QLatin1String("--anime") || previous == QLatin1String("--history") ||
             before.first() == QLatin1String("similar") ||
             (before.first() == QLatin1String("show") && before.value(1) == QLatin1String("anime")))
        completionWords = completingFor->titles();
    else
        completionWords = {QStringLiteral("--user"),         QStringLiteral("--history"),
                           QStringLiteral("--model"),        QStringLiteral("--top-n"),
                           QStringLiteral("--genre"),        QStringLiteral("--by"),
                           QStringLiteral("--anime"),        QStringLiteral("--json"),
                           QStringLiteral("--history-limit")};
    return rl_completion_matches(text, nextCandidate);
}
#endif

// One line from the person: via libedit on a terminal (history, completion), else plain stdin.
std::optional<QString> readLine(bool terminal, const char* prompt) {
#if ANIMEREC_HAVE_LIBEDIT
    if (terminal) {
        char* line = readline(prompt);
        if (!line) return std::nullopt;
        const QString text = QString::fromUtf8(line);
        if (!text.trimmed().isEmpty()) add_history(line);
        std::free(line);
        return text;
    }
#endif
    (void)terminal;
    (void)prompt;
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return QString::fromStdString(line);
}

}  // namespace

int runQuestion(const QStringList& commandArgs) {
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = commandArgs;
    const auto location = takeLocation(args, err);
    if (!location) return 2;
    Output io{out, err, terminalStyle()};
    if (args.value(0) == QLatin1String("show") && args.value(1) == QLatin1String("models"))
        return showModels(location->modelsDir, args.contains(QStringLiteral("--json")), io);
    std::unique_ptr<Explorer> explorer;
    const ExplorerSource open = [&]() -> const Explorer* {
        explorer = openExplorer(*location, err);
        return explorer.get();
    };
    return ask(open, args, io);
}

int runExplore(const QStringList& commandArgs) {
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = commandArgs;
    const auto location = takeLocation(args, err);
    if (!location) return 2;
    if (args.size() > 1) {
        if (args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
            out << "usage: animerec explore [--db PATH] [--models-dir DIR]\n\n" << helpText();
            return 0;
        }
        err << "explore: unexpected argument '" << args.at(1) << "'\n";
        return 2;
    }
    QElapsedTimer loading;
    loading.start();
    const auto explorer = openExplorer(*location, err);
    if (!explorer) return 1;
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    Output io{out, err, terminalStyle()};
    out << ExploreCommand::tr(
               "AnimeRec explorer: %1, models from %2 (loaded in %3 ms). Type help, "
               "Tab to complete, Ctrl-D to leave.")
               .arg(location->database, location->modelsDir)
               .arg(loading.elapsed())
        << "\n";
    for (const QString& line : explorer->modelSummary()) out << "  " << line << "\n";
    out.flush();
#if ANIMEREC_HAVE_LIBEDIT
    // History survives sessions; ANIMEREC_HISTORY_FILE moves it (tests keep theirs private).
    QString historyFile = qEnvironmentVariable("ANIMEREC_HISTORY_FILE");
    if (historyFile.isEmpty() && !QDir::homePath().isEmpty())
        historyFile = QDir::home().filePath(QStringLiteral(".animerec_history"));
    if (terminal) {
        rl_readline_name = "animerec";
        completingFor = explorer.get();
        rl_attempted_completion_function = complete;
        rl_completer_word_break_characters = const_cast<char*>(" \t");
        using_history();
        if (!historyFile.isEmpty()) read_history(historyFile.toLocal8Bit().constData());
    }
#endif
    int answered = 0;
    for (;;) {
        const auto line = readLine(terminal, "animerec> ");
        if (!line) {
            out << "\n";  // Ctrl-D: leave on a fresh line
            break;
        }
        const QStringList typed = words(*line);
        if (typed.isEmpty()) continue;
        const QString& command = typed.first();
        if (command == QLatin1String("quit") || command == QLatin1String("exit")) break;
        if (command == QLatin1String("help")) {
            out << helpText();
        } else if (command == QLatin1String("models")) {
            for (const QString& summary : explorer->modelSummary()) out << "  " << summary << "\n";
        } else if (typed.contains(QStringLiteral("--db")) ||
                   typed.contains(QStringLiteral("--models-dir"))) {
            err << ExploreCommand::tr(
                       "error: this session is open on %1; start another `animerec "
                       "explore --db ...` for another database")
                       .arg(location->database)
                << "\n";
        } else {
            QElapsedTimer timer;
            timer.start();
            err.flush();
            ask([&explorer] { return explorer.get(); }, typed, io);
            out << QStringLiteral("(%1 ms)\n").arg(double(timer.nsecsElapsed()) / 1e6, 0, 'f', 1);
            ++answered;
        }
        out.flush();
        err.flush();
    }
#if ANIMEREC_HAVE_LIBEDIT
    if (terminal && !historyFile.isEmpty()) write_history(historyFile.toLocal8Bit().constData());
#endif
    out.flush();
    return 0;
}

}  // namespace animerec::cli

// The terminal explorer over the real binary on the real sample: the one-shot commands
// (`recommend`, `similar`, `top`, `show`) with exact titles where the data fixes them, and
// `explore` driven through a pseudo terminal (scripted keys, the screen read back): answers, a
// wrong id, an ambiguous title, Tab completion, Ctrl-D.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

QStringList titles(const QJsonArray& items) {
    QStringList result;
    for (const QJsonValue& item : items) result << item.toObject().value("title").toString();
    return result;
}

}  // namespace

class TestExploreTerminal : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        db_ = dir_.filePath("db.sqlite");
        models_ = dir_.filePath("models");
        QCOMPARE(run({"import", "--anime", ANIMEREC_SAMPLE_DATA_DIR "/anime.csv", "--interactions",
                      ANIMEREC_SAMPLE_DATA_DIR "/rating_head_users1-1036.csv", "--db", db_})
                     .exitCode,
                 0);
        const Run trained =
            run({"train", "--db", db_, "--models", "popularity,content,ease,sasrec", "--param",
                 "sasrec.epochs=1", "--out-dir", models_, "--top100", ""});
        QVERIFY2(trained.exitCode == 0, trained.err.constData());
    }

    void showAnimeAndTop() {
        const Run anime = ask({"show", "anime", "1", "--json"});
        QCOMPARE(anime.exitCode, 0);
        QCOMPARE(anime.json().value("title").toString(), QString("Cowboy Bebop"));
        QCOMPARE(anime.json().value("members").toInteger(), qint64(486824));
        const QJsonObject audience = anime.json().value("audience").toObject();
        qint64 histogram = 0;
        for (const QJsonValue& count : audience.value("rating_histogram").toArray())
            histogram += count.toInt();
        QCOMPARE(histogram, qint64(audience.value("rated").toInt()));
        QVERIFY(audience.value("listed").toInt() >= audience.value("rated").toInt());
        // A title in any case finds the same anime.
        QCOMPARE(
            ask({"show", "anime", "cowboy BEBOP", "--json"}).json().value("anime_id").toInteger(),
            qint64(1));

        const Run top = ask({"top", "--top-n", "3", "--json"});
        QCOMPARE(top.exitCode, 0);
        QCOMPARE(titles(top.json().value("items").toArray()),
                 (QStringList{"Death Note", "Shingeki no Kyojin", "Sword Art Online"}));
        const Run mecha = ask({"top", "--genre", "mecha", "--top-n", "5", "--json"});
        QCOMPARE(mecha.json().value("genre").toString(), QString("Mecha"));
        for (const QJsonValue& item : mecha.json().value("items").toArray())
            QVERIFY(item.toObject().value("genre").toString().contains("Mecha"));

        // "--by rating" orders by the Bayesian-weighted rating, so the text shows that column,
        // and it reads in order (the MAL rating column beside it need not).
        const Run byRating = ask({"top", "--by", "rating", "--top-n", "20"}, {"COLUMNS=120"});
        QCOMPARE(byRating.exitCode, 0);
        const QStringList lines = QString::fromUtf8(byRating.out).split(u'\n');
        QVERIFY2(lines.size() > 22 && lines.at(1).contains("weighted"), byRating.out.constData());
        const qsizetype columnEnd = lines.at(1).indexOf("weighted") + 8;
        double previous = std::numeric_limits<double>::infinity();
        for (int row = 2; row < 22; ++row) {
            bool isNumber = false;
            const double value = lines.at(row).mid(columnEnd - 8, 8).trimmed().toDouble(&isNumber);
            QVERIFY2(isNumber && value <= previous, qPrintable(lines.at(row)));
            previous = value;
        }
    }

    void recommendForAUserAndASession() {
        const Run user = ask({"show", "user", "1", "--history-limit", "0", "--json"});
        QCOMPARE(user.exitCode, 0);
        QSet<qint64> seen;
        for (const QJsonValue& row : user.json().value("history").toArray())
            seen.insert(row.toObject().value("anime_id").toInteger());
        QCOMPARE(qint64(seen.size()), user.json().value("listed").toInteger());

        const Run lists = ask({"recommend", "--user", "1", "--json"});
        QCOMPARE(lists.exitCode, 0);
        const QJsonArray families = lists.json().value("lists").toArray();
        QCOMPARE(families.size(), qsizetype(4));
        for (const QJsonValue& family : families) {
            const QJsonArray items = family.toObject().value("items").toArray();
            QCOMPARE(items.size(), qsizetype(10));
            for (const QJsonValue& item : items)
                QVERIFY2(!seen.contains(item.toObject().value("anime_id").toInteger()),
                         "a title the user already has was recommended");
        }
        QCOMPARE(families.at(2).toObject().value("model").toString(), QString("ease"));
        QVERIFY(families.at(2).toObject().value("items").toArray().at(0).toObject().contains(
            "because"));

        const Run session =
            ask({"recommend", "--history", "cowboy bebop, Trigun", "--model", "content", "--json"});
        QCOMPARE(session.exitCode, 0);
        QCOMPARE(session.json().value("query").toObject().value("history").toArray().size(),
                 qsizetype(2));
        // Text for a pipe: no colour, no line wider than COLUMNS.
        const Run text = ask({"recommend", "--user", "1"}, {"COLUMNS=90"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(!text.out.contains('\x1b'));
        for (const QByteArray& line : text.out.split('\n'))
            QVERIFY2(QString::fromUtf8(line).size() <= 90, line.constData());
        QVERIFY(text.out.contains("collaborative (ease)"));
    }

    void similarAndBadInput() {
        const Run similar = ask({"similar", "--anime", "Cowboy Bebop", "--top-n", "5", "--json"});
        QCOMPARE(similar.exitCode, 0);
        QCOMPARE(similar.json().value("anime").toObject().value("anime_id").toInteger(), qint64(1));
        for (const QJsonValue& list : similar.json().value("lists").toArray()) {
            const QJsonArray items = list.toObject().value("items").toArray();
            QCOMPARE(items.size(), qsizetype(5));
            for (const QJsonValue& item : items)
                QVERIFY(item.toObject().value("anime_id").toInteger() != 1);
        }
        const Run ambiguous = ask({"similar", "Code Geass"});
        QCOMPARE(ambiguous.exitCode, 1);
        QVERIFY2(ambiguous.err.contains("did you mean") &&
                     ambiguous.err.contains("Code Geass: Hangyaku no Lelouch"),
                 ambiguous.err.constData());
        const Run typo = ask({"show", "anime", "Cowboy Bebap"});
        QCOMPARE(typo.exitCode, 1);
        QVERIFY2(typo.err.contains("did you mean: Cowboy Bebop (1)"), typo.err.constData());
        const Run noUser = ask({"show", "user", "987654"});
        QCOMPARE(noUser.exitCode, 1);
        QVERIFY2(noUser.err.contains("user 987654 is not in the data"), noUser.err.constData());
        QCOMPARE(ask({"top", "--by", "fame"}).exitCode, 1);
        QCOMPARE(ask({"recommend"}).exitCode, 2);
        const Run noDb = run({"top", "--db", dir_.filePath("missing.sqlite")});
        QCOMPARE(noDb.exitCode, 1);
        QVERIFY(noDb.err.contains("missing.sqlite"));
    }

    // ANIMEREC_LANG=ru (or a Russian system locale): the same answers, in Russian.
    void speaksRussian() {
        const Run top = ask({"top", "--top-n", "3"}, {"ANIMEREC_LANG=ru"});
        QCOMPARE(top.exitCode, 0);
        QVERIFY2(QString::fromUtf8(top.out).contains(QStringLiteral("Топ по members")),
                 top.out.constData());
        QVERIFY(top.out.contains("Death Note"));
        const Run typo = ask({"show", "anime", "Cowboy Bebap"}, {"ANIMEREC_LANG=ru"});
        QCOMPARE(typo.exitCode, 1);
        QVERIFY2(QString::fromUtf8(typo.err).contains(
                     QStringLiteral("возможно, вы имели в виду: Cowboy Bebop (1)")),
                 typo.err.constData());
        // JSON stays the same in every language: keys and values are data.
        QCOMPARE(ask({"show", "anime", "1", "--json"}, {"ANIMEREC_LANG=ru"}).out,
                 ask({"show", "anime", "1", "--json"}).out);
    }

    void exploreInAPseudoTerminal() {
        winsize size{};
        size.ws_col = 110;
        size.ws_row = 40;
        int terminal = -1;
        const QByteArray binary = ANIMEREC_BIN;
        const QByteArray db = db_.toUtf8();
        const QByteArray models = models_.toUtf8();
        const QByteArray history = dir_.filePath("history").toUtf8();
        const pid_t child = ::forkpty(&terminal, nullptr, nullptr, &size);
        QVERIFY(child >= 0);
        if (child == 0) {
            ::setenv("ANIMEREC_HISTORY_FILE", history.constData(), 1);
            ::setenv("TERM", "xterm", 1);
            ::setenv("ANIMEREC_LANG", "en", 1);
            ::unsetenv("NO_COLOR");
            ::execl(binary.constData(), binary.constData(), "explore", "--db", db.constData(),
                    "--models-dir", models.constData(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        terminal_ = terminal;
        QVERIFY2(readUntil("animerec> ", 120000), screen_.constData());
        QVERIFY(screen_.contains("collaborative: ease"));

        type("show anime 1\r");
        QVERIFY2(readUntil("animerec> "), screen_.constData());
        QVERIFY(screen_.contains("Cowboy Bebop (1)"));
        QVERIFY(screen_.contains("\x1b[1m"));  // bold: colour on a terminal

        type("show anime 999999999\r");
        QVERIFY2(readUntil("animerec> "), screen_.constData());
        QVERIFY(screen_.contains("no anime matches '999999999'"));

        type("similar \"Code Geass\"\r");
        QVERIFY2(readUntil("animerec> "), screen_.constData());
        QVERIFY(screen_.contains("did you mean"));

        // Tab completes the genre: "Mec" -> "Mecha" (the line editor echoes the completed "ha").
        type("top --top-n 3 --genre Mec\t");
        QVERIFY2(readUntil("ha "), screen_.constData());
        type("\r");
        QVERIFY2(readUntil("animerec> "), screen_.constData());
        QVERIFY2(screen_.contains("Top by members in Mecha"), screen_.constData());
        QVERIFY(screen_.contains("Code Geass: Hangyaku no Lelouch"));

        type("recommend --user 1 --top-n 5\r");
        QVERIFY2(readUntil("animerec> "), screen_.constData());
        QVERIFY(screen_.contains("because you watched"));
        // Every answer says how long it took; the models were loaded once, at the start.
        const QRegularExpression timing(QStringLiteral("\\((\\d+\\.\\d) ms\\)"));
        auto matches = timing.globalMatch(QString::fromUtf8(transcript_));
        QStringList timings;
        while (matches.hasNext()) timings << matches.next().captured(1);
        qInfo("answer times (ms): %s", qPrintable(timings.join(", ")));
        QCOMPARE(timings.size(), 5);

        // The line editor prints its prompt before it leaves canonical mode; a Ctrl-D that lands
        // in between is taken by the line discipline as end-of-file and lost in the switch. So
        // wait until the terminal is raw (tcgetattr on the master reads the slave's mode).
        QVERIFY2(waitForLineEditor(), "the line editor never took the terminal");
        type("\x04");  // Ctrl-D leaves
        // Reaped, not merely "no change yet": a loaded machine may take a while to leave.
        int status = 0;
        pid_t reaped = 0;
        // The terminal is drained meanwhile: a child writing to a full pseudo terminal blocks.
        for (int waited = 0; waited < 120000 && (reaped = ::waitpid(child, &status, WNOHANG)) == 0;
             waited += 20)
            drainFor(20);
        if (reaped != child) {
            // Say where the child waits, so a hang can be told from a slow machine.
            QFile wchan(QStringLiteral("/proc/%1/wchan").arg(child));
            QFile stat(QStringLiteral("/proc/%1/stat").arg(child));
            wchan.open(QIODevice::ReadOnly);
            stat.open(QIODevice::ReadOnly);
            const QByteArray state = "explore did not leave on Ctrl-D within two minutes; wchan " +
                                     wchan.readAll() + ", stat " + stat.readAll() +
                                     ", last output: " + transcript_.right(200);
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            QFAIL(state.constData());
        }
        QVERIFY2(WIFEXITED(status), "explore did not exit normally on Ctrl-D");
        QCOMPARE(WEXITSTATUS(status), 0);
        ::close(terminal);
        terminal_ = -1;
        QVERIFY(QFile(QString::fromUtf8(history)).exists());  // the history was kept
    }

    void cleanupTestCase() {
        if (terminal_ >= 0) ::close(terminal_);
    }

private:
    Run run(const QStringList& arguments, const QStringList& environment = {}) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ANIMEREC_LANG",
                   "en");  // the assertions read English unless a test says otherwise
        for (const QString& entry : environment)
            env.insert(entry.section('=', 0, 0), entry.section('=', 1));
        process.setProcessEnvironment(env);
        process.start(ANIMEREC_BIN, arguments);
        Run result;
        if (!process.waitForFinished(300000)) return result;
        result.exitCode = process.exitCode();
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }
    Run ask(QStringList arguments, const QStringList& environment = {}) {
        arguments << "--db" << db_ << "--models-dir" << models_;
        return run(arguments, environment);
    }

    void type(const QByteArray& keys) {
        screen_.clear();
        QCOMPARE(::write(terminal_, keys.constData(), static_cast<size_t>(keys.size())),
                 ssize_t(keys.size()));
    }
    // Reads the terminal until `marker` appears in what came since the last type().
    bool readUntil(const QByteArray& marker, int timeoutMs = 60000) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            if (screen_.contains(marker)) return true;
            pollfd fd{terminal_, POLLIN, 0};
            if (::poll(&fd, 1, 100) <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::read(terminal_, buffer, sizeof buffer);
            if (n <= 0) return screen_.contains(marker);
            screen_.append(buffer, n);
            transcript_.append(buffer, n);
        }
        return false;
    }

    // Whether the child's line editor has the terminal in raw (non-canonical) mode, within 60 s.
    bool waitForLineEditor() {
        QElapsedTimer timer;
        timer.start();
        termios mode{};
        while (timer.elapsed() < 60000) {
            if (::tcgetattr(terminal_, &mode) == 0 && (mode.c_lflag & ICANON) == 0) return true;
            drainFor(5);
        }
        return false;
    }

    // Reads whatever the child writes for `ms` milliseconds (into the transcript only).
    void drainFor(int ms) {
        pollfd fd{terminal_, POLLIN, 0};
        if (::poll(&fd, 1, ms) <= 0) return;
        char buffer[4096];
        const ssize_t n = ::read(terminal_, buffer, sizeof buffer);
        if (n > 0) transcript_.append(buffer, n);
    }

    QTemporaryDir dir_;
    QString db_;
    QString models_;
    int terminal_ = -1;
    QByteArray screen_;
    QByteArray transcript_;
};

QTEST_GUILESS_MAIN(TestExploreTerminal)
#include "test_explore_terminal.moc"

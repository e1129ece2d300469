#include "cli/explorer_text.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <algorithm>

namespace animerec::cli {

namespace {

// The headings and sentences of the text answers, translated (translations/animerec_ru.ts).
struct ExplorerText {
    Q_DECLARE_TR_FUNCTIONS(ExplorerText)
};

// Watch statuses as the JSON holds them, marked for translation.
[[maybe_unused]] const char* const kStatusNames[] = {
    QT_TRANSLATE_NOOP("ExplorerText", "listed"),
    QT_TRANSLATE_NOOP("ExplorerText", "watching"),
    QT_TRANSLATE_NOOP("ExplorerText", "completed"),
    QT_TRANSLATE_NOOP("ExplorerText", "on hold"),
    QT_TRANSLATE_NOOP("ExplorerText", "dropped"),
    QT_TRANSLATE_NOOP("ExplorerText", "plan to watch")};

QString statusText(const QString& status) { return ExplorerText::tr(status.toUtf8().constData()); }

QString bold(const QString& text, const TextStyle& style) {
    return style.colour ? QStringLiteral("\x1b[1m") + text + QStringLiteral("\x1b[0m") : text;
}

QString highlighted(const QString& text, const TextStyle& style) {
    return style.colour ? QStringLiteral("\x1b[33m") + text + QStringLiteral("\x1b[0m") : text;
}

// Cut to `width` characters, marking the cut with an ellipsis.
QString fitted(const QString& text, int width) {
    if (width <= 0) return {};
    if (text.size() <= width) return text.leftJustified(width);
    return text.left(width - 1) + QChar(0x2026);
}

// Without trailing blanks (leading ones align columns).
QString rightTrimmed(QString text) {
    while (!text.isEmpty() && text.back().isSpace()) text.chop(1);
    return text;
}

// 1013917 -> "1.0M", 715151 -> "715k", 0.4122 -> "0.412", 12.5 -> "12.5".
QString compact(double value) {
    const double magnitude = std::abs(value);
    if (magnitude >= 1e6) return QString::number(value / 1e6, 'f', 1) + u'M';
    if (magnitude >= 1e4) return QString::number(value / 1e3, 'f', 0) + u'k';
    if (magnitude >= 100) return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 3);
}

QString animeLabel(const QJsonObject& anime) {
    return QStringLiteral("%1 (%2)")
        .arg(anime.value("title").toString())
        .arg(anime.value("anime_id").toInteger());
}

// Lists side by side ("#  list1  list2 ..."), each cell "title score", shared titles marked "*";
// stacked one under another when the terminal is too narrow for them.
QString sideBySide(const QJsonArray& lists, const QSet<qint64>& shared, const TextStyle& style) {
    const int columns = static_cast<int>(lists.size());
    if (columns == 0) return {};
    const int rankWidth = 3;
    const int cell = (style.width - rankWidth) / columns - 1;
    QString out;
    // A list's scores share one width ("4.71" and "3.7" alike), so its titles are cut to the same
    // width and the scores form a column of their own.
    QVector<int> scoreWidths;
    for (const QJsonValue& list : lists) {
        qsizetype widest = 0;
        for (const QJsonValue& item : list.toObject().value("items").toArray())
            widest = std::max(widest, compact(item.toObject().value("score").toDouble()).size());
        scoreWidths << static_cast<int>(widest);
    }
    const auto cellText = [&](const QJsonObject& item, int width, int scoreColumn) {
        const bool isShared = shared.contains(item.value("anime_id").toInteger());
        const QString score = compact(item.value("score").toDouble()).rightJustified(scoreColumn);
        const QString title = fitted(item.value("title").toString(), width - scoreColumn - 3);
        const QString text =
            (isShared ? QStringLiteral("*") : QStringLiteral(" ")) + title + u' ' + score + u' ';
        return isShared ? highlighted(text, style) : text;
    };
    if (cell < 18) {  // too narrow: one list after another
        for (int column = 0; column < columns; ++column) {
            const QJsonObject list = lists.at(column).toObject();
            out += bold(list.value("role").toString(), style) + u'\n';
            if (list.contains("error")) {
                out += QStringLiteral("  %1\n").arg(list.value("error").toString());
                continue;
            }
            const int scoreColumn = scoreWidths.at(column);
            for (const QJsonValue& item : list.value("items").toArray())
                out += rightTrimmed(
                           QString::number(item.toObject().value("rank").toInt())
                               .rightJustified(rankWidth - 1) +
                           u' ' + cellText(item.toObject(), style.width - rankWidth, scoreColumn)) +
                       u'\n';
        }
        return out;
    }
    QString header = QStringLiteral(" #").leftJustified(rankWidth);
    int rows = 0;
    for (const QJsonValue& value : lists) {
        const QJsonObject list = value.toObject();
        const QString role = list.value("role").toString();
        const QString model = list.value("model").toString();
        const QString name =
            model.isEmpty() || model == role ? role : QStringLiteral("%1 (%2)").arg(role, model);
        header += u' ' + fitted(name, cell);
        rows = std::max(rows, static_cast<int>(list.value("items").toArray().size()));
    }
    out += bold(rightTrimmed(header), style) + u'\n';
    for (int row = 0; row < rows; ++row) {
        QString line = QString::number(row + 1).rightJustified(rankWidth - 1) + u' ';
        for (int column = 0; column < columns; ++column) {
            const QJsonArray items = lists.at(column).toObject().value("items").toArray();
            line += row < items.size()
                        ? cellText(items.at(row).toObject(), cell + 1, scoreWidths.at(column))
                        : QString(cell + 1, u' ');
        }
        out += rightTrimmed(line) + u'\n';
    }
    return out;
}

QString strategies(const QJsonArray& lists) {
    QString out;
    for (const QJsonValue& value : lists) {
        const QJsonObject list = value.toObject();
        out += QStringLiteral("  %1: ").arg(list.value("role").toString(), -13);
        if (list.contains("error"))
            out += list.value("error").toString() + u'\n';
        else
            out += QStringLiteral("%1 %2, %3\n")
                       .arg(list.value("model").toString(), list.value("version").toString(),
                            list.value("strategy").toString());
    }
    return out;
}

QSet<qint64> sharedIds(const QJsonObject& answer) {
    QSet<qint64> ids;
    for (const QJsonValue& id : answer.value("shared").toArray()) ids.insert(id.toInteger());
    return ids;
}

}  // namespace

TextStyle terminalStyle() {
    TextStyle style;
    const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    winsize size{};
    if (terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        style.width = size.ws_col;
    else if (const int columns = qEnvironmentVariableIntValue("COLUMNS"); columns > 0)
        style.width = columns;
    style.colour = terminal && !qEnvironmentVariableIsSet("NO_COLOR");
    return style;
}

QString recommendText(const QJsonObject& answer, const TextStyle& style) {
    const QJsonObject query = answer.value("query").toObject();
    QString out;
    if (query.contains("user_id"))
        out += bold(ExplorerText::tr("User %1%2")
                        .arg(query.value("user_id").toInteger())
                        .arg(query.value("known_user").toBool()
                                 ? QString()
                                 : ExplorerText::tr(" (not in the data: cold start)")),
                    style);
    else {
        QStringList ids;
        for (const QJsonValue& id : query.value("history").toArray())
            ids << QString::number(id.toInteger());
        out += bold(ExplorerText::tr("Session [%1]").arg(ids.join(QStringLiteral(", "))), style);
    }
    const QJsonArray lists = answer.value("lists").toArray();
    out += ExplorerText::tr("   * = in two or more lists\n");
    out += sideBySide(lists, sharedIds(answer), style);
    out += ExplorerText::tr("strategies:\n") + strategies(lists);
    QString reasons;
    for (const QJsonValue& value : lists)
        for (const QJsonValue& item : value.toObject().value("items").toArray()) {
            const QJsonArray because = item.toObject().value("because").toArray();
            if (because.isEmpty()) continue;
            QStringList titles;
            for (const QJsonValue& anime : because)
                titles << anime.toObject().value("title").toString();
            reasons += fitted(QStringLiteral("  %1 #%2 %3 <- %4")
                                  .arg(value.toObject().value("role").toString())
                                  .arg(item.toObject().value("rank").toInt())
                                  .arg(item.toObject().value("title").toString(),
                                       titles.join(QStringLiteral(", "))),
                              style.width - 1)
                           .trimmed() +
                       u'\n';
        }
    if (!reasons.isEmpty()) out += ExplorerText::tr("because you watched:\n") + reasons;
    return out;
}

QString similarText(const QJsonObject& answer, const TextStyle& style) {
    QString out =
        bold(ExplorerText::tr("Like %1").arg(animeLabel(answer.value("anime").toObject())), style) +
        ExplorerText::tr("   * = in two or more lists\n");
    const QJsonArray lists = answer.value("lists").toArray();
    QHash<qint64, int> seen;
    for (const QJsonValue& list : lists)
        for (const QJsonValue& item : list.toObject().value("items").toArray())
            ++seen[item.toObject().value("anime_id").toInteger()];
    QSet<qint64> shared;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        if (it.value() >= 2) shared.insert(it.key());
    out += sideBySide(lists, shared, style);
    out += ExplorerText::tr("strategies:\n") + strategies(lists);
    return out;
}

QString topText(const QJsonObject& answer, const TextStyle& style) {
    const QString genre = answer.value("genre").toString();
    const QString by = answer.value("by").toString();
    QString out = bold(ExplorerText::tr("Top by %1%2")
                           .arg(by, genre.isEmpty() ? QString() : ExplorerText::tr(" in ") + genre),
                       style) +
                  u'\n';
    // The value the list is ordered by, where no other column shows it: the Bayesian-weighted
    // rating behind "--by rating" (the MAL rating column alone would look out of order), the
    // count of lists in the data behind "--by interactions".
    const bool weighted = by == QStringLiteral("rating");
    const QString scoreName = weighted                               ? ExplorerText::tr("weighted")
                              : by == QStringLiteral("interactions") ? ExplorerText::tr("lists")
                                                                     : QString();
    const int scoreWidth = scoreName.isEmpty() ? 0 : std::max<int>(8, scoreName.size()) + 1;
    const int titleWidth = std::max(20, style.width - 4 - 10 - 8 - 7 - 24 - scoreWidth);
    out +=
        QStringLiteral("  # %1 %2 %3 %4%5 %6\n")  // column names translated below
            .arg(ExplorerText::tr("title"), -titleWidth)
            .arg(QStringLiteral("id"), 7)
            .arg(ExplorerText::tr("members"), 9)
            .arg(ExplorerText::tr("rating"), 6)
            .arg(scoreName.isEmpty() ? QString() : u' ' + scoreName.rightJustified(scoreWidth - 1))
            .arg(ExplorerText::tr("genre"));
    for (const QJsonValue& value : answer.value("items").toArray()) {
        const QJsonObject item = value.toObject();
        const QJsonValue rating = item.value("rating");
        const double score = item.value("score").toDouble();
        const QString scoreText = scoreName.isEmpty()
                                      ? QString()
                                      : u' ' + (weighted ? QString::number(score, 'f', 2)
                                                         : QString::number(qint64(score)))
                                                   .rightJustified(scoreWidth - 1);
        out += rightTrimmed(
                   fitted(QStringLiteral("%1 %2 %3 %4 %5%6 %7")
                              .arg(item.value("rank").toInt(), 3)
                              .arg(fitted(item.value("title").toString(), titleWidth))
                              .arg(item.value("anime_id").toInteger(), 7)
                              .arg(item.value("members").toInteger(), 9)
                              .arg(rating.isNull() ? QStringLiteral("-")
                                                   : QString::number(rating.toDouble(), 'f', 2),
                                   6)
                              .arg(scoreText)
                              .arg(item.value("genre").toString()),
                          style.width - 1)) +
               u'\n';
    }
    return out;
}

QString animeText(const QJsonObject& answer, const TextStyle& style) {
    QStringList genres;
    for (const QJsonValue& genre : answer.value("genres").toArray()) genres << genre.toString();
    const auto orDash = [](const QJsonValue& value) {
        return value.isNull() || value.isUndefined() ? QStringLiteral("-")
                                                     : value.toVariant().toString();
    };
    QString out = bold(animeLabel(answer), style) + u'\n';
    out += ExplorerText::tr(
               "  genres    %1\n  type      %2\n  episodes  %3\n"
               "  rating    %4 (MyAnimeList)\n  members   %5\n")
               .arg(genres.join(QStringLiteral(", ")), answer.value("type").toString(),
                    orDash(answer.value("episodes")), orDash(answer.value("rating")),
                    orDash(answer.value("members")));
    const QJsonObject audience = answer.value("audience").toObject();
    QStringList statuses;
    const QJsonObject byStatus = audience.value("by_status").toObject();
    for (auto it = byStatus.begin(); it != byStatus.end(); ++it)
        statuses << QStringLiteral("%1 %2").arg(it.value().toInt()).arg(statusText(it.key()));
    out += ExplorerText::tr("  in this data: listed by %1 users (%2); %3 rated it, mean %4\n")
               .arg(audience.value("listed").toInt())
               .arg(statuses.isEmpty() ? ExplorerText::tr("none")
                                       : statuses.join(QStringLiteral(", ")))
               .arg(audience.value("rated").toInt())
               .arg(audience.value("mean_rating").isNull()
                        ? QStringLiteral("-")
                        : QString::number(audience.value("mean_rating").toDouble(), 'f', 2));
    const QJsonArray histogram = audience.value("rating_histogram").toArray();
    int most = 1;
    for (const QJsonValue& count : histogram) most = std::max(most, count.toInt());
    const int barWidth = std::max(10, style.width - 20);
    if (audience.value("rated").toInt() > 0)
        for (qsizetype score = histogram.size() - 1; score >= 0; --score) {
            const int count = histogram.at(score).toInt();
            out += QStringLiteral("  %1 %2 %3\n")
                       .arg(score + 1, 3)
                       .arg(QString(count * barWidth / most, u'#'))
                       .arg(count);
        }
    return out;
}

QString userText(const QJsonObject& answer, const TextStyle& style) {
    QStringList favourites;
    for (const QJsonValue& genre : answer.value("favourite_genres").toArray())
        favourites << genre.toString();
    QStringList statuses;
    const QJsonObject byStatus = answer.value("by_status").toObject();
    for (auto it = byStatus.begin(); it != byStatus.end(); ++it)
        statuses << QStringLiteral("%1 %2").arg(it.value().toInt()).arg(statusText(it.key()));
    QString out =
        bold(ExplorerText::tr("User %1").arg(answer.value("user_id").toInteger()), style) + u'\n';
    out += ExplorerText::tr("  %1 titles (%2); %3 rated, mean %4\n  favourite genres: %5\n")
               .arg(answer.value("listed").toInteger())
               .arg(statuses.join(QStringLiteral(", ")))
               .arg(answer.value("rated").toInt())
               .arg(answer.value("mean_rating").isNull()
                        ? QStringLiteral("-")
                        : QString::number(answer.value("mean_rating").toDouble(), 'f', 2))
               .arg(favourites.join(QStringLiteral(", ")));
    const QJsonArray history = answer.value("history").toArray();
    out +=
        ExplorerText::tr("  history, oldest first (the last %1; order = file position or time):\n")
            .arg(history.size());
    const int titleWidth = std::max(20, style.width - 6 - 8 - 14 - 22);
    out += QStringLiteral("%1 %2 %3 %4 %5\n")
               .arg(QStringLiteral("#"), 5)
               .arg(ExplorerText::tr("title (id)"), -titleWidth)
               .arg(ExplorerText::tr("rating"), 6)
               .arg(ExplorerText::tr("status"), -13)
               .arg(ExplorerText::tr("order / time"));
    for (const QJsonValue& value : history) {
        const QJsonObject row = value.toObject();
        const QJsonValue rating = row.value("rating");
        out += rightTrimmed(fitted(QStringLiteral("%1 %2 %3 %4 %5")
                                       .arg(row.value("position").toInteger(), 5)
                                       .arg(fitted(animeLabel(row), titleWidth))
                                       .arg(rating.isNull() ? QStringLiteral("-")
                                                            : QString::number(rating.toDouble()),
                                            6)
                                       .arg(statusText(row.value("status").toString()), -13)
                                       .arg(row.value("order").toVariant().toString()),
                                   style.width - 1)) +
               u'\n';
    }
    return out;
}

}  // namespace animerec::cli

// The explorer's text tables (cli/explorer_text.h) from a fixed answer: a list's scores form a
// column of their own, whatever their printed width ("4.71", "3.7"), and a title too long for its
// cell is cut short of that column, side by side and stacked alike.
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include "cli/explorer_text.h"

using animerec::cli::similarText;
using animerec::cli::TextStyle;

namespace {

QJsonObject item(qint64 id, const QString& title, double score, int rank) {
    return {{"anime_id", id}, {"title", title}, {"score", score}, {"rank", rank}};
}

// What `similar` answers for Cowboy Bebop: Tengoku no Tobira, two lists of it: the session list
// prints 4.71 in four characters and 3.70 in three ("3.7"), beside a title too long for any cell.
QJsonObject similarAnswer() {
    const QJsonArray content = {item(4037, "Cowboy Bebop: Yose Atsume Blues", 0.602, 1),
                                item(1, "Cowboy Bebop", 0.586, 2), item(1490, "Xevious", 0.5, 3)};
    const QJsonArray session = {
        item(16498, "Shingeki no Kyojin", 4.71, 1),
        item(14967, "Watashi ga Motenai no wa Dou Kangaetemo Omaera ga Warui!", 3.70, 2),
        item(6547, "Another", 4.05, 3)};
    return {{"anime", QJsonObject{{"anime_id", 5}, {"title", "Cowboy Bebop: Tengoku no Tobira"}}},
            {"lists", QJsonArray{QJsonObject{{"role", "content"},
                                             {"model", "content"},
                                             {"strategy", "content_similarity"},
                                             {"items", content}},
                                 QJsonObject{{"role", "session"},
                                             {"model", "sasrec"},
                                             {"strategy", "item_to_item"},
                                             {"items", session}}}},
            {"shared", QJsonArray{}}};
}

// The table rows of the list that ends each line ("  2  title  3.7"): one per rank.
QStringList rowsEndingWithScores(const QString& text) {
    static const QRegularExpression row(QStringLiteral("^ ?\\d+ "));
    QStringList rows;
    for (const QString& line : text.split(u'\n'))
        if (row.match(line).hasMatch()) rows << line;
    return rows;
}

// Every row's last field is its score, and some character column is blank in every row between
// the titles and the scores: the scores stand apart from the titles as a column.
void verifyScoresFormAColumn(const QStringList& rows) {
    QVERIFY(!rows.isEmpty());
    qsizetype lastTitleCharacter = 0;
    qsizetype firstScoreCharacter = std::numeric_limits<qsizetype>::max();
    for (const QString& line : rows) {
        const qsizetype scoreStart = line.lastIndexOf(u' ') + 1;
        bool isNumber = false;
        line.mid(scoreStart).toDouble(&isNumber);
        QVERIFY2(isNumber, qPrintable(line));
        qsizetype titleEnd = scoreStart - 1;
        while (titleEnd > 0 && line.at(titleEnd).isSpace()) --titleEnd;
        lastTitleCharacter = std::max(lastTitleCharacter, titleEnd);
        firstScoreCharacter = std::min(firstScoreCharacter, scoreStart);
    }
    QVERIFY2(lastTitleCharacter + 1 < firstScoreCharacter, qPrintable(rows.join(u'\n')));
}

}  // namespace

class TestExplorerText : public QObject {
    Q_OBJECT
private slots:
    void sideBySideScoresFormAColumn() {
        const QString text = similarText(similarAnswer(), TextStyle{120, false});
        const QStringList rows = rowsEndingWithScores(text);
        QCOMPARE(rows.size(), qsizetype(3));
        verifyScoresFormAColumn(rows);
        QVERIFY2(rows.at(1).contains(QChar(0x2026)), qPrintable(text));  // the long title, cut
        for (const QString& line : text.split(u'\n'))
            QVERIFY2(line.size() <= 120, qPrintable(line));
    }

    // Too narrow for two lists: one under the other, each with its own score column.
    void stackedScoresFormAColumn() {
        const QString text = similarText(similarAnswer(), TextStyle{36, false});
        const qsizetype sessionStart = text.indexOf(QStringLiteral("\nsession"));
        QVERIFY2(sessionStart > 0, qPrintable(text));
        const QStringList contentRows = rowsEndingWithScores(text.left(sessionStart));
        const QStringList sessionRows = rowsEndingWithScores(text.mid(sessionStart));
        QCOMPARE(contentRows.size(), qsizetype(3));
        QCOMPARE(sessionRows.size(), qsizetype(3));
        verifyScoresFormAColumn(contentRows);
        verifyScoresFormAColumn(sessionRows);
    }
};

QTEST_APPLESS_MAIN(TestExplorerText)
#include "test_explorer_text.moc"

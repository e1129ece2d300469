// CsvReader edge cases (RFC 4180 quoting, line endings, BOM, line numbers, broken quotes),
// HTML entity decoding and date-time parsing.
#include <QtTest>
#include <chrono>
#include <sstream>
#include <string>

#include "data/csv_layouts.h"
#include "data/csv_reader.h"
#include "data/html_entities.h"

using namespace animerec;

namespace {

// Records as "LINE:field|field|..." or "LINE!error", joined by newlines.
QString readAll(const std::string& text, std::size_t blockBytes) {
    std::istringstream input(text);
    CsvReader reader(input, ',', blockBytes);
    CsvRow row;
    QStringList records;
    while (reader.next(row)) {
        if (!row.error.empty()) {
            records << QString::number(row.line) + "!" + QString::fromStdString(row.error);
            continue;
        }
        QStringList fields;
        for (auto field : row.fields)
            fields << QString::fromUtf8(field.data(), qsizetype(field.size()));
        records << QString::number(row.line) + ":" + fields.join('|');
    }
    return records.join('\n');
}

}  // namespace

class TestCsvReader : public QObject {
    Q_OBJECT

private slots:
    void records_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("plain LF") << QByteArray("a,b\n1,2\n") << "1:a|b\n2:1|2";
        QTest::addRow("CRLF") << QByteArray("a,b\r\n1,2\r\n") << "1:a|b\n2:1|2";
        QTest::addRow("no final newline") << QByteArray("a,b\n1,2") << "1:a|b\n2:1|2";
        QTest::addRow("CRLF no final newline") << QByteArray("a\r\nx,\r") << "1:a\n2:x|";
        QTest::addRow("BOM") << QByteArray("\xEF\xBB\xBFid,name\n1,x\n") << "1:id|name\n2:1|x";
        QTest::addRow("empty fields") << QByteArray(",,\n") << "1:||";
        QTest::addRow("trailing delimiter at EOF") << QByteArray("a,") << "1:a|";
        QTest::addRow("quoted comma")
            << QByteArray("1,\"Drama, Romance\",TV\n") << "1:1|Drama, Romance|TV";
        QTest::addRow("doubled quotes") << QByteArray("\"say \"\"hi\"\"\",2\n") << "1:say \"hi\"|2";
        QTest::addRow("only doubled quote") << QByteArray("\"\"\"\"\n") << "1:\"";
        QTest::addRow("empty quoted") << QByteArray("\"\",x\n") << "1:|x";
        QTest::addRow("newline inside quotes, line numbers")
            << QByteArray("h\n\"two\nlines\",b\nnext,c\n") << "1:h\n2:two\nlines|b\n4:next|c";
        QTest::addRow("CRLF inside quotes kept")
            << QByteArray("\"a\r\nb\"\r\nz\r\n") << "1:a\r\nb\n3:z";
        QTest::addRow("blank lines skipped, counted") << QByteArray("a\n\n\r\nb\n") << "1:a\n4:b";
        QTest::addRow("quote inside unquoted field is data")
            << QByteArray("ab\"c,d\n") << "1:ab\"c|d";
        QTest::addRow("text after closing quote kept") << QByteArray("\"a\"b,c\n") << "1:ab|c";
        QTest::addRow("unterminated quote resyncs on next line")
            << QByteArray("id,t\n1,\"open\n2,ok\n") << "1:id|t\n2!unterminated quote\n3:2|ok";
        QTest::addRow("unterminated quote on last line")
            << QByteArray("a\n\"b") << "1:a\n2!unterminated quote";
        QTest::addRow("UTF-8 untouched") << QByteArray("Gintama\xC2\xB0,\xE2\x98\x85\n")
                                         << QString::fromUtf8("1:Gintama\xC2\xB0|\xE2\x98\x85");
        QTest::addRow("empty input") << QByteArray("") << "";
        QTest::addRow("long field across blocks")
            << QByteArray("x," + QByteArray(100, 'y') + "\n\"" + QByteArray(50, 'q') + "\"\n")
            << "1:x|" + QString(100, 'y') + "\n2:" + QString(50, 'q');
    }

    void records() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const std::string text = input.toStdString();
        // A 16-byte block puts block boundaries inside fields, quotes and CRLF pairs.
        QCOMPARE(readAll(text, 16), expected);
        QCOMPARE(readAll(text, CsvReader::kDefaultBlockBytes), expected);
    }

    void everySplitPointGivesTheSameRecords() {
        const std::string text = "a,\"b\"\"c\",d\r\n\"x\r\ny\",z\r\n\r\nlast,\"q\"";
        const QString expected = readAll(text, 1 << 20);
        for (std::size_t block = 16; block < 40; ++block) QCOMPARE(readAll(text, block), expected);
    }

    void recordLongerThanLimitIsRejected() {
        std::string text = "a,\"" + std::string(200, 'x') + "\nb,c\n";
        for (int i = 0; i < 20; ++i) text += std::string(20, 'z') + "\n";
        std::istringstream input(text);
        CsvReader reader(input, ',', 16, 64);
        CsvRow row;
        QVERIFY(reader.next(row));
        QCOMPARE(row.line, 1);
        QVERIFY(QString::fromStdString(row.error).contains("longer than 64"));
        QVERIFY(reader.next(row));
        QCOMPARE(row.line, 2);
        QCOMPARE(row.fields.size(), std::size_t{2});
    }

    void parsesManyRowsFast() {
        // 2M short rows; the import target is ~10M rows in a few seconds.
        std::string text;
        text.reserve(2'000'000 * 16);
        for (int i = 0; i < 2'000'000; ++i)
            text += std::to_string(i % 70000) + ",1234," + std::to_string(i % 11 - 1) + "\n";
        std::istringstream input(text);
        CsvReader reader(input);
        CsvRow row;
        std::int64_t count = 0;
        std::size_t fields = 0;
        const auto start = std::chrono::steady_clock::now();
        while (reader.next(row)) {
            ++count;
            fields += row.fields.size();
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QCOMPARE(count, 2'000'000);
        QCOMPARE(fields, std::size_t{6'000'000});
        qInfo("2M rows in %.3f s", seconds);
        QVERIFY2(seconds < 2.0, "CsvReader is too slow");
    }

    void htmlEntities_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("&#039;") << "Gintama&#039;"
                                << "Gintama'";
        QTest::addRow("&#39;") << "a&#39;b"
                               << "a'b";
        QTest::addRow("&amp;") << "Tom &amp; Jerry"
                               << "Tom & Jerry";
        QTest::addRow("&quot;") << "&quot;Bungaku Shoujo&quot;"
                                << "\"Bungaku Shoujo\"";
        QTest::addRow("&gt; &lt;") << "a &gt; b &lt; c"
                                   << "a > b < c";
        QTest::addRow("&apos;") << "&apos;"
                                << "'";
        QTest::addRow("hex to UTF-8")
            << "&#xB0;&#x2605;" << QString::fromUtf8("\xC2\xB0\xE2\x98\x85");
        QTest::addRow("decimal 4-byte") << "&#128512;" << QString::fromUtf8("\xF0\x9F\x98\x80");
        QTest::addRow("unknown kept") << "&nbsp;x &foo"
                                      << "&nbsp;x &foo";
        QTest::addRow("bare ampersand") << "R&D; a & b"
                                        << "R&D; a & b";
        QTest::addRow("surrogate kept") << "&#xD800;"
                                        << "&#xD800;";
        QTest::addRow("no entities") << "Kimi no Na wa."
                                     << "Kimi no Na wa.";
    }

    void htmlEntities() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(decodeHtmlEntities(input.toStdString())), expected);
    }

    void dateTimes_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<qint64>("expected");  // -1 = not a date-time
        QTest::addRow("epoch") << "1970-01-01 00:00:00" << qint64(0);
        QTest::addRow("2018 space form") << "2013-03-03 10:52:53" << qint64(1362307973);
        QTest::addRow("ISO +00:00") << "2022-06-16T10:55:05+00:00" << qint64(1655376905);
        QTest::addRow("ISO Z fraction") << "2022-06-16T10:55:05.250Z" << qint64(1655376905);
        QTest::addRow("ISO +02:00") << "2022-06-16T12:55:05+02:00" << qint64(1655376905);
        QTest::addRow("leap day") << "2020-02-29 00:00:00" << qint64(1582934400);
        QTest::addRow("not leap") << "2021-02-29 00:00:00" << qint64(-1);
        QTest::addRow("date only") << "2013-03-03" << qint64(-1);
        QTest::addRow("zero date") << "0000-00-00 00:00:00" << qint64(-1);
        QTest::addRow("garbage tail") << "2013-03-03 10:52:53x" << qint64(-1);
    }

    void dateTimes() {
        QFETCH(QString, input);
        QFETCH(qint64, expected);
        const auto parsed = parseDateTime(input.toStdString());
        QCOMPARE(parsed ? qint64(*parsed) : qint64(-1), expected);
    }
};

QTEST_APPLESS_MAIN(TestCsvReader)
#include "test_csv_reader.moc"

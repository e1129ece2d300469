// The request log's hand-assembled JSON lines: every value survives a round trip through Qt's
// JSON parser, lines are one per record, and the file rotates at its size limit.
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "service/json_line_writer.h"
#include "service/request_log.h"

using namespace animerec::service;

class TestRequestLog : public QObject {
    Q_OBJECT

private slots:
    void valuesRoundTripThroughQtsParser();
    void numbersAreWrittenLikeQJsonDocument();
    void timeIsCurrentUtcWithMilliseconds();
    void recordsOneParsableLinePerRequestAndRotates();
    void levelFiltersRequestsAndEvents();
};

void TestRequestLog::valuesRoundTripThroughQtsParser() {
    const QJsonObject original{
        {"plain", "anime"},
        {"quotes and slashes", R"(say "hi" \ C:\path)"},
        {"controls", QString("line\nbreak\ttab\rcr") + QChar(0x01) + QChar(0x1f)},
        {"unicode", QString::fromUtf8("Shingeki no Kyojin — 進撃の巨人 ☃ 😀")},
        {"numbers", QJsonArray{0, -7, 10, 2.5, 1e-9, 123456789012345.0, -0.0}},
        {"nested",
         QJsonObject{{"list", QJsonArray{true, false, QJsonValue()}}, {"empty", QJsonObject()}}},
        {"empty", ""},
    };
    QByteArray line;
    json_line::appendValue(line, original);
    QJsonParseError error{};
    const QJsonDocument parsed = QJsonDocument::fromJson(line, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + ": " + line));
    QCOMPARE(parsed.object(), original);
    QVERIFY2(!line.contains('\n') && !line.contains('\r'), line.constData());
}

void TestRequestLog::numbersAreWrittenLikeQJsonDocument() {
    const auto written = [](double value) {
        QByteArray out;
        json_line::appendNumber(out, value);
        return out;
    };
    QCOMPARE(written(10), QByteArray("10"));
    QCOMPARE(written(-3), QByteArray("-3"));
    QCOMPARE(written(0.25), QByteArray("0.25"));
    QCOMPARE(written(std::nan("")), QByteArray("null"));
    QByteArray fixed;
    json_line::appendFixed(fixed, 0.123456, 3);
    QCOMPARE(fixed, QByteArray("0.123"));
    fixed.clear();
    json_line::appendFixed(fixed, 12.0, 3);
    QCOMPARE(fixed, QByteArray("12.000"));
}

void TestRequestLog::timeIsCurrentUtcWithMilliseconds() {
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QByteArray quoted;
    json_line::appendUtcNow(quoted);
    const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1);
    QVERIFY2(quoted.startsWith('"') && quoted.endsWith("Z\""), quoted.constData());
    const QDateTime parsed = QDateTime::fromString(
        QString::fromLatin1(quoted.mid(1, quoted.size() - 2)), Qt::ISODateWithMs);
    QVERIFY2(parsed.isValid(), quoted.constData());
    QCOMPARE(parsed.timeSpec(), Qt::UTC);
    QVERIFY2(parsed >= before && parsed <= after, quoted.constData());
}

void TestRequestLog::recordsOneParsableLinePerRequestAndRotates() {
    QTemporaryDir dir;
    RequestLogOptions options;
    options.filePath = dir.filePath("log/requests.jsonl");
    options.maxFileBytes = 4096;
    options.keepFiles = 2;
    options.toStderr = false;
    int observed = 0;
    {
        RequestLog log(options);
        QVERIFY2(log.fileError().isEmpty(), qPrintable(log.fileError()));
        log.setObserver([&](const RequestLogEntry&) { ++observed; });
        for (int i = 0; i < 60; ++i)
            log.record({"POST", "/recommend_collaborative",
                        QJsonObject{{"user_id", i}, {"top_n", 10}, {"note", "a \"quoted\"\nvalue"}},
                        i % 3 == 0 ? 422 : 200, 0.5 + i, "als", "als-20261129",
                        i % 3 == 0 ? "bad top_n" : ""});
    }
    QCOMPARE(observed, 60);
    // 60 lines of ~250 bytes over 4 KiB files: the current file and two rotated ones remain.
    QVERIFY(QFile::exists(options.filePath + ".1"));
    QVERIFY(QFile::exists(options.filePath + ".2"));
    QVERIFY(!QFile::exists(options.filePath + ".3"));
    QFile current(options.filePath);
    QVERIFY(current.open(QIODevice::ReadOnly));
    QVERIFY(current.size() <= options.maxFileBytes);
    const QList<QByteArray> lines = current.readAll().trimmed().split('\n');
    QVERIFY(lines.size() > 3);
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value("params").toObject().value("user_id").toInt(), 59);
    QCOMPARE(last.value("params").toObject().value("note").toString(),
             QString("a \"quoted\"\nvalue"));
    QCOMPARE(last.value("status").toInt(), 200);
    QCOMPARE(last.value("latency_ms").toDouble(), 59.5);
    QCOMPARE(last.value("model_version").toString(), QString("als-20261129"));
    QCOMPARE(last.value("level").toString(), QString("info"));
    QVERIFY(!last.contains("message"));
    const QJsonObject refused = QJsonDocument::fromJson(lines[lines.size() - 3]).object();
    QCOMPARE(refused.value("level").toString(), QString("warning"));
    QCOMPARE(refused.value("message").toString(), QString("bad top_n"));
    for (const QByteArray& line : lines)
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
}

void TestRequestLog::levelFiltersRequestsAndEvents() {
    QTemporaryDir dir;
    RequestLogOptions options;
    options.filePath = dir.filePath("requests.jsonl");
    options.level = LogLevel::Warning;
    options.toStderr = false;
    {
        RequestLog log(options);
        log.record({"GET", "/top", {}, 200, 0.1, "popularity", "v1", ""});
        log.record({"GET", "/anime/{id}", QJsonObject{{"anime_id", 9}}, 404, 0.1, "", "",
                    "not in the catalogue"});
        log.event(LogLevel::Info, "listening");
        log.event(LogLevel::Error, "load failed");
    }
    QFile file(options.filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(2));
    QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value("status").toInt(), 404);
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value("event").toString(),
             QString("load failed"));
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value("level").toString(),
             QString("error"));
}

QTEST_GUILESS_MAIN(TestRequestLog)
#include "test_request_log.moc"

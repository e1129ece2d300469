// The quality gate of `animerec train` over the real binary on the real sample: the first ALS is
// published without comparison; a retrain with 2 factors scores worse on the validation split and
// is refused (exit code 3, both figures named, the served file untouched); --force publishes it
// anyway; a retrain with the default factors beats it and is published. Every decision is
// recorded (gate record, EvaluationRuns) and quoted by `show models` and a reload.
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "models/model_io.h"
#include "service/gate_record.h"
#include "service/model_registry.h"

using namespace animerec;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QByteArray digest(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

}  // namespace

class TestQualityGate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        db_ = dir_.filePath("db.sqlite");
        models_ = dir_.filePath("models");
        const Run imported =
            run({"import", "--anime", ANIMEREC_SAMPLE_DATA_DIR "/anime.csv", "--interactions",
                 ANIMEREC_SAMPLE_DATA_DIR "/rating_head_users1-1036.csv", "--db", db_});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
    }

    void firstModelIsPublishedWithoutComparison() {
        const Run first = train({"--param", "als.factors=8"});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const service::GateRecord gate = service::readGateRecord(models_, "collaborative");
        QCOMPARE(gate.decision, QString("first"));
        QCOMPARE(gate.candidateModel, QString("als"));
        QVERIFY(QFileInfo::exists(models_ + "/als.model"));
        QVERIFY(!QFileInfo::exists(models_ + "/als.model.new"));
    }

    void worseRetrainIsRefused() {
        const QByteArray before = digest(models_ + "/als.model");
        const Run worse = train({"--param", "als.factors=2"});
        QCOMPARE(worse.exitCode, 3);
        QVERIFY2(worse.err.contains("refused") && worse.err.contains("--force"),
                 worse.err.constData());
        const service::GateRecord gate = service::readGateRecord(models_, "collaborative");
        QCOMPARE(gate.decision, QString("refused"));
        QCOMPARE(gate.publishedModel, QString("als"));
        QVERIFY2(gate.candidateScore < gate.publishedScore * (1.0 - gate.margin),
                 qPrintable(gate.summary()));
        // Both figures are named in the message.
        QVERIFY(worse.err.contains(QByteArray::number(gate.candidateScore, 'f', 4)));
        QVERIFY(worse.err.contains(QByteArray::number(gate.publishedScore, 'f', 4)));
        // The served file is untouched and nothing half-written is left.
        QCOMPARE(digest(models_ + "/als.model"), before);
        QVERIFY(!QFileInfo::exists(models_ + "/als.model.new"));
        scores_ << gate.candidateScore << gate.publishedScore;
    }

    void forceAndBetterArePublished() {
        const Run forced = train({"--param", "als.factors=2", "--force"});
        QVERIFY2(forced.exitCode == 0, forced.err.constData());
        QCOMPARE(service::readGateRecord(models_, "collaborative").decision, QString("forced"));
        const QByteArray weak = digest(models_ + "/als.model");

        const Run better = train({});
        QVERIFY2(better.exitCode == 0, better.err.constData());
        const service::GateRecord gate = service::readGateRecord(models_, "collaborative");
        QCOMPARE(gate.decision, QString("published"));
        QVERIFY2(gate.candidateScore > gate.publishedScore, qPrintable(gate.summary()));
        QVERIFY(digest(models_ + "/als.model") != weak);
        QVERIFY(better.out.contains("quality gate, collaborative: passed"));
    }

    void decisionsAreRecordedAndQuoted() {
        // EvaluationRuns: one run per decision, in order.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "gate-check");
            db.setDatabaseName(db_);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec("SELECT protocol FROM EvaluationRuns ORDER BY run_id"));
            QStringList decisions;
            while (query.next()) {
                const QJsonObject protocol =
                    QJsonDocument::fromJson(query.value(0).toByteArray()).object();
                if (protocol.value("purpose").toString() == "quality_gate")
                    decisions << protocol.value("decision").toString();
            }
            QCOMPARE(decisions, (QStringList{"first", "refused", "forced", "published"}));
        }
        QSqlDatabase::removeDatabase("gate-check");
        // `animerec show models` quotes the last decision.
        const Run shown = run({"show", "models", "--models-dir", models_, "--json"});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        const QJsonObject roles = QJsonDocument::fromJson(shown.out).object();
        bool quoted = false;
        for (const QJsonValue& role : roles.value("roles").toArray())
            if (role.toObject().value("role").toString() == "collaborative")
                quoted =
                    role.toObject().value("quality_gate").toObject().value("decision").toString() ==
                    "published";
        QVERIFY2(quoted, shown.out.constData());
        // A reload says which gate the model it serves passed.
        service::ModelRegistry registry(loadModelFile);
        const service::ReloadReport report = registry.loadDirectory(models_);
        QVERIFY(report.ok());
        QVERIFY2(report.loaded.filter("als.model").value(0).contains("quality gate passed:"),
                 qPrintable(report.loaded.join("; ")));
    }

private:
    Run run(const QStringList& arguments) {
        QProcess process;
        process.start(ANIMEREC_BIN, arguments);
        Run result;
        if (!process.waitForFinished(600000)) return result;
        result.exitCode = process.exitCode();
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }
    Run train(const QStringList& extra) {
        return run(QStringList{"train", "--db", db_, "--models", "als", "--out-dir", models_,
                               "--top100", ""} +
                   extra);
    }

    QTemporaryDir dir_;
    QString db_;
    QString models_;
    QList<double> scores_;
};

QTEST_GUILESS_MAIN(TestQualityGate)
#include "test_quality_gate.moc"

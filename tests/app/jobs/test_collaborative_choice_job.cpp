// `animerec train collaborative` over the real binary on the real sample: the candidates compete
// on a validation split, the winner is saved with collaborative.json naming it and every
// candidate's validation figures, the model registry serves the winner with the recorded reason,
// and the validation table is stored as an evaluation run. Wrong families are refused before the
// data is read, and a database without interactions says what to do.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "models/model_io.h"
#include "service/model_registry.h"

using namespace animerec;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

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

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestCollaborativeChoiceJob : public QObject {
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

    void winnerIsSavedNamedAndServed() {
        const Run chosen = run({"train", "collaborative", "--db", db_, "--out-dir", models_,
                                "--families", "als,mf", "--threads", "2"});
        QVERIFY2(chosen.exitCode == 0, chosen.err.constData());
        const QJsonObject choice = readJson(models_ + "/collaborative.json");
        const QString winner = choice.value("model").toString();
        QVERIFY2(winner == "als" || winner == "mf", qPrintable(winner));
        QVERIFY2(chosen.out.contains("chosen: " + winner.toUtf8()), chosen.out.constData());
        QVERIFY(QFileInfo::exists(models_ + "/" + winner + ".model"));
        // Only the winner is fitted on all data and saved.
        const QString loser = winner == "als" ? "mf" : "als";
        QVERIFY(!QFileInfo::exists(models_ + "/" + loser + ".model"));

        // Both candidates with their validation NDCG@10, the winner's the larger.
        std::map<QString, double> ndcg;
        for (const QJsonValue& candidate : choice.value("candidates").toArray())
            ndcg[candidate.toObject().value("model").toString()] =
                candidate.toObject().value("validation").toObject().value("ndcg@10").toDouble();
        QCOMPARE(ndcg.size(), std::size_t(2));
        QVERIFY2(ndcg[winner] >= ndcg[loser],
                 qPrintable(QString("%1 %2 vs %3").arg(winner).arg(ndcg[winner]).arg(ndcg[loser])));
        QVERIFY(ndcg[loser] > 0.0);

        // The registry serves the winner and says why.
        service::ModelRegistry registry(loadModelFile);
        const service::ReloadReport report = registry.loadDirectory(models_);
        QVERIFY2(report.ok(), qPrintable(report.failed.join("; ")));
        const auto served = registry.get(service::ModelRole::Collaborative);
        QVERIFY(served);
        QCOMPARE(served->family, winner);
        QVERIFY2(registry.reason(service::ModelRole::Collaborative).contains("validation"),
                 qPrintable(registry.reason(service::ModelRole::Collaborative)));

        // The validation table is an evaluation run naming the choice.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "choice-check");
            db.setDatabaseName(db_);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec("SELECT protocol FROM EvaluationRuns ORDER BY run_id DESC"));
            QVERIFY(query.next());
            const QJsonObject protocol =
                QJsonDocument::fromJson(query.value(0).toByteArray()).object();
            QCOMPARE(protocol.value("chosen_collaborative").toString(), winner);
        }
        QSqlDatabase::removeDatabase("choice-check");
    }

    void wrongFamiliesAreRefused() {
        const Run notCollaborative = run({"train", "collaborative", "--db", db_, "--out-dir",
                                          models_, "--families", "als,popularity"});
        QCOMPARE(notCollaborative.exitCode, 2);
        QVERIFY2(notCollaborative.err.contains("'popularity' is not a collaborative family"),
                 notCollaborative.err.constData());
        const Run unknown = run(
            {"train", "collaborative", "--db", db_, "--out-dir", models_, "--families", "nosuch"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("nosuch"), unknown.err.constData());
    }

    void emptyDatabaseSaysToImport() {
        const QString empty = dir_.filePath("empty.sqlite");
        const QString header = dir_.filePath("no_ratings.csv");
        {
            QFile file(header);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("user_id,anime_id,rating\n");
        }
        const Run imported = run({"import", "--anime", ANIMEREC_SAMPLE_DATA_DIR "/anime.csv",
                                  "--interactions", header, "--db", empty});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const Run chosen = run({"train", "collaborative", "--db", empty, "--out-dir",
                                dir_.filePath("none"), "--families", "als"});
        QCOMPARE(chosen.exitCode, 1);
        QVERIFY2(chosen.err.contains("animerec import"), chosen.err.constData());
    }

private:
    QTemporaryDir dir_;
    QString db_;
    QString models_;
};

QTEST_GUILESS_MAIN(TestCollaborativeChoiceJob)
#include "test_collaborative_choice_job.moc"

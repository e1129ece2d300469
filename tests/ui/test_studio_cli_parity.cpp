// The command line and Studio run the same jobs (app/jobs): the real `animerec` binary and the
// real panels, given the same settings, produce the same evaluation report to the last digit,
// and accept and refuse the same parameter and variant texts with the same messages.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "jobs/parameter_syntax.h"
#include "jobs/variant_syntax.h"
#include "panels/experiments_panel.h"
#include "panels/metrics_panel.h"
#include "panels/results_model.h"
#include "panels/train_panel.h"
#include "studio_context.h"
#include "studio_test_data.h"

using namespace animerec;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run animerecRun(const QStringList& arguments) {
    QProcess process;
    process.start(QStringLiteral(ANIMEREC_BIN), arguments);
    Run result;
    if (!process.waitForFinished(600000)) return result;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// The report without the wall-clock times (the only numbers that differ between two runs).
QJsonObject withoutTimes(QJsonObject report) {
    QJsonObject models = report.value(QStringLiteral("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        QJsonObject model = it.value().toObject();
        model.remove(QStringLiteral("train_seconds"));
        model.remove(QStringLiteral("eval_seconds"));
        *it = model;
    }
    report.insert(QStringLiteral("models"), models);
    return report;
}

// The last line the command printed to stderr.
QString lastErrorLine(const Run& run) { return run.err.trimmed().split(u'\n').last(); }

}  // namespace

class TestStudioCliParity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString database_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        database_ = studio_test::makeDatabase(QDir(dir_.path()));
    }

    void evaluationReportsAreIdentical_data() {
        QTest::addColumn<QStringList>("models");
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("seed");
        QTest::addRow("popularity, content, als at K=10")
            << QStringList{"popularity", "content", "als"}
            << QStringLiteral("als.factors=16,als.iterations=5") << 10 << 42;
        QTest::addRow("ease at K=7, seed 3")
            << QStringList{"ease"} << QStringLiteral("ease.lambda=200") << 7 << 3;
    }

    void evaluationReportsAreIdentical() {
        QFETCH(QStringList, models);
        QFETCH(QString, parameters);
        QFETCH(int, k);
        QFETCH(int, seed);
        const QString json =
            dir_.filePath(QStringLiteral("cli-%1.json").arg(QTest::currentDataTag()));
        const Run cli = animerecRun({"evaluate", "--db", database_, "--models", models.join(','),
                                     "--param", parameters, "--k", QString::number(k), "--seed",
                                     QString::number(seed), "--json", json});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject fromCli = QJsonDocument::fromJson(file.readAll()).object();

        ui::StudioContext context(database_);
        ui::MetricsPanel panel(&context);
        jobs::EvaluationSettings settings;
        for (const QString& model : models) settings.models.push_back(model.toStdString());
        settings.k = k;
        settings.seed = static_cast<std::uint64_t>(seed);
        panel.setSettings(settings, parameters);
        QSignalSpy finished(&panel, &ui::MetricsPanel::evaluationFinished);
        QVERIFY(panel.startEvaluation());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
        const QJsonObject fromStudio =
            QJsonDocument::fromJson(QByteArray::fromStdString(panel.lastResult().report.toJson()))
                .object();

        // Same cut-offs, intervals and metrics; the defaults (K list, resamples) are one set.
        QVERIFY(fromCli.value("ks").toArray().contains(1));
        QVERIFY(fromCli.value("ks").toArray().contains(k));
        const QJsonObject first =
            fromCli.value("models").toObject().value(models.front()).toObject();
        QVERIFY2(first.contains(QStringLiteral("ndcg@%1_ci_low").arg(k)),
                 qPrintable(QJsonDocument(first).toJson()));
        QCOMPARE(fromStudio.value("models").toObject().keys(),
                 fromCli.value("models").toObject().keys());
        QCOMPARE(withoutTimes(fromStudio), withoutTimes(fromCli));
        QCOMPARE(studio_test::child<ui::EvaluationResultsModel>(panel, "results")->k(), k);
    }

    void parameterTextsAgree_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");  // empty: accepted
        QTest::addRow("fixed values")
            << QStringLiteral("popularity.mode=1, ease.lambda=200; als.factors=16") << QString();
        QTest::addRow("no family") << QStringLiteral("factors=3")
                                   << QStringLiteral(
                                          "parameter 'factors=3': expected a model "
                                          "family before the name, e.g. als.factors=64");
        QTest::addRow("no value") << QStringLiteral("als.factors")
                                  << QStringLiteral(
                                         "parameter 'als.factors': expected "
                                         "FAMILY.NAME=VALUE, e.g. als.factors=64");
        QTest::addRow("not a number") << QStringLiteral("als.factors=many")
                                      << QStringLiteral(
                                             "parameter 'als.factors=many': 'many' is "
                                             "not a number");
        QTest::addRow("twice") << QStringLiteral("als.factors=8,als.factors=16")
                               << QStringLiteral(
                                      "parameter 'als.factors=16': als.factors is "
                                      "given twice");
        QTest::addRow("a grid where none is searched")
            << QStringLiteral("als.factors=8|16")
            << QStringLiteral("parameter 'als.factors=8|16': a grid (|) needs tuning");
    }

    // `animerec evaluate --param` and the Metrics panel's parameter field.
    void parameterTextsAgree() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        // A database that does not exist: an accepted text gets as far as opening it.
        const QString missing = dir_.filePath(QStringLiteral("missing.sqlite"));
        const Run cli = animerecRun(
            {"evaluate", "--db", missing, "--models", "popularity,ease,als", "--param", text});
        ui::StudioContext context(missing);
        ui::MetricsPanel panel(&context);
        jobs::EvaluationSettings settings;
        settings.models = {"popularity", "ease", "als"};
        panel.setSettings(settings, text);
        if (error.isEmpty()) {
            QCOMPARE(cli.exitCode, 1);
            QVERIFY2(lastErrorLine(cli).endsWith(QStringLiteral("no such database")),
                     qPrintable(cli.err));
            const auto parsed = panel.settings().parameters;
            QCOMPARE(parsed, jobs::parseModelParameters(text));
            QCOMPARE(parsed.at("ease").at("lambda"), 200.0);
        } else {
            QCOMPARE(cli.exitCode, 2);
            QCOMPARE(lastErrorLine(cli), QStringLiteral("evaluate: ") + error);
            QVERIFY(!panel.startEvaluation());
            QCOMPARE(studio_test::text(panel, "status"), error);
        }
    }

    void gridTextsAgree_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addRow("a grid") << QStringLiteral("popularity.mode=0|1|2") << QString();
        QTest::addRow("a bad grid value")
            << QStringLiteral("popularity.mode=0|x")
            << QStringLiteral("parameter 'popularity.mode=0|x': 'x' is not a number");
    }

    // `animerec train --tune --param` and the Train panel with "Tune first".
    void gridTextsAgree() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const QString missing = dir_.filePath(QStringLiteral("missing.sqlite"));
        const QString models = dir_.filePath(QStringLiteral("grid-models"));
        const Run cli = animerecRun({"train", "--db", missing, "--models", "popularity", "--tune",
                                     "--param", text, "--out-dir", models, "--top100", ""});
        ui::StudioContext context(missing);
        ui::TrainPanel panel(&context);
        panel.setModelsDirectory(models);
        panel.setFamily(QStringLiteral("popularity"));
        panel.setTuning(true);
        panel.setParametersText(text);
        if (error.isEmpty()) {
            QCOMPARE(cli.exitCode, 1);
            QVERIFY2(lastErrorLine(cli).endsWith(QStringLiteral("no such database")),
                     qPrintable(cli.err));
            QSignalSpy failed(&panel, &ui::TrainPanel::trainingFailed);
            QVERIFY(panel.startTraining());
            QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
            QVERIFY2(failed.front().front().toString().endsWith(QStringLiteral("no such database")),
                     qPrintable(failed.front().front().toString()));
        } else {
            QCOMPARE(cli.exitCode, 2);
            QCOMPARE(lastErrorLine(cli), QStringLiteral("train: ") + error);
            QVERIFY(!panel.startTraining());
            QCOMPARE(studio_test::text(panel, "status"), error);
        }
    }

    void variantTextsAgree_data() {
        QTest::addColumn<QStringList>("variants");
        QTest::addColumn<QString>("error");
        QTest::addRow("roles with shares")
            << QStringList{"control=collaborative:0.5", "treatment=session:0.5"} << QString();
        QTest::addRow("families, no shares") << QStringList{"a=popularity", "b=ease"} << QString();
        QTest::addRow("a pinned version")
            << QStringList{"a=ease@20240101T120000Z:0.5", "b=collaborative:0.5"} << QString();
        QTest::addRow("no name") << QStringList{"collaborative", "b=session"}
                                 << QStringLiteral(
                                        "variant 'collaborative': expected "
                                        "NAME=MODEL[@VERSION][:SHARE], MODEL a role or "
                                        "a model family");
        QTest::addRow("share not a number")
            << QStringList{"a=popularity:half", "b=ease"}
            << QStringLiteral("variant 'a=popularity:half': share 'half' is not a number");
        QTest::addRow("version after a second colon")
            << QStringList{"a=ease:0.5:v1", "b=als:0.5"}
            << QStringLiteral(
                   "variant 'a=ease:0.5:v1': a version goes after '@' "
                   "(NAME=MODEL@VERSION:SHARE)");
        QTest::addRow("a version on a role")
            << QStringList{"a=collaborative@v1", "b=session"}
            << QStringLiteral(
                   "variant 'a=collaborative@v1': a version pins a model family (e.g. "
                   "ease@VERSION), not the role 'collaborative'");
    }

    // `animerec ab create --variant` and the Experiments panel's "New…".
    void variantTextsAgree() {
        QFETCH(QStringList, variants);
        QFETCH(QString, error);
        const QString tag =
            QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-').remove(u',');
        QStringList arguments{"ab", "create", "cli-" + tag, "--db", database_};
        for (const QString& variant : variants) arguments << "--variant" << variant;
        const Run cli = animerecRun(arguments);
        ui::StudioContext context(database_);
        ui::ExperimentsPanel panel(&context);
        const QString studio = panel.createExperiment("studio-" + tag, variants);
        if (error.isEmpty()) {
            QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
            QCOMPARE(studio, QString());
        } else {
            QCOMPARE(cli.exitCode, 1);
            QCOMPARE(lastErrorLine(cli), QStringLiteral("ab: ") + error);
            QCOMPARE(studio, error);
        }
    }

    // Errors found when the definition is validated read the same too (field: reason).
    void definitionErrorsAgree() {
        const QStringList variants{"a=popularity:0.3", "b=ease:0.3"};
        const Run cli = animerecRun({"ab", "create", "cli-shares", "--db", database_, "--variant",
                                     variants[0], "--variant", variants[1]});
        ui::StudioContext context(database_);
        ui::ExperimentsPanel panel(&context);
        const QString studio = panel.createExperiment(QStringLiteral("studio-shares"), variants);
        QCOMPARE(cli.exitCode, 1);
        QVERIFY2(studio.contains(QStringLiteral("shares sum to")), qPrintable(studio));
        QCOMPARE(lastErrorLine(cli), QStringLiteral("ab: ") + studio);
    }
};

QTEST_MAIN(TestStudioCliParity)
#include "test_studio_cli_parity.moc"

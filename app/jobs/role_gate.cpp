#include "jobs/role_gate.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <exception>
#include <memory>

#include "data/dataset.h"
#include "models/model_io.h"
#include "models/recommender.h"

namespace animerec::jobs {

RoleGate gateRole(const Dataset& data, const QString& modelsDirectory, service::ModelRole role,
                  const std::string& candidateFamily, const ModelParameters& candidateParameters,
                  const GateSettings& settings, bool force, const ProgressCallback& progress) {
    RoleGate gate;
    service::GateRecord& record = gate.record;
    record.role = service::roleName(role);
    record.candidateModel = QString::fromStdString(candidateFamily);
    record.margin = settings.margin;
    record.decidedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const auto unjudged = [&](const QString& why) {
        record.decision = QStringLiteral("first");
        record.note = why;
        gate.publish = true;
        return gate;
    };

    const QString publishedFamily = service::ModelRegistry::preferredFamily(role, modelsDirectory);
    if (publishedFamily.isEmpty())
        return unjudged(QStringLiteral("nothing published for the role yet"));
    const QFileInfo file(
        QDir(modelsDirectory).filePath(publishedFamily + QStringLiteral(".model")));
    std::unique_ptr<Recommender> published;
    try {
        published = loadModelFile(file.absoluteFilePath().toStdString());
    } catch (const std::exception& error) {
        return unjudged(QStringLiteral("the published %1 cannot be read (%2)")
                            .arg(file.fileName(), QString::fromUtf8(error.what())));
    }
    if (published->itemCount() >= 0 && published->itemCount() != data.catalog.size())
        return unjudged(
            QStringLiteral("the published %1 was fitted on another catalogue (%2 items, now %3)")
                .arg(file.fileName())
                .arg(published->itemCount())
                .arg(data.catalog.size()));
    record.publishedModel = publishedFamily;
    record.publishedVersion =
        file.lastModified().toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));

    auto candidate = createRecommender(candidateFamily, candidateParameters);
    GateVerdict verdict;
    try {
        verdict = compareOnValidation(data, *candidate, *published, settings, progress);
    } catch (const std::invalid_argument& error) {
        return unjudged(
            QStringLiteral("no validation split: %1").arg(QString::fromUtf8(error.what())));
    }
    record.candidateScore = verdict.candidateScore;
    record.publishedScore = verdict.publishedScore;
    record.relativeChange = verdict.relativeChange;
    record.decision = verdict.passed ? QStringLiteral("published")
                      : force        ? QStringLiteral("forced")
                                     : QStringLiteral("refused");
    gate.publish = verdict.passed || force;
    return gate;
}

}  // namespace animerec::jobs

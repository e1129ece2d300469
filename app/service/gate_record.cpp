#include "service/gate_record.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace animerec::service {

QString GateRecord::summary() const {
    if (decision.isEmpty()) return {};
    if (decision == QLatin1String("first"))
        return QStringLiteral("%1 published without comparison: %2").arg(candidateModel, note);
    const QString verdict =
        decision == QLatin1String("published") ? QStringLiteral("passed") : decision;
    return QStringLiteral("%1: %2 validation ndcg@10 %3 vs published %4 %5 (%6%7%, margin %8%)")
        .arg(verdict, candidateModel)
        .arg(candidateScore, 0, 'f', 4)
        .arg(publishedModel)
        .arg(publishedScore, 0, 'f', 4)
        .arg(relativeChange >= 0 ? QStringLiteral("+") : QString())
        .arg(100.0 * relativeChange, 0, 'f', 1)
        .arg(100.0 * margin, 0, 'f', 1);
}

QJsonObject GateRecord::toJson() const {
    return {{"role", role},
            {"decision", decision},
            {"candidate", QJsonObject{{"model", candidateModel}, {"ndcg@10", candidateScore}}},
            {"published", QJsonObject{{"model", publishedModel},
                                      {"version", publishedVersion},
                                      {"ndcg@10", publishedScore}}},
            {"margin", margin},
            {"relative_change", relativeChange},
            {"summary", summary()},
            {"decided_at", decidedAt},
            {"note", note}};
}

GateRecord GateRecord::fromJson(const QJsonObject& object) {
    GateRecord record;
    record.role = object.value("role").toString();
    record.decision = object.value("decision").toString();
    const QJsonObject candidate = object.value("candidate").toObject();
    record.candidateModel = candidate.value("model").toString();
    record.candidateScore = candidate.value("ndcg@10").toDouble();
    const QJsonObject published = object.value("published").toObject();
    record.publishedModel = published.value("model").toString();
    record.publishedVersion = published.value("version").toString();
    record.publishedScore = published.value("ndcg@10").toDouble();
    record.margin = object.value("margin").toDouble();
    record.relativeChange = object.value("relative_change").toDouble();
    record.decidedAt = object.value("decided_at").toString();
    record.note = object.value("note").toString();
    return record;
}

QString gateRecordPath(const QString& modelsDirectory, const QString& role) {
    return QDir(modelsDirectory).filePath(role + QStringLiteral(".gate.json"));
}

QString writeGateRecord(const QString& modelsDirectory, const GateRecord& record) {
    QSaveFile file(gateRecordPath(modelsDirectory, record.role));
    if (!file.open(QIODevice::WriteOnly)) return file.errorString();
    file.write(QJsonDocument(record.toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) return file.errorString();
    return {};
}

GateRecord readGateRecord(const QString& modelsDirectory, const QString& role) {
    QFile file(gateRecordPath(modelsDirectory, role));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return GateRecord::fromJson(QJsonDocument::fromJson(file.read(1 << 20)).object());
}

}  // namespace animerec::service

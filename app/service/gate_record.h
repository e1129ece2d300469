#pragma once

// The quality gate's record for one role, <models dir>/<role>.gate.json, written by `animerec
// train` whenever it trains a model for that role: the decision (published, refused, forced or
// first), both validation NDCG@10 figures, the margin and the versions. The registry quotes it
// when it loads the role's model, Studio's Train panel and `animerec show models` show it.
#include <QJsonObject>
#include <QString>

namespace animerec::service {

struct GateRecord {
    QString role;
    // "published" (passed), "refused", "forced" (refused, published by --force), "first"
    // (published without comparison: nothing published yet, or nothing to compare with)
    QString decision;
    QString candidateModel;
    double candidateScore = 0.0;
    QString publishedModel;    // empty for "first"
    QString publishedVersion;  // of the model kept or replaced
    double publishedScore = 0.0;
    double margin = 0.0;
    double relativeChange = 0.0;
    QString decidedAt;  // ISO 8601, UTC
    QString note;       // why there was no comparison ("first"), else empty

    // "passed: ease ndcg@10 0.4122 vs published ease 0.4100 (+0.5%, margin 2.0%)".
    QString summary() const;
    QJsonObject toJson() const;
    static GateRecord fromJson(const QJsonObject& object);
};

QString gateRecordPath(const QString& modelsDirectory, const QString& role);
// Empty string on success, else the error.
QString writeGateRecord(const QString& modelsDirectory, const GateRecord& record);
// The role's record; a record with an empty decision when there is none or it is unreadable.
GateRecord readGateRecord(const QString& modelsDirectory, const QString& role);

}  // namespace animerec::service

#include "jobs/collaborative_choice.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <algorithm>
#include <numeric>

namespace animerec::jobs {

namespace {

QJsonObject toJson(const std::map<std::string, double>& values) {
    QJsonObject object;
    for (const auto& [name, value] : values) object.insert(QString::fromStdString(name), value);
    return object;
}

// The headline validation metrics (no per-K curves, no confidence bounds).
QJsonObject validationMetrics(const ModelReport& report) {
    std::map<std::string, double> kept;
    for (const auto& [name, value] : report.metrics)
        if (name.find("_ci_") == std::string::npos) kept[name] = value;
    return toJson(kept);
}

// Candidate indices, best score first (the chosen one leads: it is first among equals).
std::vector<std::size_t> bestFirst(const ModelChoice& choice) {
    std::vector<std::size_t> order(choice.candidates.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (int(a) == choice.chosen) return int(b) != choice.chosen;
        if (int(b) == choice.chosen) return false;
        return choice.candidates[a].score > choice.candidates[b].score;
    });
    return order;
}

QString metricValue(const ModelReport& report, const char* name) {
    const auto it = report.metrics.find(name);
    return it == report.metrics.end() ? QStringLiteral("-") : QString::number(it->second, 'f', 4);
}

}  // namespace

QString choiceReason(const ModelChoice& choice) {
    const SelectionCandidate& best = choice.best();
    const QString metric = QString::fromStdString(best.metric);
    if (choice.candidates.size() == 1)
        return QStringLiteral("the only collaborative family trained (validation %1 %2)")
            .arg(metric, QString::number(best.score, 'f', 4));
    QStringList ranking;
    for (const std::size_t i : bestFirst(choice))
        ranking << QStringLiteral("%1 %2").arg(QString::fromStdString(choice.candidates[i].family),
                                               QString::number(choice.candidates[i].score, 'f', 4));
    return QStringLiteral("chosen by validation %1 on %2 users: %3")
        .arg(metric)
        .arg(best.validation.evaluatedUsers)
        .arg(ranking.join(QStringLiteral(" > ")));
}

QStringList choiceTable(const ModelChoice& choice) {
    QStringList lines{QStringLiteral("  %1 %2 %3 %4  %5")
                          .arg(QStringLiteral("family"), -10)
                          .arg(QStringLiteral("ndcg@10"), 8)
                          .arg(QStringLiteral("recall@10"), 9)
                          .arg(QStringLiteral("fit s"), 7)
                          .arg(QStringLiteral("parameters"))};
    for (const std::size_t i : bestFirst(choice)) {
        const SelectionCandidate& candidate = choice.candidates[i];
        lines << QStringLiteral("%1 %2 %3 %4 %5  %6")
                     .arg(int(i) == choice.chosen ? QStringLiteral("*") : QStringLiteral(" "))
                     .arg(QString::fromStdString(candidate.family), -10)
                     .arg(metricValue(candidate.validation, "ndcg@10"), 8)
                     .arg(metricValue(candidate.validation, "recall@10"), 9)
                     .arg(QString::number(candidate.validation.trainSeconds, 'f', 2), 7)
                     .arg(candidate.parameters.empty()
                              ? QStringLiteral("defaults")
                              : QString::fromStdString(describeParameters(candidate.parameters)));
    }
    return lines;
}

QJsonObject choiceDocument(const ModelChoice& choice, const QString& modelFileName, bool tuned,
                           const ChoiceTimings& timings) {
    const SelectionCandidate& best = choice.best();
    QJsonArray candidates;
    for (const auto& candidate : choice.candidates)
        candidates.append(
            QJsonObject{{"model", QString::fromStdString(candidate.family)},
                        {"parameters", toJson(candidate.parameters)},
                        {"validation", validationMetrics(candidate.validation)},
                        {"validation_train_seconds", candidate.validation.trainSeconds},
                        {"trials", static_cast<int>(candidate.trials.size())}});
    QJsonObject protocol;
    for (const auto& [key, value] : choice.protocol)
        protocol.insert(QString::fromStdString(key), QString::fromStdString(value));
    return QJsonObject{{"model", QString::fromStdString(best.family)},
                       {"reason", choiceReason(choice)},
                       {"parameters", toJson(best.parameters)},
                       {"validation", validationMetrics(best.validation)},
                       {"metric", QString::fromStdString(best.metric)},
                       {"train_seconds", timings.trainSeconds},
                       {"selection_seconds", timings.selectionSeconds},
                       {"tuned", tuned},
                       {"validation_protocol", protocol},
                       {"candidates", candidates},
                       {"file", modelFileName},
                       {"trained_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
}

QString writeChoiceDocument(const QString& path, const QJsonObject& document) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return file.errorString();
    file.write(QJsonDocument(document).toJson(QJsonDocument::Indented));
    if (!file.commit()) return file.errorString();
    return {};
}

EvaluationReport choiceReport(const ModelChoice& choice) {
    EvaluationReport report;
    report.protocol = choice.protocol;
    report.protocol.push_back({"chosen_collaborative", choice.best().family});
    report.ks = {10};
    for (const auto& candidate : choice.candidates) {
        ModelReport row = candidate.validation;
        row.model = candidate.family;
        row.parameters = candidate.parameters;
        report.models.push_back(std::move(row));
    }
    return report;
}

}  // namespace animerec::jobs

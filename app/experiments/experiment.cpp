#include "experiments/experiment.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace animerec::experiments {

namespace {

const QRegularExpression& namePattern() {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    return pattern;
}

const QRegularExpression& familyPattern() {
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_]{1,32}$"));
    return pattern;
}

constexpr int kMinVariants = 2;
constexpr int kMaxVariants = 10;
constexpr double kShareTolerance = 1e-6;

std::uint64_t fnv1a(std::uint64_t hash, const QByteArray& bytes) {
    for (const char byte : bytes)
        hash = (hash ^ static_cast<unsigned char>(byte)) * 1099511628211ull;
    return hash;
}

std::uint64_t splitMix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

DefinitionError invalid(const QString& field, const QString& message) { return {field, message}; }

}  // namespace

QString statusName(ExperimentStatus status) {
    switch (status) {
        case ExperimentStatus::Draft:
            return QStringLiteral("draft");
        case ExperimentStatus::Running:
            return QStringLiteral("running");
        case ExperimentStatus::Paused:
            return QStringLiteral("paused");
        case ExperimentStatus::Stopped:
            return QStringLiteral("stopped");
    }
    return QStringLiteral("draft");
}

std::optional<ExperimentStatus> parseStatus(const QString& text) {
    for (const auto status : {ExperimentStatus::Draft, ExperimentStatus::Running,
                              ExperimentStatus::Paused, ExperimentStatus::Stopped})
        if (statusName(status) == text) return status;
    return std::nullopt;
}

std::optional<service::ModelRole> parseRole(const QString& text) {
    for (const service::ModelRole role : service::kAllModelRoles)
        if (service::roleName(role) == text) return role;
    return std::nullopt;
}

const QStringList& experimentRoutes() {
    static const QStringList routes{QStringLiteral("/recommend_collaborative"),
                                    QStringLiteral("/recommend_session_based")};
    return routes;
}

QJsonObject ExperimentDefinition::toJson() const {
    QJsonArray variantArray;
    for (const VariantDefinition& variant : variants)
        variantArray.append(QJsonObject{{QStringLiteral("name"), variant.name},
                                        {QStringLiteral("role"), service::roleName(variant.role)},
                                        {QStringLiteral("model"), variant.model},
                                        {QStringLiteral("model_version"), variant.modelVersion},
                                        {QStringLiteral("share"), variant.share}});
    const auto time = [](qint64 ms) { return ms > 0 ? QJsonValue(ms) : QJsonValue(); };
    return {{QStringLiteral("name"), name},
            {QStringLiteral("salt"), salt},
            {QStringLiteral("status"), statusName(status)},
            {QStringLiteral("routes"), QJsonArray::fromStringList(routes)},
            {QStringLiteral("variants"), variantArray},
            {QStringLiteral("created_at_ms"), time(createdAtMs)},
            {QStringLiteral("updated_at_ms"), time(updatedAtMs)},
            {QStringLiteral("started_at_ms"), time(startedAtMs)},
            {QStringLiteral("stopped_at_ms"), time(stoppedAtMs)}};
}

int ExperimentDefinition::variantIndex(const QString& variantName) const {
    for (std::size_t i = 0; i < variants.size(); ++i)
        if (variants[i].name == variantName) return static_cast<int>(i);
    return -1;
}

std::variant<ExperimentDefinition, DefinitionError> definitionFromJson(const QJsonObject& json) {
    static const QStringList allowed{QStringLiteral("name"), QStringLiteral("salt"),
                                     QStringLiteral("routes"), QStringLiteral("variants")};
    for (const QString& key : json.keys())
        if (!allowed.contains(key))
            return invalid(key, QStringLiteral("unknown field '%1'; allowed: %2")
                                    .arg(key, allowed.join(QStringLiteral(", "))));
    ExperimentDefinition definition;
    definition.name = json.value(QStringLiteral("name")).toString();
    if (!namePattern().match(definition.name).hasMatch())
        return invalid(QStringLiteral("name"),
                       QStringLiteral("name must be 1-64 characters of A-Z a-z 0-9 _ . -"));
    const QJsonValue salt = json.value(QStringLiteral("salt"));
    if (!salt.isUndefined() && !salt.isString())
        return invalid(QStringLiteral("salt"), QStringLiteral("salt must be a string"));
    definition.salt = salt.isString() ? salt.toString() : definition.name;
    if (definition.salt.size() > 256)
        return invalid(QStringLiteral("salt"),
                       QStringLiteral("salt is longer than 256 characters"));

    const QJsonValue routes = json.value(QStringLiteral("routes"));
    if (routes.isUndefined()) {
        definition.routes = experimentRoutes();
    } else {
        if (!routes.isArray() || routes.toArray().isEmpty())
            return invalid(QStringLiteral("routes"),
                           QStringLiteral("routes must be a non-empty array"));
        for (const QJsonValue& route : routes.toArray()) {
            if (!experimentRoutes().contains(route.toString()))
                return invalid(
                    QStringLiteral("routes"),
                    QStringLiteral("route '%1' cannot be experimented on; use %2")
                        .arg(route.toString(), experimentRoutes().join(QStringLiteral(", "))));
            if (!definition.routes.contains(route.toString()))
                definition.routes << route.toString();
        }
    }

    const QJsonValue variants = json.value(QStringLiteral("variants"));
    if (!variants.isArray())
        return invalid(QStringLiteral("variants"), QStringLiteral("variants must be an array"));
    const QJsonArray array = variants.toArray();
    if (array.size() < kMinVariants || array.size() > kMaxVariants)
        return invalid(QStringLiteral("variants"),
                       QStringLiteral("an experiment needs %1 to %2 variants, got %3")
                           .arg(kMinVariants)
                           .arg(kMaxVariants)
                           .arg(array.size()));
    QSet<QString> names;
    int withShare = 0;
    double shareSum = 0.0;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString field = QStringLiteral("variants[%1]").arg(i);
        const QJsonObject object = array.at(i).toObject();
        if (!array.at(i).isObject())
            return invalid(field, QStringLiteral("a variant must be an object"));
        VariantDefinition variant;
        variant.name = object.value(QStringLiteral("name")).toString();
        if (!namePattern().match(variant.name).hasMatch())
            return invalid(
                field + QStringLiteral(".name"),
                QStringLiteral("variant name must be 1-64 characters of A-Z a-z 0-9 _ . -"));
        if (names.contains(variant.name))
            return invalid(field + QStringLiteral(".name"),
                           QStringLiteral("variant '%1' appears twice").arg(variant.name));
        names.insert(variant.name);
        static const QStringList variantFields{
            QStringLiteral("name"), QStringLiteral("role"), QStringLiteral("model"),
            QStringLiteral("model_version"), QStringLiteral("share")};
        for (const QString& key : object.keys())
            if (!variantFields.contains(key))
                return invalid(field + u'.' + key,
                               QStringLiteral("unknown field '%1'; allowed: %2")
                                   .arg(key, variantFields.join(QStringLiteral(", "))));
        const QJsonValue model = object.value(QStringLiteral("model"));
        if (!model.isUndefined() &&
            (!model.isString() || !familyPattern().match(model.toString()).hasMatch()))
            return invalid(field + QStringLiteral(".model"),
                           QStringLiteral("model must be a family name of 1-32 characters of "
                                          "a-z 0-9 _ (\"als\", \"ease\", ...)"));
        variant.model = model.toString();
        const QJsonValue roleValue = object.value(QStringLiteral("role"));
        if (roleValue.isUndefined() && !variant.model.isEmpty()) {
            const auto implied = service::roleOfFamily(variant.model);
            if (!implied)
                return invalid(field + QStringLiteral(".role"),
                               QStringLiteral("model '%1' is not a known family; give its role")
                                   .arg(variant.model));
            variant.role = *implied;
        } else {
            const QString roleText = roleValue.toString();
            const auto role = parseRole(roleText);
            if (!role)
                return invalid(
                    field + QStringLiteral(".role"),
                    QStringLiteral(
                        "role '%1' is not one of popularity, content, collaborative, session")
                        .arg(roleText));
            variant.role = *role;
            const auto implied = service::roleOfFamily(variant.model);
            if (implied && *implied != variant.role)
                return invalid(field + QStringLiteral(".model"),
                               QStringLiteral("model '%1' serves the %2 role, not %3")
                                   .arg(variant.model, service::roleName(*implied), roleText));
        }
        const QJsonValue version = object.value(QStringLiteral("model_version"));
        if (!version.isUndefined() && !version.isString())
            return invalid(field + QStringLiteral(".model_version"),
                           QStringLiteral("model_version must be a string"));
        variant.modelVersion = version.toString();
        if (!variant.modelVersion.isEmpty() && variant.model.isEmpty())
            return invalid(field + QStringLiteral(".model_version"),
                           QStringLiteral("model_version needs the model it is a version of"));
        const QJsonValue share = object.value(QStringLiteral("share"));
        if (!share.isUndefined()) {
            if (!share.isDouble() || !(share.toDouble() > 0.0) || share.toDouble() > 1.0)
                return invalid(field + QStringLiteral(".share"),
                               QStringLiteral("share must be a number in (0, 1]"));
            variant.share = share.toDouble();
            shareSum += variant.share;
            ++withShare;
        }
        definition.variants.push_back(variant);
    }
    if (withShare == 0) {
        for (VariantDefinition& variant : definition.variants)
            variant.share = 1.0 / static_cast<double>(definition.variants.size());
    } else if (withShare != array.size()) {
        return invalid(QStringLiteral("variants"),
                       QStringLiteral("give a share for every variant or for none"));
    } else if (std::fabs(shareSum - 1.0) > kShareTolerance) {
        return invalid(QStringLiteral("variants"),
                       QStringLiteral("shares sum to %1, not 1").arg(shareSum));
    }
    return definition;
}

double assignmentPoint(const QString& salt, const QString& unitKey) {
    std::uint64_t hash = fnv1a(14695981039346656037ull, salt.toUtf8());
    hash = fnv1a(hash, QByteArray(1, '\0'));  // ("ab", "c") and ("a", "bc") must differ
    hash = splitMix(fnv1a(hash, unitKey.toUtf8()));
    return static_cast<double>(hash >> 11) * 0x1.0p-53;
}

int assignVariant(const ExperimentDefinition& experiment, const QString& unitKey) {
    if (experiment.variants.empty()) return -1;
    const double point = assignmentPoint(experiment.salt, unitKey);
    double upper = 0.0;
    for (std::size_t i = 0; i < experiment.variants.size(); ++i) {
        upper += experiment.variants[i].share;
        if (point < upper) return static_cast<int>(i);
    }
    return static_cast<int>(experiment.variants.size()) - 1;  // rounding of the share sum
}

QString userUnit(qint64 userId) { return QStringLiteral("user:") + QString::number(userId); }
QString sessionUnit(const QString& sessionId) { return QStringLiteral("session:") + sessionId; }

}  // namespace animerec::experiments

#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <variant>
#include <vector>

#include "service/model_registry.h"

namespace animerec::experiments {

// draft -> running <-> paused -> stopped. Only a draft may change its variants; a stopped
// experiment is final (its exposures stay for the report).
enum class ExperimentStatus { Draft, Running, Paused, Stopped };
QString statusName(ExperimentStatus status);
std::optional<ExperimentStatus> parseStatus(const QString& text);
std::optional<service::ModelRole> parseRole(const QString& text);

// One arm: which model serves it and what share of the traffic it gets. A variant that names a
// model (and a version) is served by exactly that model or not at all: the experiment refuses to
// start while it is not loaded, and a variant whose model went away answers 503.
struct VariantDefinition {
    QString name;  // "control", "session", ...
    service::ModelRole role = service::ModelRole::Collaborative;
    QString model;         // family ("als", "ease", ...); empty = the role's default model
    QString modelVersion;  // expected version; empty = whatever version of the model is loaded
    double share = 0.0;    // shares of an experiment sum to 1
};

struct ExperimentDefinition {
    qint64 id = 0;  // database key; 0 before it is stored
    QString name;   // [A-Za-z0-9_.-]{1,64}, unique
    QString salt;   // hashed with the unit id: a new salt reshuffles everyone
    ExperimentStatus status = ExperimentStatus::Draft;
    QStringList routes;  // routes whose answers the experiment takes over
    std::vector<VariantDefinition> variants;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    qint64 startedAtMs = 0;  // 0 = never
    qint64 stoppedAtMs = 0;

    QJsonObject toJson() const;
    int variantIndex(const QString& variantName) const;  // -1 when absent
};

// Routes an experiment may cover (they serve a list to a user or a session).
const QStringList& experimentRoutes();

// A definition that failed validation: the offending field and why.
struct DefinitionError {
    QString field;
    QString message;
};

// Parses and validates {"name", "salt"?, "routes"?, "variants": [{"name", "role"?, "model"?,
// "model_version"?, "share"?}]}: names unique and well formed, roles known (a known model family
// implies its role; a model of another family needs one), model_version only with a model,
// shares positive and
// summing to 1 (+-1e-6; all omitted = equal shares), 2..10 variants, routes from
// experimentRoutes() (default: all). Status and times are not taken from the body.
std::variant<ExperimentDefinition, DefinitionError> definitionFromJson(const QJsonObject& json);

// The unit's point in [0, 1): a 64-bit FNV-1a hash of (salt, unit) through the SplitMix64
// finaliser, so neighbouring ids land far apart and the same unit always lands at the same point.
double assignmentPoint(const QString& salt, const QString& unitKey);
// Index of the variant whose cumulative share interval holds the unit's point; -1 without variants.
int assignVariant(const ExperimentDefinition& experiment, const QString& unitKey);
// Unit keys: users by id, anonymous sessions by the client's session id.
QString userUnit(qint64 userId);
QString sessionUnit(const QString& sessionId);

}  // namespace animerec::experiments

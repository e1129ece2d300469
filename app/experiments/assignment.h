#pragma once

#include <QString>
#include <memory>

#include "experiments/experiment_error.h"
#include "service/model_registry.h"

namespace animerec::experiments {

// Which variant serves a request.
struct Assignment {
    qint64 experimentId = 0;
    QString experiment;
    QString variant;
    service::ModelRole role = service::ModelRole::Collaborative;
    QString model;         // family ("" = the role's default)
    QString modelVersion;  // expected version ("" = any)
};

// The assignment of a list served outside any experiment (variant "default"), logged for the
// sampled share of such lists.
Assignment defaultAssignment();

// The model that must serve `assignment`: the variant's family at its version. An Unavailable
// error when that model is not loaded or has another version: a variant is never served by a
// model it did not name.
Result<std::shared_ptr<const service::ServedModel>> modelFor(const Assignment& assignment,
                                                             const service::ModelRegistry& models);

}  // namespace animerec::experiments

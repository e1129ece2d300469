#pragma once

// The quality gate of `animerec train` for one role (core/eval/quality_gate.h for the
// comparison): the family that will serve the role after this run against the model serving it
// now from the models directory. A refused model never reaches the directory, so a reload
// (SIGHUP, POST /admin/reload) only ever serves models that passed or were forced.
#include <QString>
#include <string>

#include "eval/quality_gate.h"
#include "models/model_factory.h"
#include "service/gate_record.h"
#include "service/model_registry.h"
#include "util/progress.h"

namespace animerec {
struct Dataset;
}

namespace animerec::jobs {

struct RoleGate {
    service::GateRecord record;
    bool publish = false;  // passed, forced, or published without comparison (record.note)
};

// Compares `candidateFamily` with `candidateParameters` against the role's published model in
// `modelsDirectory`; `force` publishes a refused model anyway (decision "forced").
// OperationCancelled propagates.
RoleGate gateRole(const Dataset& data, const QString& modelsDirectory, service::ModelRole role,
                  const std::string& candidateFamily, const ModelParameters& candidateParameters,
                  const GateSettings& settings, bool force, const ProgressCallback& progress = {});

}  // namespace animerec::jobs

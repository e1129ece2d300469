#include "experiments/assignment.h"

#include "storage/event_records.h"

namespace animerec::experiments {

Assignment defaultAssignment() {
    Assignment assignment;
    assignment.variant = QString::fromLatin1(storage::kDefaultVariant);
    return assignment;
}

Result<std::shared_ptr<const service::ServedModel>> modelFor(const Assignment& assignment,
                                                             const service::ModelRegistry& models) {
    auto served = models.get(assignment.role, assignment.model);
    const bool sameVersion =
        served && (assignment.modelVersion.isEmpty() || served->version == assignment.modelVersion);
    if (sameVersion) return served;  // every request of a running experiment: no message built
    const QString role = service::roleName(assignment.role);
    const QString wanted = assignment.model.isEmpty()
                               ? QStringLiteral("the default %1 model").arg(role)
                               : QStringLiteral("model %1").arg(assignment.model);
    const QString who = QStringLiteral("variant %1 of experiment %2 needs ")
                            .arg(assignment.variant, assignment.experiment);
    if (!served)
        return ExperimentError{
            ErrorKind::Unavailable, QStringLiteral("model"),
            who + wanted + QStringLiteral(" (%1), which is not loaded").arg(role)};
    return ExperimentError{ErrorKind::Unavailable, QStringLiteral("model_version"),
                           who + wanted +
                               QStringLiteral(" version %1; the server has %2")
                                   .arg(assignment.modelVersion, served->version)};
}

}  // namespace animerec::experiments

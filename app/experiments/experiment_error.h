#pragma once

#include <QString>
#include <variant>

namespace animerec::experiments {

// Why an operation was refused. Callers decide what a kind means to them: HTTP maps it to a
// status (app/http), the CLI and Studio only print the message.
enum class ErrorKind {
    Invalid,      // the input itself is wrong
    NotFound,     // no such experiment, action or anime
    Conflict,     // the experiment's state forbids it (not a draft, overlapping routes, ...)
    Unavailable,  // a model or the database is away for now; may succeed later
    Failed,       // the database answered with an error of its own
};

// A refused operation, phrased for the caller.
struct ExperimentError {
    ErrorKind kind = ErrorKind::Invalid;
    QString field;
    QString message;
    int retryAfterSeconds = 0;  // > 0 with Unavailable: the database is away, try again later
};

template <typename T>
using Result = std::variant<T, ExperimentError>;

// The refusal of a write while the database is away: Unavailable, with the retry delay.
ExperimentError databaseAway(const QString& reason);

}  // namespace animerec::experiments

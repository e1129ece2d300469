#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace animerec {

// One progress report from a long operation (import, training, evaluation).
struct Progress {
    std::string stage;       // what is running, e.g. "import interactions", "als iteration"
    std::int64_t done = 0;   // units finished so far
    std::int64_t total = 0;  // units expected; 0 when unknown
    std::string detail;      // optional free text (e.g. "loss 0.123")
};

// Called from the working thread; returning false asks the operation to stop, which it does by
// throwing OperationCancelled at its next check. Never pumps an event loop.
using ProgressCallback = std::function<bool(const Progress&)>;

// Thrown when a ProgressCallback returned false.
class OperationCancelled : public std::runtime_error {
public:
    OperationCancelled() : std::runtime_error("operation cancelled") {}
};

// Reports through `callback` (if any) and throws OperationCancelled when it asks to stop.
inline void reportProgress(const ProgressCallback& callback, const Progress& progress) {
    if (callback && !callback(progress)) throw OperationCancelled();
}

}  // namespace animerec

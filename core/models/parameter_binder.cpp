#include "models/parameter_binder.h"

namespace animerec {

void ParameterBinder::finish() const {
    for (const auto& [name, value] : parameters_) {
        if (known_.count(name)) continue;
        std::string names;
        for (const auto& k : known_) names += (names.empty() ? "" : ", ") + k;
        throw std::invalid_argument(family_ + ": unknown parameter '" + name +
                                    "' (known: " + (names.empty() ? "none" : names) + ")");
    }
}

}  // namespace animerec

#pragma once

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace animerec {

// Named hyper-parameters ("factors" -> 128, "alpha" -> 20); unknown names are rejected.
using ModelParameters = std::map<std::string, double>;

// Moves named values from ModelParameters into a config struct, range-checked; finish() then
// rejects any name no bind() asked for, so a typo fails loudly instead of training with defaults.
class ParameterBinder {
public:
    ParameterBinder(const std::string& family, const ModelParameters& parameters)
        : family_(family), parameters_(parameters) {}

    // Throws std::invalid_argument naming the family, parameter and value when it is outside
    // [min, max], or not an integer for an integral or enum field.
    template <typename T>
    void bind(const std::string& name, T& field, double min, double max) {
        known_.insert(name);
        const auto it = parameters_.find(name);
        if (it == parameters_.end()) return;
        const double value = it->second;
        if (!(value >= min && value <= max))
            throw std::invalid_argument(family_ + ": parameter '" + name +
                                        "' = " + std::to_string(value) + " is outside [" +
                                        std::to_string(min) + ", " + std::to_string(max) + "]");
        if constexpr (std::is_same_v<T, bool>) {
            field = value != 0.0;
        } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
            if (value != std::floor(value))
                throw std::invalid_argument(family_ + ": parameter '" + name +
                                            "' must be an integer");
            field = static_cast<T>(static_cast<long long>(value));
        } else {
            field = static_cast<T>(value);
        }
    }

    // Throws std::invalid_argument for a parameter no bind() asked for, listing the known ones.
    void finish() const;

private:
    std::string family_;
    const ModelParameters& parameters_;
    std::set<std::string> known_;
};

}  // namespace animerec

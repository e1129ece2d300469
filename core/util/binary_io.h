#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace animerec::binary {

// Little helpers for model bodies: plain little-endian PODs and length-prefixed vectors.
// Readers throw std::runtime_error naming `what` when the stream ends early or a size is absurd.

template <typename T>
void write(std::ostream& out, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out.write(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T read(std::istream& in, const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    if (!in.read(reinterpret_cast<char*>(&value), sizeof(T)))
        throw std::runtime_error(std::string("model file truncated while reading ") + what);
    return value;
}

template <typename T>
void writeVector(std::ostream& out, const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    write<std::uint64_t>(out, values.size());
    out.write(reinterpret_cast<const char*>(values.data()),
              static_cast<std::streamsize>(values.size() * sizeof(T)));
}

// `maxCount` guards against allocating gigabytes for a corrupt length field.
template <typename T>
std::vector<T> readVector(std::istream& in, const char* what, std::uint64_t maxCount = 1ull << 34) {
    const auto count = read<std::uint64_t>(in, what);
    if (count > maxCount / sizeof(T))
        throw std::runtime_error(std::string("model file has an impossible length for ") + what);
    std::vector<T> values(static_cast<std::size_t>(count));
    if (!in.read(reinterpret_cast<char*>(values.data()),
                 static_cast<std::streamsize>(count * sizeof(T))))
        throw std::runtime_error(std::string("model file truncated while reading ") + what);
    return values;
}

inline void writeString(std::ostream& out, const std::string& text) {
    write<std::uint32_t>(out, static_cast<std::uint32_t>(text.size()));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline std::string readString(std::istream& in, const char* what) {
    const auto size = read<std::uint32_t>(in, what);
    if (size > (1u << 24))
        throw std::runtime_error(std::string("model file has an impossible length for ") + what);
    std::string text(size, '\0');
    if (!in.read(text.data(), size))
        throw std::runtime_error(std::string("model file truncated while reading ") + what);
    return text;
}

}  // namespace animerec::binary

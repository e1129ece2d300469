#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace animerec {

// Opens `path` for binary reading; throws std::runtime_error "<path>: cannot open for reading".
inline std::ifstream openInputFile(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    if (!input) throw std::runtime_error(path + ": cannot open for reading");
    return input;
}

// Size in bytes for progress totals; 0 when unknown (a pipe, a missing file).
inline std::int64_t fileSizeOrZero(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace animerec

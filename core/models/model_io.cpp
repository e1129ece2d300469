#include "models/model_io.h"

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "models/model_factory.h"
#include "util/binary_io.h"

namespace animerec {

namespace {

constexpr char kMagic[8] = {'A', 'N', 'I', 'M', 'E', 'R', 'E', 'C'};
// Version of the envelope (magic, version, name, size, checksum); each model versions its body.
constexpr std::uint32_t kFormatVersion = 1;

// FNV-1a, 64-bit (Fowler, Noll, Vo): enough to catch corruption, not meant against tampering.
std::uint64_t fnv1a64(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ull;
    }
    return hash;
}

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw std::runtime_error(path + ": " + reason);
}

// A name no concurrent writer in this process or another shares.
std::string temporaryPathFor(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const auto thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
    return path + ".tmp-" + std::to_string(thread % 1000003) + "-" + std::to_string(++counter);
}

}  // namespace

void saveModelFile(const std::string& path, const Recommender& model) {
    std::ostringstream bodyStream(std::ios::binary);
    model.save(bodyStream);
    if (!bodyStream) fail(path, "model '" + model.name() + "' failed to serialise");
    const std::string body = std::move(bodyStream).str();

    const std::filesystem::path target(path);
    std::error_code error;
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), error);
    if (error) fail(path, "cannot create directory: " + error.message());

    const std::string temporary = temporaryPathFor(path);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            fail(path, "cannot open '" + temporary + "' for writing: " + std::strerror(errno));
        out.write(kMagic, sizeof kMagic);
        binary::write<std::uint32_t>(out, kFormatVersion);
        binary::writeString(out, model.name());
        binary::write<std::uint64_t>(out, body.size());
        binary::write<std::uint64_t>(out, fnv1a64(body));
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(temporary, error);
            fail(path, "write failed (disk full?)");
        }
    }
    // rename() replaces the old file in one step: readers see the old model or the new one.
    std::filesystem::rename(temporary, target, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        fail(path, "cannot move the new model into place: " + error.message());
    }
}

std::unique_ptr<Recommender> loadModelFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));

    char magic[sizeof kMagic] = {};
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
        fail(path, "not an AnimeRec model file (bad magic)");
    std::uint32_t version = 0;
    std::string name;
    std::uint64_t bodySize = 0;
    std::uint64_t checksum = 0;
    try {
        version = binary::read<std::uint32_t>(in, "format version");
        if (version > kFormatVersion)
            fail(path, "format version " + std::to_string(version) +
                           " is newer than this build supports (" + std::to_string(kFormatVersion) +
                           "); update AnimeRec or retrain the model");
        if (version == 0) fail(path, "format version 0 is invalid");
        name = binary::readString(in, "model name");
        bodySize = binary::read<std::uint64_t>(in, "body size");
        checksum = binary::read<std::uint64_t>(in, "checksum");
    } catch (const std::runtime_error& error) {
        if (std::string_view(error.what()).starts_with(path + ": ")) throw;
        fail(path, error.what());
    }

    std::unique_ptr<Recommender> model;
    try {
        model = createRecommender(name);
    } catch (const std::invalid_argument&) {
        fail(path, "unknown model '" + name + "'");
    }

    // Compare against the real file size before allocating, so a corrupt size field cannot ask
    // for terabytes.
    const auto headerEnd = static_cast<std::uint64_t>(in.tellg());
    std::error_code error;
    const auto fileSize = std::filesystem::file_size(path, error);
    if (error) fail(path, "cannot stat: " + error.message());
    if (fileSize < headerEnd + bodySize)
        fail(path, "truncated: body has " + std::to_string(fileSize - headerEnd) + " of " +
                       std::to_string(bodySize) + " bytes");
    if (fileSize > headerEnd + bodySize)
        fail(path,
             std::to_string(fileSize - headerEnd - bodySize) + " unexpected bytes after the body");
    std::string body(static_cast<std::size_t>(bodySize), '\0');
    if (!in.read(body.data(), static_cast<std::streamsize>(bodySize)))
        fail(path, "truncated while reading the body");
    if (fnv1a64(body) != checksum) fail(path, "checksum mismatch: the file is corrupt");

    std::istringstream bodyStream(std::move(body), std::ios::binary);
    try {
        model->load(bodyStream);
    } catch (const std::exception& error) {
        fail(path, std::string("malformed '") + name + "' body: " + error.what());
    }
    if (bodyStream.peek() != std::char_traits<char>::eof())
        fail(path, "'" + name + "' body has trailing bytes the model did not read");
    return model;
}

}  // namespace animerec

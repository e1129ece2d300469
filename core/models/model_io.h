#pragma once

#include <memory>
#include <string>

#include "models/recommender.h"

namespace animerec {

// Versioned model files: magic "ANIMEREC", file-format version, model name, body size, FNV-1a
// checksum of the body, then the model's own save() body.
//
// Writes atomically (temporary file + rename), so a crash never leaves a half-written model.
// Throws std::runtime_error naming `path` on I/O failure.
void saveModelFile(const std::string& path, const Recommender& model);

// Reads and verifies a model file, builds the model through the factory and loads its body.
// Throws std::runtime_error "<path>: <reason>" (bad magic, unsupported version, unknown model,
// checksum mismatch, truncated body); nothing outside the returned object is touched.
std::unique_ptr<Recommender> loadModelFile(const std::string& path);

}  // namespace animerec

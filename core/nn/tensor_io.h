#pragma once

#include <iosfwd>
#include <string>

#include "nn/tensor.h"
#include "nn/training_config.h"

namespace animerec::nn {

// Writes the tensors as count, then (rows, cols, row-major floats) each, little-endian.
void writeTensors(std::ostream& out, const Tensors& tensors);
// Reads tensors written by writeTensors into `into`, whose current shapes are the expected ones.
// Throws std::runtime_error on truncation, a shape mismatch or a non-finite value; `into` is
// only modified when everything was read successfully.
void readTensors(std::istream& in, Tensors& into);

// The loss and validation curves and the best epoch, as sequence models store them; `model`
// names the model in read errors ("sasrec training curve").
void writeTrainingHistory(std::ostream& out, const TrainingHistory& history);
TrainingHistory readTrainingHistory(std::istream& in, const std::string& model);

}  // namespace animerec::nn

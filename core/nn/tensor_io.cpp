#include "nn/tensor_io.h"

#include <cstdint>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "util/binary_io.h"

namespace animerec::nn {

void writeTensors(std::ostream& out, const Tensors& tensors) {
    binary::write<std::uint32_t>(out, static_cast<std::uint32_t>(tensors.size()));
    for (const auto& tensor : tensors) {
        binary::write<std::int32_t>(out, static_cast<std::int32_t>(tensor.rows()));
        binary::write<std::int32_t>(out, static_cast<std::int32_t>(tensor.cols()));
        out.write(reinterpret_cast<const char*>(tensor.data()),
                  static_cast<std::streamsize>(tensor.size() * sizeof(float)));
    }
}

void readTensors(std::istream& in, Tensors& into) {
    const auto count = binary::read<std::uint32_t>(in, "tensor count");
    if (count != into.size())
        throw std::runtime_error("model file has " + std::to_string(count) + " tensors, expected " +
                                 std::to_string(into.size()));
    Tensors loaded;
    loaded.reserve(into.size());
    for (std::size_t t = 0; t < into.size(); ++t) {
        const auto rows = binary::read<std::int32_t>(in, "tensor rows");
        const auto cols = binary::read<std::int32_t>(in, "tensor cols");
        if (rows != into[t].rows() || cols != into[t].cols())
            throw std::runtime_error("model file tensor " + std::to_string(t) + " is " +
                                     std::to_string(rows) + "x" + std::to_string(cols) +
                                     ", expected " + std::to_string(into[t].rows()) + "x" +
                                     std::to_string(into[t].cols()));
        Matrix tensor(rows, cols);
        if (!in.read(reinterpret_cast<char*>(tensor.data()),
                     static_cast<std::streamsize>(tensor.size() * sizeof(float))))
            throw std::runtime_error("model file truncated while reading tensor " +
                                     std::to_string(t));
        if (!tensor.allFinite())
            throw std::runtime_error("model file tensor " + std::to_string(t) +
                                     " has a non-finite value");
        loaded.push_back(std::move(tensor));
    }
    into = std::move(loaded);
}

void writeTrainingHistory(std::ostream& out, const TrainingHistory& history) {
    binary::writeVector(out, history.loss);
    binary::writeVector(out, history.validationNdcg);
    binary::write<std::int32_t>(out, history.bestEpoch);
}

TrainingHistory readTrainingHistory(std::istream& in, const std::string& model) {
    TrainingHistory history;
    history.loss = binary::readVector<float>(in, (model + " training curve").c_str(), 1u << 24);
    history.validationNdcg =
        binary::readVector<float>(in, (model + " validation curve").c_str(), 1u << 24);
    history.bestEpoch = binary::read<std::int32_t>(in, (model + " best epoch").c_str());
    return history;
}

}  // namespace animerec::nn

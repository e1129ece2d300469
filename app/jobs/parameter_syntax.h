#pragma once

// The one text form of model hyper-parameters, read alike by `animerec --param` and Studio's
// parameter fields: FAMILY.NAME=VALUE entries separated by ',' or ';' (or new lines), e.g.
// "als.factors=64, sasrec.epochs=10". A value list "als.factors=32|64|128" is a grid: tuning tries
// every combination (core's searchHyperparameters on a validation split carved from training
// data). Errors are std::invalid_argument naming the offending entry.
#include <QString>
#include <map>
#include <string>
#include <vector>

#include "eval/hyperparameter_search.h"
#include "models/model_factory.h"

namespace animerec::jobs {

// family -> parameter name -> the values given (one value = fixed, several = a grid).
using ParameterGrids = std::map<std::string, std::map<std::string, std::vector<double>>>;

// Parses fixed values and grids. Throws for an entry without '=', without a family before the
// name ("factors=3"), with an empty name, a value that is not a number, or a name given twice.
ParameterGrids parseParameterGrids(const QString& text);

// Fixed values only: as parseParameterGrids(), and a grid is refused ("a grid (|) needs tuning").
std::map<std::string, ModelParameters> parseModelParameters(const QString& text);

// The single-valued parameters of `family` in `grids`.
ModelParameters fixedParameters(const ParameterGrids& grids, const std::string& family);
// The grid ranges (two or more values) of `family`, in name order; empty when none.
std::vector<ParameterRange> gridRanges(const ParameterGrids& grids, const std::string& family);

}  // namespace animerec::jobs

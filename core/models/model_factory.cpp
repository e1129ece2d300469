#include "models/model_factory.h"

namespace animerec {

std::vector<std::string> knownModelNames() {
    std::vector<std::string> names;
    for (const ModelFamily& family : modelFamilies()) names.push_back(family.name);
    return names;
}

std::vector<std::string> modelNamesOfKind(ModelKind kind) {
    std::vector<std::string> names;
    for (const ModelFamily& family : modelFamilies())
        if (family.kind == kind) names.push_back(family.name);
    return names;
}

ModelKind kindOfModel(const std::string& name) { return modelFamily(name).kind; }

std::unique_ptr<Recommender> createRecommender(const std::string& name,
                                               const ModelParameters& parameters) {
    ParameterBinder binder(name, parameters);
    auto model = modelFamily(name).make(binder);
    binder.finish();
    return model;
}

}  // namespace animerec

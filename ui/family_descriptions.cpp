#include "family_descriptions.h"

#include <QCoreApplication>
#include <stdexcept>

#include "models/model_families.h"

namespace animerec::ui {

QString familyDescription(const std::string& family) {
    try {
        return QCoreApplication::translate("ModelFamily", modelFamily(family).description.c_str());
    } catch (const std::invalid_argument&) {
        return {};
    }
}

}  // namespace animerec::ui

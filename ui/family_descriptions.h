#pragma once

#include <QString>
#include <string>

namespace animerec::ui {

// The one-line description of a model family from the family table, in the interface language
// (translations/animerec_ru.ts, context "ModelFamily"); shown as the tooltip of family lists.
// Empty for a family the table does not know.
QString familyDescription(const std::string& family);

}  // namespace animerec::ui

#pragma once

#include <QString>

namespace animerec::ui {

// Where Studio finds the real sample it offers as demo data (data/sample: the CooperUnion
// anime.csv and the ratings of users 1-1,036): $ANIMEREC_SAMPLE_DIR, else the installed
// <prefix>/share/animerec/sample beside the executable, else the source tree it was built from.
// Empty when none holds anime.csv.
QString sampleDataDirectory();

}  // namespace animerec::ui

#pragma once

#include <QString>

namespace animerec::ui {

class MainWindow;

// Renders each panel of `window` to `directory`/NN-<panel>.png (creating the directory).
// Returns the number of images written.
int saveScreenshots(MainWindow& window, const QString& directory);

}  // namespace animerec::ui

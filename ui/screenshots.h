#pragma once

#include <QString>
#include <functional>

namespace animerec::ui {

class MainWindow;

// Renders each panel of `window` to `directory`/NN-<panel>.png (creating the directory).
// Returns the number of images written.
int saveScreenshots(MainWindow& window, const QString& directory);

// Fills the panels with representative content — a typical user in Compare, two favourite
// genres and a rated title in New user, an evaluation of the fast models in Metrics — then
// calls `ready` (after the evaluation ends, or at once when there is nothing to show).
void prepareScreenshotContent(MainWindow& window, std::function<void()> ready);

}  // namespace animerec::ui

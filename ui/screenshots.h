#pragma once

#include <QString>

namespace animerec::ui {

class MainWindow;

// Renders each panel of `window` to `directory`/NN-<panel>.png (creating the directory).
// Returns the number of images written.
int saveScreenshots(MainWindow& window, const QString& directory);

// Fills the panels with a representative query (the most active user in Compare, two favourite
// genres and a rated title in New user) so the pictures show real content.
void prepareScreenshotContent(MainWindow& window);

}  // namespace animerec::ui

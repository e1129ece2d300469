#include "screenshots.h"

#include <QApplication>
#include <QDir>
#include <QTabWidget>
#include <QTextStream>

#include "main_window.h"
#include "panels/data_panel.h"

namespace animerec::ui {

namespace {

bool save(QWidget& window, const QString& path) {
    QApplication::processEvents();  // let layouts and charts settle before grabbing
    const bool ok = window.grab().save(path);
    QTextStream(stderr) << (ok ? "wrote " : "could not write ") << path << "\n";
    return ok;
}

QString fileName(int index, const QString& name) {
    return QStringLiteral("%1-%2.png").arg(index, 2, 10, QLatin1Char('0')).arg(name.toLower().replace(' ', '-'));
}

}  // namespace

int saveScreenshots(MainWindow& window, const QString& directory) {
    QDir().mkpath(directory);
    const QDir dir(directory);
    int written = 0;
    int index = 0;
    const QStringList names = window.panelNames();
    for (int panel = 0; panel < names.size(); ++panel) {
        window.showPanel(panel);
        if (panel == 0 && !window.dataPanel()->showsEmptyState()) {
            // The Data panel has two tabs: one picture each.
            QTabWidget* tabs = window.dataPanel()->tabs();
            for (int tab = 0; tab < tabs->count(); ++tab) {
                tabs->setCurrentIndex(tab);
                written += save(window, dir.filePath(fileName(++index, names[panel] + " " + tabs->tabText(tab))));
            }
            tabs->setCurrentIndex(0);
            continue;
        }
        written += save(window, dir.filePath(fileName(++index, names[panel])));
    }
    return written;
}

}  // namespace animerec::ui

#pragma once

#include <QMainWindow>

class QLabel;
class QTableView;

namespace animerec::ui {

// Studio's main window: assembles the panels; owns no logic of its own.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `databasePath`: the SQLite database to browse (may not exist yet: an empty state is shown).
    explicit MainWindow(const QString& databasePath, QWidget* parent = nullptr);

private:
    void showDatabaseSummary();

    QString databasePath_;
    QLabel* summary_ = nullptr;
};

}  // namespace animerec::ui

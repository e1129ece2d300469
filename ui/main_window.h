#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace animerec::ui {

class BackgroundTask;
class ComparePanel;
class DataPanel;
class ExperimentsPanel;
class MapPanel;
class MonitoringPanel;
class TitlePage;
class MetricsPanel;
class TrainPanel;
class NewUserPanel;
class ServerPanel;
class StudioContext;
class TaskStatus;

// Studio's main window: a sidebar of panels, a status bar with the progress of the running
// background task (TaskStatus). Assembles panels; owns no domain logic.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `databasePath`: the SQLite database to browse (may not exist yet: an empty state is shown).
    explicit MainWindow(const QString& databasePath, QWidget* parent = nullptr);
    ~MainWindow() override;

    StudioContext* context() const { return context_; }
    DataPanel* dataPanel() const { return dataPanel_; }
    ComparePanel* comparePanel() const { return comparePanel_; }
    MetricsPanel* metricsPanel() const { return metricsPanel_; }
    TrainPanel* trainPanel() const { return trainPanel_; }
    ServerPanel* serverPanel() const { return serverPanel_; }
    NewUserPanel* newUserPanel() const { return newUserPanel_; }
    ExperimentsPanel* experimentsPanel() const { return experimentsPanel_; }
    MapPanel* mapPanel() const { return mapPanel_; }
    MonitoringPanel* monitoringPanel() const { return monitoringPanel_; }
    // Opens the page of one title (what a double-click on a title does anywhere).
    TitlePage* openTitle(qint64 animeId);
    // Opens the import wizard (also File > Import, Ctrl+I).
    void openImportDialog();
    // Imports the demo data in the background: the real sample (sample_data.h), else a
    // generated dataset next to the database when no sample can be found.
    BackgroundTask* generateDemoData();
    // Panel names in sidebar order, and switching to one (for shortcuts and screenshots).
    QStringList panelNames() const;
    void showPanel(int index);
    // Shows a task's progress in the status bar with a Cancel button until it ends.
    void trackTask(BackgroundTask* task);

protected:
    void closeEvent(class QCloseEvent* event) override;

private:
    void addPanel(const QString& name, QWidget* panel);
    void createMenus();
    void restoreLayout();

    StudioContext* context_;
    QListWidget* sidebar_;
    QStackedWidget* panels_;
    DataPanel* dataPanel_;
    ComparePanel* comparePanel_;
    MetricsPanel* metricsPanel_;
    TrainPanel* trainPanel_;
    ServerPanel* serverPanel_;
    NewUserPanel* newUserPanel_;
    ExperimentsPanel* experimentsPanel_;
    MapPanel* mapPanel_;
    MonitoringPanel* monitoringPanel_;
    TaskStatus* taskStatus_;
};

}  // namespace animerec::ui

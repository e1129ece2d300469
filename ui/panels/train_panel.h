#pragma once

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTabWidget;

namespace animerec::ui {

class BackgroundTask;
class ChartWidget;
class StudioContext;
class TaskStatus;

// The Train panel: runs the training job (jobs/training_job.h: optional tuning, the collaborative
// choice, the quality gate, publication) for one model family or all of them in a
// BackgroundTask, and lists the model files of the models directory with their version, size,
// the latest metrics stored in the database and the last gate decision. Tests find the widgets
// by object name: "family", "train", "taskStatus", "status", "modelFiles", "curveChart",
// "trials".
class TrainPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainPanel(StudioContext* context, QWidget* parent = nullptr);
    ~TrainPanel() override;

    QString modelsDirectory() const;
    void setModelsDirectory(const QString& directory);
    void setFamily(const QString& family);
    QString family() const;
    // Parameters in the shared syntax (jobs/parameter_syntax.h): "als.factors=64"; with tuning,
    // grids such as "als.factors=32|64".
    void setParametersText(const QString& text);
    void setTuning(bool tune);
    void setForce(bool force);

    // Trains the chosen family (or every family); null when a task runs or the input is invalid.
    BackgroundTask* startTraining();
    BackgroundTask* startTrainingAll();
    bool isRunning() const { return task_ != nullptr; }

    void reloadModelFiles();

signals:
    void taskStarted(animerec::ui::BackgroundTask* task);
    // At least one model file was written (the service should reload its models).
    void modelsChanged();
    void trainingFinished();
    void trainingFailed(const QString& error);
    void trainingCancelled();

private:
    QWidget* buildControls();
    QWidget* buildResults();
    BackgroundTask* start(const QStringList& families);
    void setRunning(bool running);
    void showStatus(const QString& text);

    StudioContext* context_;
    BackgroundTask* task_ = nullptr;

    QComboBox* family_;
    QLineEdit* parameters_;
    QCheckBox* tune_;
    QCheckBox* force_;
    QLineEdit* modelsDir_;
    QPushButton* train_;
    QPushButton* trainAll_;
    TaskStatus* taskStatus_;
    QLabel* status_;

    QStandardItemModel* files_;
    QTableView* filesView_;
    QTabWidget* tabs_;
    ChartWidget* curveChart_;
    QStandardItemModel* trials_;
};

}  // namespace animerec::ui

#pragma once

#include <QStringList>
#include <QWidget>

#include "jobs/evaluation_job.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;
class QTabWidget;

namespace animerec::ui {

class BackgroundTask;
class ChartWidget;
class EvaluationResultsModel;
class StudioContext;
class TaskStatus;
enum class MetricGroup;

// The Metrics panel: runs an offline evaluation of the chosen models in a BackgroundTask and
// shows its metrics (bars with 95% CIs, Recall/NDCG curves, long tail, training curves, a
// results table), and the history of past runs stored in the database. Tests find the widgets
// by object name: "run", "taskStatus", "status", "metricChart", "curveChart", "longTailChart",
// "trainingChart", "tables", "results" (the model), "history" (the view).
class MetricsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MetricsPanel(StudioContext* context, QWidget* parent = nullptr);
    ~MetricsPanel() override;

    // The job settings the controls describe (on the context's database), and setting the
    // controls (tests, restoring state). settings() throws std::invalid_argument when the
    // parameter text is malformed (jobs/parameter_syntax.h).
    jobs::EvaluationSettings settings() const;
    void setSettings(const jobs::EvaluationSettings& settings, const QString& parametersText = {});

    // Starts an evaluation with the current settings; null (and a message) when one is already
    // running or the settings are invalid.
    BackgroundTask* startEvaluation();
    bool isRunning() const { return task_ != nullptr; }

    void setMetricGroup(MetricGroup group);
    void setCurveKind(bool ndcg);

    // Exports every chart to `directory` as <name>.png or .pdf; returns the files written.
    QStringList exportCharts(const QString& directory, const QString& format);
    bool exportResultsCsv(const QString& path) const;

    // Shows a stored run (metrics only: curves are not stored). False when it does not exist.
    bool showStoredRun(qint64 runId);
    void reloadHistory();

    // The last evaluation this panel ran (or the stored run it shows).
    const jobs::EvaluationResult& lastResult() const { return outcome_; }

signals:
    void taskStarted(animerec::ui::BackgroundTask* task);
    void evaluationFinished(qint64 runId);
    void evaluationFailed(const QString& error);
    void evaluationCancelled();

private:
    QWidget* buildControls();
    QWidget* buildCharts();
    QWidget* buildTables();
    void setRunning(bool running);
    void showOutcome(const jobs::EvaluationResult& outcome);
    void redrawBars();
    void redrawCurves();
    void exportChartsInteractively(const QString& format);
    void exportCsvInteractively();
    void showStatus(const QString& text);
    QList<ChartWidget*> charts() const;

    StudioContext* context_;
    BackgroundTask* task_ = nullptr;
    jobs::EvaluationResult outcome_;

    QComboBox* protocol_;
    QDoubleSpinBox* holdoutShare_;
    QSpinBox* lastN_;
    QSpinBox* minInteractions_;
    QSpinBox* k_;
    QSpinBox* seed_;
    QComboBox* catalogMode_;
    QList<QCheckBox*> modelBoxes_;
    QLineEdit* parameters_;
    QPushButton* run_;
    TaskStatus* taskStatus_;
    QLabel* status_;

    QComboBox* metricGroup_;
    QComboBox* curveKind_;
    ChartWidget* metricChart_;
    ChartWidget* curveChart_;
    ChartWidget* longTailChart_;
    ChartWidget* trainingChart_;

    QTabWidget* tabs_;
    EvaluationResultsModel* results_;
    QTableView* resultsView_;
    QStandardItemModel* history_;
    QTableView* historyView_;
};

}  // namespace animerec::ui

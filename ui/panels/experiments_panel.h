#pragma once

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace animerec::experiments {
class ExperimentCatalogue;
struct AbReport;
}  // namespace animerec::experiments

namespace animerec::ui {

class BackgroundTask;
class ChartWidget;
class StudioContext;
class TaskStatus;

// Experiments: define A/B tests (variants, shares), start / pause / stop them, and read their
// reports — per-variant CTR@K, watch and completion rates, ratings, coverage, differences with
// confidence intervals and significance, the sample size needed, CTR over time. A replay
// simulator answers "which would win" offline from held-out interactions. Tests find the widgets
// by object name: "experiments", "variants", "timelineChart", "replayStatus".
class ExperimentsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentsPanel(StudioContext* context, QWidget* parent = nullptr);
    ~ExperimentsPanel() override;

    // Creates a draft from "name" and "variant=role[:share]" lines; returns the error text.
    QString createExperiment(const QString& name, const QStringList& variants);
    // "start", "pause" or "stop" the selected experiment; returns the error text.
    QString transition(const QString& name, const QString& action);
    void reload();
    bool showReport(const QString& name);
    // Replays held-out interactions of the database against two model families in the
    // background and shows the report.
    BackgroundTask* simulate(const QString& controlFamily, const QString& treatmentFamily);

    QString winner() const { return winner_; }

signals:
    void taskStarted(animerec::ui::BackgroundTask* task);
    void simulationFinished();

private:
    experiments::ExperimentCatalogue* catalogue();
    void display(const experiments::AbReport& report);
    QString selectedName() const;

    StudioContext* context_;
    std::unique_ptr<experiments::ExperimentCatalogue> catalogue_;
    QListWidget* list_;
    QLabel* summary_;
    QTableWidget* variants_;
    QTableWidget* comparisons_;
    ChartWidget* timeline_;
    QComboBox* control_;
    QComboBox* treatment_;
    QPushButton* simulateButton_;
    TaskStatus* replayStatus_;
    QString winner_;
};

}  // namespace animerec::ui

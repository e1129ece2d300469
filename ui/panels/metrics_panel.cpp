#include "panels/metrics_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <memory>

#include "background_task.h"
#include "evaluation_history.h"
#include "family_descriptions.h"
#include "jobs/parameter_syntax.h"
#include "panels/metric_charts.h"
#include "panels/results_model.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"
#include "widgets/task_status.h"

namespace animerec::ui {

MetricsPanel::MetricsPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent), context_(context) {
    auto* layout = new QHBoxLayout(this);
    auto* controls = buildControls();
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(buildCharts());
    right->addWidget(buildTables());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);
    // Enough table for a handful of models under the 2x2 charts at a 1280x800 window.
    right->setSizes({520, 190});
    layout->addWidget(controls);
    layout->addWidget(right, 1);
    connect(context_, &StudioContext::dataChanged, this, &MetricsPanel::reloadHistory);
    setRunning(false);
    reloadHistory();
}

MetricsPanel::~MetricsPanel() = default;

QWidget* MetricsPanel::buildControls() {
    auto* box = new QGroupBox(tr("Evaluation"), this);
    auto* form = new QFormLayout;
    protocol_ = new QComboBox(box);
    protocol_->addItem(tr("Random holdout"));
    protocol_->addItem(tr("Leave last N out"));
    holdoutShare_ = new QDoubleSpinBox(box);
    holdoutShare_->setRange(0.05, 0.9);
    holdoutShare_->setSingleStep(0.05);
    holdoutShare_->setValue(0.2);
    lastN_ = new QSpinBox(box);
    lastN_->setRange(1, 100);
    lastN_->setValue(1);
    minInteractions_ = new QSpinBox(box);
    minInteractions_->setRange(2, 1000);
    minInteractions_->setValue(5);
    k_ = new QSpinBox(box);
    k_->setRange(1, 100);
    k_->setValue(10);
    seed_ = new QSpinBox(box);
    seed_->setRange(0, 1'000'000);
    seed_->setValue(42);
    catalogMode_ = new QComboBox(box);
    catalogMode_->addItem(tr("All items"));
    catalogMode_->addItem(tr("Interacted items"));
    catalogMode_->setToolTip(
        tr("Rank the whole catalogue, or only items that occur in train or test"));
    form->addRow(tr("Protocol"), protocol_);
    form->addRow(tr("Holdout share"), holdoutShare_);
    form->addRow(tr("Last N"), lastN_);
    form->addRow(tr("Min. events"), minInteractions_);
    form->addRow(tr("K"), k_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("Catalogue"), catalogMode_);

    auto* modelsBox = new QGroupBox(tr("Models"), box);
    auto* modelsLayout = new QVBoxLayout(modelsBox);
    for (const std::string& name : knownModelNames()) {
        auto* check = new QCheckBox(QString::fromStdString(name), modelsBox);
        check->setToolTip(familyDescription(name));
        check->setChecked(name == "popularity");
        modelsLayout->addWidget(check);
        modelBoxes_ << check;
    }
    parameters_ = new QLineEdit(box);
    parameters_->setPlaceholderText(QStringLiteral("sasrec.epochs=5; als.factors=64"));
    parameters_->setToolTip(
        tr("Hyper-parameters per model family: family.name=value, separated by ';'"));

    run_ = new QPushButton(tr("Run evaluation"), box);
    run_->setDefault(true);
    run_->setObjectName(QStringLiteral("run"));
    taskStatus_ = new TaskStatus(TaskStatus::Shape::Stacked, box);
    taskStatus_->setObjectName(QStringLiteral("taskStatus"));
    status_ = new QLabel(box);
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(modelsBox);
    layout->addWidget(new QLabel(tr("Parameters"), box));
    layout->addWidget(parameters_);
    layout->addWidget(run_);
    layout->addWidget(taskStatus_);
    layout->addWidget(status_);
    layout->addStretch();

    const auto protocolChanged = [this](int index) {
        holdoutShare_->setEnabled(index == 0);
        lastN_->setEnabled(index == 1);
    };
    connect(protocol_, &QComboBox::currentIndexChanged, this, protocolChanged);
    protocolChanged(0);
    connect(run_, &QPushButton::clicked, this, [this] { startEvaluation(); });

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(box);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFixedWidth(box->sizeHint().width() + 24);
    return scroll;
}

QWidget* MetricsPanel::buildCharts() {
    auto* page = new QWidget(this);
    metricGroup_ = new QComboBox(page);
    for (const MetricGroup group :
         {MetricGroup::Accuracy, MetricGroup::BeyondAccuracy, MetricGroup::Novelty})
        metricGroup_->addItem(metricGroupTitle(group), static_cast<int>(group));
    curveKind_ = new QComboBox(page);
    curveKind_->addItem(QStringLiteral("Recall@K"));
    curveKind_->addItem(QStringLiteral("NDCG@K"));
    auto* exportButton = new QToolButton(page);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(exportButton);
    menu->addAction(tr("Charts as PNG…"), this,
                    [this] { exportChartsInteractively(QStringLiteral("png")); });
    menu->addAction(tr("Charts as PDF…"), this,
                    [this] { exportChartsInteractively(QStringLiteral("pdf")); });
    menu->addAction(tr("Results table as CSV…"), this, &MetricsPanel::exportCsvInteractively);
    exportButton->setMenu(menu);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Metrics:"), page));
    bar->addWidget(metricGroup_);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Curve:"), page));
    bar->addWidget(curveKind_);
    bar->addStretch();
    bar->addWidget(exportButton);

    metricChart_ = new ChartWidget(tr("Metrics at K per model"), page);
    curveChart_ = new ChartWidget(tr("Accuracy by list length"), page);
    longTailChart_ =
        new ChartWidget(tr("Long tail: recommendations vs catalogue popularity"), page);
    trainingChart_ = new ChartWidget(tr("Training curves"), page);
    metricChart_->setObjectName(QStringLiteral("metricChart"));
    curveChart_->setObjectName(QStringLiteral("curveChart"));
    longTailChart_->setObjectName(QStringLiteral("longTailChart"));
    trainingChart_->setObjectName(QStringLiteral("trainingChart"));
    auto* grid = new QGridLayout;
    grid->addWidget(metricChart_, 0, 0);
    grid->addWidget(curveChart_, 0, 1);
    grid->addWidget(longTailChart_, 1, 0);
    grid->addWidget(trainingChart_, 1, 1);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    connect(metricGroup_, &QComboBox::currentIndexChanged, this, &MetricsPanel::redrawBars);
    connect(curveKind_, &QComboBox::currentIndexChanged, this, &MetricsPanel::redrawCurves);
    return page;
}

QWidget* MetricsPanel::buildTables() {
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("tables"));
    results_ = new EvaluationResultsModel(this);
    results_->setObjectName(QStringLiteral("results"));
    resultsView_ = new QTableView(tabs_);
    resultsView_->setModel(results_);
    resultsView_->verticalHeader()->hide();
    resultsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    resultsView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    resultsView_->setMinimumHeight(120);
    tabs_->addTab(resultsView_, tr("Results"));

    history_ = new QStandardItemModel(0, 6, this);
    history_->setHorizontalHeaderLabels(
        {tr("Run"), tr("Date (UTC)"), tr("Models"), tr("K"), tr("Users"), tr("Protocol")});
    historyView_ = new QTableView(tabs_);
    historyView_->setObjectName(QStringLiteral("history"));
    historyView_->setModel(history_);
    historyView_->verticalHeader()->hide();
    historyView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    historyView_->setSelectionMode(QAbstractItemView::SingleSelection);
    historyView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    historyView_->horizontalHeader()->setStretchLastSection(true);
    tabs_->addTab(historyView_, tr("History"));
    connect(
        historyView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (current.isValid())
                showStoredRun(history_->item(current.row(), 0)->data(Qt::UserRole).toLongLong());
        });
    return tabs_;
}

jobs::EvaluationSettings MetricsPanel::settings() const {
    jobs::EvaluationSettings settings;
    settings.databasePath = context_->databasePath();
    settings.protocol =
        protocol_->currentIndex() == 0 ? jobs::SplitProtocol::Holdout : jobs::SplitProtocol::LastN;
    settings.holdoutShare = holdoutShare_->value();
    settings.lastN = lastN_->value();
    settings.minInteractions = minInteractions_->value();
    settings.k = k_->value();
    settings.seed = static_cast<std::uint64_t>(seed_->value());
    settings.catalogMode =
        catalogMode_->currentIndex() == 0 ? CatalogMode::All : CatalogMode::Interacted;
    for (const QCheckBox* check : modelBoxes_)
        if (check->isChecked()) settings.models.push_back(check->text().toStdString());
    settings.parameters = jobs::parseModelParameters(parameters_->text());
    return settings;
}

void MetricsPanel::setSettings(const jobs::EvaluationSettings& settings,
                               const QString& parametersText) {
    protocol_->setCurrentIndex(settings.protocol == jobs::SplitProtocol::LastN ? 1 : 0);
    holdoutShare_->setValue(settings.holdoutShare);
    lastN_->setValue(settings.lastN);
    minInteractions_->setValue(settings.minInteractions);
    k_->setValue(settings.k);
    seed_->setValue(static_cast<int>(settings.seed));
    catalogMode_->setCurrentIndex(settings.catalogMode == CatalogMode::All ? 0 : 1);
    for (QCheckBox* check : modelBoxes_)
        check->setChecked(std::find(settings.models.begin(), settings.models.end(),
                                    check->text().toStdString()) != settings.models.end());
    parameters_->setText(parametersText);
}

BackgroundTask* MetricsPanel::startEvaluation() {
    if (task_) return nullptr;
    jobs::EvaluationSettings chosen;
    try {
        chosen = settings();
    } catch (const std::exception& error) {
        showStatus(QString::fromUtf8(error.what()));
        return nullptr;
    }
    if (chosen.models.empty()) {
        showStatus(tr("Choose at least one model."));
        return nullptr;
    }
    auto result = std::make_shared<jobs::EvaluationResult>();
    task_ = BackgroundTask::start(
        tr("Evaluation"),
        [chosen, result](const ProgressCallback& progress) {
            *result = jobs::runEvaluation(chosen, progress);
        },
        this);
    setRunning(true);
    QStringList names;
    for (const std::string& name : chosen.models) names << QString::fromStdString(name);
    showStatus(tr("Evaluating %1…").arg(names.join(QStringLiteral(", "))));
    taskStatus_->track(task_);
    connect(task_, &BackgroundTask::finished, this, [this, result] {
        task_ = nullptr;
        setRunning(false);
        showOutcome(*result);
        reloadHistory();
        QString message =
            tr("Evaluated %n model(s) on %1 users.", nullptr,
               static_cast<int>(result->report.models.size()))
                .arg(result->report.models.empty() ? 0
                                                   : result->report.models.front().evaluatedUsers);
        if (!result->failures.isEmpty())
            message += tr(" Failed: %1").arg(result->failures.join(QStringLiteral("; ")));
        if (!result->storeError.isEmpty()) message += tr(" Not stored: %1").arg(result->storeError);
        showStatus(message);
        emit evaluationFinished(result->runId);
    });
    // The task status shows the error.
    connect(task_, &BackgroundTask::failed, this, [this](const QString& error) {
        task_ = nullptr;
        setRunning(false);
        showStatus({});
        emit evaluationFailed(error);
    });
    connect(task_, &BackgroundTask::cancelled, this, [this] {
        task_ = nullptr;
        setRunning(false);
        showStatus(tr("Evaluation cancelled."));
        emit evaluationCancelled();
    });
    emit taskStarted(task_);
    return task_;
}

void MetricsPanel::setRunning(bool running) { run_->setEnabled(!running); }

void MetricsPanel::showStatus(const QString& text) { status_->setText(text); }

void MetricsPanel::showOutcome(const jobs::EvaluationResult& outcome) {
    outcome_ = outcome;
    results_->setReport(outcome_.report, outcome_.k);
    QStringList models;
    for (const auto& model : outcome_.report.models) models << QString::fromStdString(model.model);
    redrawBars();
    redrawCurves();
    showLongTail(*longTailChart_, outcome_.longTail, models);
    showTrainingCurves(*trainingChart_, outcome_.trainingCurves, models);
    tabs_->setCurrentWidget(resultsView_);
}

void MetricsPanel::redrawBars() {
    showMetricBars(*metricChart_, outcome_.report, outcome_.k,
                   static_cast<MetricGroup>(metricGroup_->currentData().toInt()));
}

void MetricsPanel::redrawCurves() {
    showRankCurves(*curveChart_, outcome_.report, curveKind_->currentIndex() == 1);
}

void MetricsPanel::setMetricGroup(MetricGroup group) {
    metricGroup_->setCurrentIndex(metricGroup_->findData(static_cast<int>(group)));
}

void MetricsPanel::setCurveKind(bool ndcg) { curveKind_->setCurrentIndex(ndcg ? 1 : 0); }

QList<ChartWidget*> MetricsPanel::charts() const {
    return {metricChart_, curveChart_, longTailChart_, trainingChart_};
}

QStringList MetricsPanel::exportCharts(const QString& directory, const QString& format) {
    QStringList written;
    if (!QDir().mkpath(directory)) return written;
    const QStringList names{QStringLiteral("metrics"), QStringLiteral("rank-curve"),
                            QStringLiteral("long-tail"), QStringLiteral("training-curves")};
    const QList<ChartWidget*> all = charts();
    for (int i = 0; i < all.size(); ++i) {
        const QString path = QDir(directory).filePath(names[i] + QLatin1Char('.') + format);
        const bool ok =
            format == QLatin1String("pdf") ? all[i]->exportPdf(path) : all[i]->exportPng(path);
        if (ok) written << path;
    }
    return written;
}

bool MetricsPanel::exportResultsCsv(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return false;
    file.write(results_->toCsv().toUtf8());
    return file.commit();
}

void MetricsPanel::exportChartsInteractively(const QString& format) {
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Export charts to"));
    if (directory.isEmpty()) return;
    const QStringList written = exportCharts(directory, format);
    showStatus(written.size() == charts().size()
                   ? tr("Wrote %n chart(s) to %1.", nullptr, static_cast<int>(written.size()))
                         .arg(directory)
                   : tr("Could not write every chart to %1.").arg(directory));
}

void MetricsPanel::exportCsvInteractively() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export results"), QStringLiteral("evaluation.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    if (exportResultsCsv(path))
        showStatus(tr("Wrote %1.").arg(path));
    else
        QMessageBox::warning(this, tr("Export results"), tr("Cannot write %1.").arg(path));
}

void MetricsPanel::reloadHistory() {
    history_->removeRows(0, history_->rowCount());
    for (const StoredRun& run : loadEvaluationRuns(context_->databasePath())) {
        QList<QStandardItem*> row{
            new QStandardItem(QString::number(run.id)),
            new QStandardItem(run.startedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
            new QStandardItem(run.models.join(QStringLiteral(", "))),
            new QStandardItem(QString::number(run.k)),
            new QStandardItem(QString::number(run.users)),
            new QStandardItem(run.protocol)};
        row.front()->setData(run.id, Qt::UserRole);
        history_->appendRow(row);
    }
    historyView_->resizeColumnsToContents();
}

bool MetricsPanel::showStoredRun(qint64 runId) {
    EvaluationReport report = loadEvaluationReport(context_->databasePath(), runId);
    if (report.models.empty()) return false;
    int k = outcome_.k;
    for (int row = 0; row < history_->rowCount(); ++row)
        if (history_->item(row, 0)->data(Qt::UserRole).toLongLong() == runId)
            k = history_->item(row, 3)->text().toInt();
    outcome_ = jobs::EvaluationResult{};
    outcome_.report = std::move(report);
    outcome_.k = k;
    outcome_.runId = runId;
    results_->setReport(outcome_.report, k);
    redrawBars();
    const QString notKept = tr("Kept only for evaluations run in this session.");
    curveChart_->clear(notKept);
    longTailChart_->clear(notKept);
    trainingChart_->clear(notKept);
    showStatus(
        tr("Showing stored run %1 (curves and long tail are kept only for runs of this session).")
            .arg(runId));
    return true;
}

}  // namespace animerec::ui

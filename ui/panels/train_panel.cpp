#include "panels/train_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

#include "background_task.h"
#include "evaluation_history.h"
#include "family_descriptions.h"
#include "jobs/training_job.h"
#include "model_files.h"
#include "models/model_factory.h"
#include "panels/metric_charts.h"
#include "service/gate_record.h"
#include "service/model_registry.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"
#include "widgets/task_status.h"

namespace animerec::ui {

namespace {

// The last `animerec train` quality-gate decision about `family`, when it was its role's
// candidate ("passed: ease ndcg@10 0.41 vs published ease 0.40 (+0.5%, margin 2.0%)").
QString gateText(const QString& modelsDirectory, const QString& family) {
    const auto role = service::roleOfFamily(family);
    if (!role) return {};
    const service::GateRecord gate =
        service::readGateRecord(modelsDirectory, service::roleName(*role));
    if (gate.decision.isEmpty() || gate.candidateModel != family) return {};
    return gate.decidedAt + QStringLiteral(" ") + gate.summary();
}

QString latestMetricsText(const std::map<std::string, double>& metrics) {
    const auto k = metrics.find("k");
    if (k == metrics.end()) return {};
    const int cut = static_cast<int>(k->second);
    QStringList parts;
    for (const char* name : {"ndcg", "recall"}) {
        const auto it = metrics.find(metricKey(name, cut));
        if (it != metrics.end())
            parts << QStringLiteral("%1@%2 %3")
                         .arg(QLatin1String(name))
                         .arg(cut)
                         .arg(it->second, 0, 'f', 4);
    }
    return parts.join(QStringLiteral(", "));
}

}  // namespace

TrainPanel::TrainPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent), context_(context) {
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(buildControls());
    layout->addWidget(buildResults(), 1);
    connect(context_, &StudioContext::dataChanged, this, &TrainPanel::reloadModelFiles);
    setRunning(false);
    reloadModelFiles();
}

TrainPanel::~TrainPanel() = default;

QWidget* TrainPanel::buildControls() {
    auto* box = new QGroupBox(tr("Train a model"), this);
    family_ = new QComboBox(box);
    family_->setObjectName(QStringLiteral("family"));
    for (const std::string& name : knownModelNames()) {
        family_->addItem(QString::fromStdString(name));
        family_->setItemData(family_->count() - 1, familyDescription(name), Qt::ToolTipRole);
    }
    parameters_ = new QLineEdit(box);
    parameters_->setPlaceholderText(QStringLiteral("als.factors=64, als.iterations=10"));
    parameters_->setToolTip(
        tr("Hyper-parameters as for animerec --param: family.name=value, separated by ','; "
           "when tuning, values to try as family.name=v1|v2"));
    tune_ = new QCheckBox(tr("Tune first"), box);
    tune_->setToolTip(
        tr("Search the parameters (the grids given, else the family's default search space) on "
           "a validation split carved from the data; the best are then trained on all data"));
    force_ = new QCheckBox(tr("Publish even if the quality gate refuses"), box);
    modelsDir_ = new QLineEdit(defaultModelsDirectory(context_->databasePath()), box);
    auto* browse = new QPushButton(tr("…"), box);
    browse->setToolTip(tr("Choose the models directory"));
    browse->setFixedWidth(32);
    auto* dirRow = new QHBoxLayout;
    dirRow->addWidget(modelsDir_);
    dirRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Family"), family_);
    form->addRow(tr("Parameters"), parameters_);
    form->addRow(tune_);
    form->addRow(force_);
    form->addRow(tr("Models dir"), dirRow);

    train_ = new QPushButton(tr("Train"), box);
    train_->setDefault(true);
    trainAll_ = new QPushButton(tr("Train all"), box);
    trainAll_->setToolTip(tr(
        "Train every family with its defaults (the parameters above apply to the chosen family)"));
    train_->setObjectName(QStringLiteral("train"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(train_);
    buttons->addWidget(trainAll_);
    taskStatus_ = new TaskStatus(TaskStatus::Shape::Stacked, box);
    taskStatus_->setObjectName(QStringLiteral("taskStatus"));
    status_ = new QLabel(box);
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(taskStatus_);
    layout->addWidget(status_);
    layout->addStretch();

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString directory =
            QFileDialog::getExistingDirectory(this, tr("Models directory"), modelsDir_->text());
        if (!directory.isEmpty()) setModelsDirectory(directory);
    });
    connect(modelsDir_, &QLineEdit::editingFinished, this, &TrainPanel::reloadModelFiles);
    connect(train_, &QPushButton::clicked, this, [this] { startTraining(); });
    connect(trainAll_, &QPushButton::clicked, this, [this] { startTrainingAll(); });

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(box);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFixedWidth(360);
    return scroll;
}

QWidget* TrainPanel::buildResults() {
    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* filesBox = new QGroupBox(tr("Model files"), splitter);
    files_ = new QStandardItemModel(0, 7, this);
    files_->setHorizontalHeaderLabels({tr("Family"), tr("Version"), tr("Size"), tr("Modified"),
                                       tr("Latest metrics"), tr("Quality gate"), tr("Path")});
    filesView_ = new QTableView(filesBox);
    filesView_->setObjectName(QStringLiteral("modelFiles"));
    filesView_->setModel(files_);
    filesView_->verticalHeader()->hide();
    filesView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    filesView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    filesView_->horizontalHeader()->setStretchLastSection(true);
    auto* refresh = new QPushButton(tr("Refresh"), filesBox);
    auto* filesLayout = new QVBoxLayout(filesBox);
    filesLayout->addWidget(filesView_);
    filesLayout->addWidget(refresh, 0, Qt::AlignRight);
    connect(refresh, &QPushButton::clicked, this, &TrainPanel::reloadModelFiles);

    tabs_ = new QTabWidget(splitter);
    curveChart_ = new ChartWidget(tr("Training loss of the last run"), tabs_);
    curveChart_->setObjectName(QStringLiteral("curveChart"));
    trials_ = new QStandardItemModel(0, 3, this);
    trials_->setHorizontalHeaderLabels({tr("Parameters"), tr("NDCG@K"), tr("Recall@K")});
    auto* trialsView = new QTableView(tabs_);
    trialsView->setObjectName(QStringLiteral("trials"));
    trialsView->setModel(trials_);
    trialsView->verticalHeader()->hide();
    trialsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    trialsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    tabs_->addTab(curveChart_, tr("Training curve"));
    tabs_->addTab(trialsView, tr("Tuning trials"));
    splitter->addWidget(filesBox);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    return splitter;
}

QString TrainPanel::modelsDirectory() const { return modelsDir_->text().trimmed(); }

void TrainPanel::setModelsDirectory(const QString& directory) {
    modelsDir_->setText(directory);
    reloadModelFiles();
}

void TrainPanel::setFamily(const QString& family) {
    family_->setCurrentIndex(family_->findText(family));
}
QString TrainPanel::family() const { return family_->currentText(); }
void TrainPanel::setParametersText(const QString& text) { parameters_->setText(text); }

void TrainPanel::setTuning(bool tune) { tune_->setChecked(tune); }
void TrainPanel::setForce(bool force) { force_->setChecked(force); }

BackgroundTask* TrainPanel::startTraining() { return start({family_->currentText()}); }

BackgroundTask* TrainPanel::startTrainingAll() {
    QStringList families;
    for (int i = 0; i < family_->count(); ++i) families << family_->itemText(i);
    return start(families);
}

BackgroundTask* TrainPanel::start(const QStringList& families) {
    if (task_ || families.isEmpty()) return nullptr;
    jobs::TrainingSettings settings;
    settings.databasePath = context_->databasePath();
    settings.modelsDirectory = modelsDirectory();
    for (const QString& family : families) settings.families.push_back(family.toStdString());
    settings.tune = tune_->isChecked();
    settings.force = force_->isChecked();
    try {
        settings.parameters = jobs::parseParameterGrids(parameters_->text());
    } catch (const std::exception& error) {
        showStatus(QString::fromUtf8(error.what()));
        return nullptr;
    }
    if (settings.modelsDirectory.isEmpty()) {
        showStatus(tr("Choose a models directory."));
        return nullptr;
    }
    auto result = std::make_shared<jobs::TrainingResult>();
    task_ = BackgroundTask::start(
        families.size() == 1 ? tr("Training %1").arg(families.front()) : tr("Training all models"),
        [settings, result](const ProgressCallback& progress) {
            *result = jobs::runTraining(settings, progress);
        },
        this);
    setRunning(true);
    trials_->removeRows(0, trials_->rowCount());
    showStatus({});
    taskStatus_->track(task_);
    // A failure or a cancel writes nothing the service reads (the job removes its staged files).
    const auto done = [this](const QString& message) {
        task_ = nullptr;
        setRunning(false);
        reloadModelFiles();
        showStatus(message);
    };
    connect(task_, &BackgroundTask::finished, this, [this, done, result] {
        QStringList saved;
        QStringList curveNames;
        std::vector<std::vector<double>> curves;
        for (const jobs::FamilyTraining& family : result->families) {
            const QString name = QString::fromStdString(family.family);
            if (!family.error.isEmpty()) continue;
            saved << QStringLiteral("%1 (%2 s)").arg(name).arg(family.fitSeconds, 0, 'f', 1);
            curveNames << name;
            curves.push_back(family.trainingCurve);
            for (int t = 0; t < static_cast<int>(family.trials.size()); ++t) {
                const Trial& trial = family.trials[static_cast<std::size_t>(t)];
                const auto metric = [&trial](const char* key) {
                    const auto it = trial.report.metrics.find(key);
                    return it == trial.report.metrics.end() ? QStringLiteral("-")
                                                            : QString::number(it->second, 'f', 4);
                };
                const QList<QStandardItem*> row{
                    new QStandardItem(name + QLatin1Char(' ') +
                                      QString::fromStdString(describeParameters(trial.parameters))),
                    new QStandardItem(metric("ndcg@10")), new QStandardItem(metric("recall@10"))};
                // The trial whose parameters the saved model uses.
                if (t == family.bestTrial) {
                    for (QStandardItem* item : row) {
                        QFont font = item->font();
                        font.setBold(true);
                        item->setFont(font);
                    }
                }
                trials_->appendRow(row);
            }
        }
        showTrainingCurves(*curveChart_, curves, curveNames);
        if (trials_->rowCount() > 0) tabs_->setCurrentIndex(1);
        QString message = tr("Training finished.");
        if (!saved.isEmpty())
            message += QLatin1Char(' ') + tr("Trained: %1.").arg(saved.join(QStringLiteral(", ")));
        if (!result->refusals.isEmpty())
            message += QLatin1Char(' ') +
                       tr("Quality gate: %1").arg(result->refusals.join(QStringLiteral("; ")));
        for (const jobs::FamilyTraining& family : result->families)
            if (!family.error.isEmpty())
                message +=
                    QLatin1Char(' ') +
                    tr("%1 failed: %2").arg(QString::fromStdString(family.family), family.error);
        done(message);
        if (!result->written.isEmpty()) emit modelsChanged();
        emit trainingFinished();
    });
    // The task status shows the error.
    connect(task_, &BackgroundTask::failed, this, [this, done](const QString& error) {
        done({});
        emit trainingFailed(error);
    });
    connect(task_, &BackgroundTask::cancelled, this, [this, done] {
        done(tr("Training cancelled."));
        emit trainingCancelled();
    });
    emit taskStarted(task_);
    return task_;
}

void TrainPanel::setRunning(bool running) {
    train_->setEnabled(!running);
    trainAll_->setEnabled(!running);
    family_->setEnabled(!running);
}

void TrainPanel::showStatus(const QString& text) { status_->setText(text); }

void TrainPanel::reloadModelFiles() {
    files_->removeRows(0, files_->rowCount());
    const auto latest = latestMetricsByModel(context_->databasePath());
    const QLocale locale;
    for (const ModelFileInfo& file : listModelFiles(modelsDirectory())) {
        const auto metrics = latest.find(file.family.toStdString());
        auto* size = new QStandardItem(locale.formattedDataSize(file.size));
        size->setData(file.size, Qt::UserRole);
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        files_->appendRow(
            {new QStandardItem(file.family), new QStandardItem(file.version), size,
             new QStandardItem(file.modified.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
             new QStandardItem(metrics == latest.end() ? tr("not evaluated")
                                                       : latestMetricsText(metrics->second)),
             new QStandardItem(gateText(modelsDirectory(), file.family)),
             new QStandardItem(file.path)});
    }
    filesView_->resizeColumnsToContents();
}

}  // namespace animerec::ui

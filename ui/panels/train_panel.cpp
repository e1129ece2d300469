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
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

#include "background_task.h"
#include "evaluation_history.h"
#include "models/model_factory.h"
#include "panels/metric_charts.h"
#include "service/gate_record.h"
#include "service/model_registry.h"
#include "studio_context.h"
#include "studio_tasks.h"
#include "train_tasks.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {

// What a training task hands back to the GUI thread: one outcome per family finished so far.
struct TrainingResults {
    QStringList families;
    std::vector<TrainOutcome> outcomes;
};

ModelParameters parseParameters(const QString& family, const QString& text) {
    QStringList entries;
    for (const QString& entry : text.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (!entry.trimmed().isEmpty()) entries << family + QLatin1Char('.') + entry.trimmed();
    const auto parsed = parseModelParameters(entries.join(QLatin1Char(';')));
    const auto it = parsed.find(family.toStdString());
    return it == parsed.end() ? ModelParameters{} : it->second;
}

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
    for (const std::string& name : knownModelNames())
        family_->addItem(QString::fromStdString(name));
    parameters_ = new QLineEdit(box);
    parameters_->setPlaceholderText(QStringLiteral("factors=64; iterations=10"));
    parameters_->setToolTip(tr("Hyper-parameters of this family: name=value, separated by ';'"));
    tune_ = new QCheckBox(tr("Tune first (grid search)"), box);
    tune_->setToolTip(
        tr("Every combination is fitted on a random 80/20 holdout; the best NDCG@K is "
           "then trained on all data"));
    grid_ = new QLineEdit(box);
    grid_->setToolTip(tr("Values to try: name=v1,v2; other=v1,v2"));
    tuneK_ = new QSpinBox(box);
    tuneK_->setRange(1, 100);
    tuneK_->setValue(10);
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
    form->addRow(tr("Grid"), grid_);
    form->addRow(tr("Tune at K"), tuneK_);
    form->addRow(tr("Models dir"), dirRow);

    train_ = new QPushButton(tr("Train"), box);
    train_->setDefault(true);
    trainAll_ = new QPushButton(tr("Train all"), box);
    trainAll_->setToolTip(tr(
        "Train every family with its defaults (the parameters above apply to the chosen family)"));
    cancel_ = new QPushButton(tr("Cancel"), box);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(train_);
    buttons->addWidget(trainAll_);
    buttons->addWidget(cancel_);
    progress_ = new QProgressBar(box);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    status_ = new QLabel(box);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addStretch();

    connect(family_, &QComboBox::currentIndexChanged, this, &TrainPanel::familyChanged);
    connect(tune_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setEnabled(on && !task_);
        tuneK_->setEnabled(on && !task_);
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString directory =
            QFileDialog::getExistingDirectory(this, tr("Models directory"), modelsDir_->text());
        if (!directory.isEmpty()) setModelsDirectory(directory);
    });
    connect(modelsDir_, &QLineEdit::editingFinished, this, &TrainPanel::reloadModelFiles);
    connect(train_, &QPushButton::clicked, this, [this] { startTraining(); });
    connect(trainAll_, &QPushButton::clicked, this, [this] { startTrainingAll(); });
    connect(cancel_, &QPushButton::clicked, this, &TrainPanel::cancel);
    familyChanged();

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
    trials_ = new QStandardItemModel(0, 3, this);
    trials_->setHorizontalHeaderLabels({tr("Parameters"), tr("NDCG@K"), tr("Recall@K")});
    auto* trialsView = new QTableView(tabs_);
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

void TrainPanel::familyChanged() {
    grid_->setText(defaultGridText(family_->currentText()));
    grid_->setCursorPosition(0);
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

void TrainPanel::setTuning(bool tune, const QString& gridText) {
    tune_->setChecked(tune);
    if (!gridText.isEmpty()) grid_->setText(gridText);
    grid_->setCursorPosition(0);
}

BackgroundTask* TrainPanel::startTraining() { return start({family_->currentText()}); }

BackgroundTask* TrainPanel::startTrainingAll() {
    QStringList families;
    for (int i = 0; i < family_->count(); ++i) families << family_->itemText(i);
    return start(families);
}

BackgroundTask* TrainPanel::start(const QStringList& families) {
    if (task_ || families.isEmpty()) return nullptr;
    std::vector<TrainSettings> plan;
    try {
        for (const QString& family : families) {
            TrainSettings settings;
            settings.family = family;
            settings.modelsDirectory = modelsDirectory();
            settings.tuneK = tuneK_->value();
            if (family == family_->currentText()) {
                settings.parameters = parseParameters(family, parameters_->text());
                settings.tune = tune_->isChecked();
                if (settings.tune) settings.grid = parseParameterGrid(grid_->text());
            }
            plan.push_back(settings);
        }
    } catch (const std::exception& error) {
        showStatus(QString::fromUtf8(error.what()));
        return nullptr;
    }
    if (modelsDirectory().isEmpty()) {
        showStatus(tr("Choose a models directory."));
        return nullptr;
    }
    const QString path = context_->databasePath();
    auto results = std::make_shared<TrainingResults>();
    results->families = families;
    task_ = BackgroundTask::start(
        families.size() == 1 ? tr("Training %1").arg(families.front()) : tr("Training all models"),
        [path, plan, results](const ProgressCallback& progress) {
            const int count = static_cast<int>(plan.size());
            for (int i = 0; i < count; ++i) {
                const auto& settings = plan[static_cast<std::size_t>(i)];
                results->outcomes.push_back(
                    runTraining(path, settings,
                                phaseProgress(progress, settings.family.toStdString(), i, count)));
            }
        },
        this);
    setRunning(true);
    trials_->removeRows(0, trials_->rowCount());
    showStatus(tr("Training %1…").arg(families.join(QStringLiteral(", "))));
    connect(task_, &BackgroundTask::progressed, this, [this](double share, const QString& message) {
        if (share < 0) {
            progress_->setRange(0, 0);
        } else {
            progress_->setRange(0, 1000);
            progress_->setValue(static_cast<int>(share * 1000));
        }
        showStatus(message);
    });
    // Files written before a failure or a cancel are complete (saves are atomic), so the service
    // is told about them whatever the outcome.
    const auto done =
        [this, results](const QString& message) {
            task_ = nullptr;
            setRunning(false);
            QStringList written;
            QStringList curveNames;
            std::vector<std::vector<double>> curves;
            for (std::size_t i = 0; i < results->outcomes.size(); ++i) {
                const TrainOutcome& outcome = results->outcomes[i];
                written << QStringLiteral("%1 (%2 s)")
                               .arg(results->families[static_cast<qsizetype>(i)])
                               .arg(outcome.fitSeconds, 0, 'f', 1);
                curveNames << results->families[static_cast<qsizetype>(i)];
                curves.push_back(outcome.trainingCurve);
                for (const TuneTrial& trial : outcome.trials) {
                    QStringList parameters;
                    for (const auto& [name, value] : trial.parameters)
                        parameters
                            << QStringLiteral("%1=%2").arg(QString::fromStdString(name)).arg(value);
                    const QList<QStandardItem*> row{
                        new QStandardItem(parameters.join(QStringLiteral("; "))),
                        new QStandardItem(QString::number(trial.ndcg, 'f', 4)),
                        new QStandardItem(QString::number(trial.recall, 'f', 4))};
                    // The trial whose parameters the saved model uses.
                    if (trial.parameters == outcome.parameters) {
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
            reloadModelFiles();
            showStatus(written.isEmpty()
                           ? message
                           : message + QLatin1Char(' ') +
                                 tr("Saved: %1.").arg(written.join(QStringLiteral(", "))));
            if (!written.isEmpty()) emit modelsChanged();
        };
    connect(task_, &BackgroundTask::finished, this, [this, done] {
        done(tr("Training finished."));
        emit trainingFinished();
    });
    connect(task_, &BackgroundTask::failed, this, [this, done](const QString& error) {
        done(tr("Training failed: %1").arg(error));
        emit trainingFailed(error);
    });
    connect(task_, &BackgroundTask::cancelled, this, [this, done] {
        done(tr("Training cancelled."));
        emit trainingCancelled();
    });
    emit taskStarted(task_);
    return task_;
}

void TrainPanel::cancel() {
    if (!task_) return;
    task_->cancel();
    cancel_->setEnabled(false);
    showStatus(tr("Cancelling…"));
}

void TrainPanel::setRunning(bool running) {
    train_->setEnabled(!running);
    trainAll_->setEnabled(!running);
    cancel_->setEnabled(running);
    family_->setEnabled(!running);
    grid_->setEnabled(!running && tune_->isChecked());
    tuneK_->setEnabled(!running && tune_->isChecked());
    progress_->setVisible(running);
    if (running) {
        progress_->setRange(0, 1000);
        progress_->setValue(0);
    }
}

void TrainPanel::showStatus(const QString& text) { status_->setText(text); }
QString TrainPanel::statusText() const { return status_->text(); }

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

int TrainPanel::modelFileCount() const { return files_->rowCount(); }

QString TrainPanel::modelFileCell(int row, int column) const {
    const QStandardItem* item = files_->item(row, column);
    return item ? item->text() : QString();
}

int TrainPanel::trialRowCount() const { return trials_->rowCount(); }

}  // namespace animerec::ui

#include "main_window.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>

#include "background_task.h"
#include "i18n/language.h"
#include "jobs/demo_data_job.h"
#include "panels/catalog_view.h"
#include "panels/compare_panel.h"
#include "panels/data_panel.h"
#include "panels/experiments_panel.h"
#include "panels/import_dialog.h"
#include "panels/map_panel.h"
#include "panels/metrics_panel.h"
#include "panels/monitoring_panel.h"
#include "panels/new_user_panel.h"
#include "panels/server_panel.h"
#include "panels/title_page.h"
#include "panels/train_panel.h"
#include "panels/user_browser.h"
#include "sample_data.h"
#include "studio_context.h"
#include "studio_database.h"
#include "widgets/task_status.h"

namespace animerec::ui {

MainWindow::MainWindow(const QString& databasePath, QWidget* parent)
    : QMainWindow(parent),
      context_(new StudioContext(databasePath, this)),
      sidebar_(new QListWidget(this)),
      panels_(new QStackedWidget(this)),
      taskStatus_(new TaskStatus(TaskStatus::Shape::Row, this)) {
    setWindowTitle(tr("AnimeRec Studio — %1").arg(databaseDisplayName(databasePath)));
    sidebar_->setFixedWidth(150);
    sidebar_->setIconSize(QSize(20, 20));
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(sidebar_);
    layout->addWidget(panels_, 1);
    setCentralWidget(central);

    dataPanel_ = new DataPanel(context_, this);
    comparePanel_ = new ComparePanel(context_, this);
    metricsPanel_ = new MetricsPanel(context_, this);
    trainPanel_ = new TrainPanel(context_, this);
    serverPanel_ = new ServerPanel(context_, this);
    newUserPanel_ = new NewUserPanel(context_, this);
    experimentsPanel_ = new ExperimentsPanel(context_, this);
    mapPanel_ = new MapPanel(context_, this);
    monitoringPanel_ = new MonitoringPanel(context_, this);
    addPanel(tr("Data"), dataPanel_);
    addPanel(tr("Compare"), comparePanel_);
    addPanel(tr("Metrics"), metricsPanel_);
    addPanel(tr("Train"), trainPanel_);
    addPanel(tr("Server"), serverPanel_);
    addPanel(tr("New user"), newUserPanel_);
    addPanel(tr("Experiments"), experimentsPanel_);
    addPanel(tr("Map"), mapPanel_);
    addPanel(tr("Monitoring"), monitoringPanel_);
    createMenus();

    connect(context_, &StudioContext::taskStarted, this, &MainWindow::trackTask);
    connect(metricsPanel_, &MetricsPanel::taskStarted, this, &MainWindow::trackTask);
    connect(trainPanel_, &TrainPanel::taskStarted, this, &MainWindow::trackTask);
    connect(experimentsPanel_, &ExperimentsPanel::taskStarted, this, &MainWindow::trackTask);
    connect(mapPanel_, &MapPanel::taskStarted, this, &MainWindow::trackTask);
    connect(context_, &StudioContext::titleRequested, this, &MainWindow::openTitle);
    connect(trainPanel_, &TrainPanel::modelsChanged, context_, &StudioContext::notifyModelsChanged);
    connect(context_, &StudioContext::serviceChanged, this,
            [this] { statusBar()->showMessage(tr("Models: %1").arg(context_->modelSummary())); });
    connect(dataPanel_, &DataPanel::importRequested, this, &MainWindow::openImportDialog);
    connect(dataPanel_, &DataPanel::generateRequested, this, &MainWindow::generateDemoData);
    // Double-clicking a title in the catalogue opens its page.
    connect(dataPanel_->catalog(), &CatalogView::animeActivated, context_,
            &StudioContext::requestTitle);
    // Picking a user in the browser prepares the comparison of the four models for them.
    connect(dataPanel_->users(), &UserBrowser::userSelected, this,
            [this](qint64 userId) { comparePanel_->compareUser(userId); });

    taskStatus_->setObjectName(QStringLiteral("taskStatus"));
    statusBar()->addPermanentWidget(taskStatus_);
    connect(taskStatus_, &TaskStatus::ended, this,
            [this](const QString& summary) { statusBar()->showMessage(summary, 10000); });
    statusBar()->showMessage(tr("Database: %1").arg(databaseDisplayName(databasePath)));

    connect(sidebar_, &QListWidget::currentRowChanged, panels_, &QStackedWidget::setCurrentIndex);
    sidebar_->setCurrentRow(0);
    restoreLayout();
    context_->reloadService();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Import CSV files…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    &MainWindow::openImportDialog);
    file->addAction(tr("&Load demo data (real sample)"), this, &MainWindow::generateDemoData);
    file->addAction(tr("&Reload data and models"), QKeySequence(Qt::Key_F5), context_,
                    &StudioContext::reloadService);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QStringList names = panelNames();
    for (int index = 0; index < names.size(); ++index)
        view->addAction(tr("%1\tCtrl+%2").arg(names[index]).arg(index + 1), this,
                        [this, index] { showPanel(index); });
    // Language: overrides the system locale from the next start (ANIMEREC_LANG overrides both).
    QMenu* language = menuBar()->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(this);
    const QString current =
        i18n::chosenLanguage(QSettings().value(QStringLiteral("language")).toString());
    const std::pair<QString, QString> choices[] = {
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("ru"), QStringLiteral("Русский")}};
    for (const auto& [code, name] : choices) {
        QAction* action = language->addAction(name);
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        languages->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = code] {
            QSettings().setValue(QStringLiteral("language"), code);
            statusBar()->showMessage(tr("The language changes when Studio starts again."));
        });
    }
}

void MainWindow::openImportDialog() {
    auto* dialog = new ImportDialog(context_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

BackgroundTask* MainWindow::generateDemoData() {
    // The real sample (CooperUnion anime.csv + users 1-1,036), as `scripts/run.sh` imports it;
    // the generator only when no sample can be found (a build moved away from its sources).
    jobs::DemoDataSettings settings;
    settings.databasePath = context_->databasePath();
    settings.sampleDirectory = sampleDataDirectory();
    settings.generatedDirectory =
        QDir(localDataDirectory(settings.databasePath)).filePath(QStringLiteral("demo-data"));
    auto* task = BackgroundTask::start(
        settings.sampleDirectory.isEmpty() ? tr("Generate demo data")
                                           : tr("Import the real sample"),
        [settings](const ProgressCallback& progress) { jobs::importDemoData(settings, progress); },
        this);
    trackTask(task);
    connect(task, &BackgroundTask::finished, context_, &StudioContext::notifyDataChanged);
    connect(task, &BackgroundTask::failed, this,
            [this](const QString& error) { QMessageBox::warning(this, tr("Demo data"), error); });
    return task;
}

MainWindow::~MainWindow() = default;

TitlePage* MainWindow::openTitle(qint64 animeId) {
    auto* page = new TitlePage(context_, animeId, this);
    page->show();
    return page;
}

void MainWindow::addPanel(const QString& name, QWidget* panel) {
    const int index = panels_->addWidget(panel);
    sidebar_->addItem(name);
    if (index < 9) {
        // Ctrl+1..9 switch panels.
        auto* shortcut =
            new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + index)), this);
        connect(shortcut, &QShortcut::activated, this, [this, index] { showPanel(index); });
        sidebar_->item(index)->setToolTip(tr("%1 (Ctrl+%2)").arg(name).arg(index + 1));
    }
}

QStringList MainWindow::panelNames() const {
    QStringList names;
    for (int row = 0; row < sidebar_->count(); ++row) names << sidebar_->item(row)->text();
    return names;
}

void MainWindow::showPanel(int index) { sidebar_->setCurrentRow(index); }

void MainWindow::trackTask(BackgroundTask* task) { taskStatus_->track(task); }

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    showPanel(settings.value(QStringLiteral("window/panel"), 0).toInt());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/panel"), sidebar_->currentRow());
    QMainWindow::closeEvent(event);
}

}  // namespace animerec::ui

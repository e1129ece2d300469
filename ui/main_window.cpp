#include "main_window.h"

#include <QCloseEvent>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

#include "background_task.h"
#include "panels/data_panel.h"
#include "studio_context.h"

namespace animerec::ui {

MainWindow::MainWindow(const QString& databasePath, QWidget* parent)
    : QMainWindow(parent),
      context_(new StudioContext(databasePath, this)),
      sidebar_(new QListWidget(this)),
      panels_(new QStackedWidget(this)),
      progress_(new QProgressBar(this)),
      cancel_(new QPushButton(tr("Cancel"), this)) {
    setWindowTitle(tr("AnimeRec Studio — %1").arg(databasePath));
    sidebar_->setFixedWidth(150);
    sidebar_->setIconSize(QSize(20, 20));
    auto* splitter = new QSplitter(this);
    splitter->addWidget(sidebar_);
    splitter->addWidget(panels_);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    dataPanel_ = new DataPanel(context_, this);
    addPanel(tr("Data"), dataPanel_);

    progress_->setMaximumWidth(260);
    progress_->hide();
    cancel_->hide();
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    statusBar()->showMessage(tr("Database: %1").arg(databasePath));

    connect(sidebar_, &QListWidget::currentRowChanged, panels_, &QStackedWidget::setCurrentIndex);
    sidebar_->setCurrentRow(0);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::addPanel(const QString& name, QWidget* panel) {
    const int index = panels_->addWidget(panel);
    sidebar_->addItem(name);
    if (index < 9) {
        // Ctrl+1..9 switch panels.
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + index)), this);
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

void MainWindow::trackTask(BackgroundTask* task) {
    progress_->setRange(0, 0);
    progress_->show();
    cancel_->show();
    cancel_->setEnabled(true);
    statusBar()->showMessage(task->name());
    connect(cancel_, &QPushButton::clicked, task, &BackgroundTask::cancel);
    connect(task, &BackgroundTask::progressed, this, [this, task](double share, const QString& message) {
        if (share < 0) {
            progress_->setRange(0, 0);
        } else {
            progress_->setRange(0, 1000);
            progress_->setValue(static_cast<int>(share * 1000));
        }
        statusBar()->showMessage(task->name() + QStringLiteral(": ") + message);
    });
    const auto done = [this](const QString& message) {
        progress_->hide();
        cancel_->hide();
        cancel_->disconnect();
        statusBar()->showMessage(message, 10000);
    };
    const QString name = task->name();
    connect(task, &BackgroundTask::finished, this, [done, name] { done(name + tr(": done")); });
    connect(task, &BackgroundTask::cancelled, this, [done, name] { done(name + tr(": cancelled")); });
    connect(task, &BackgroundTask::failed, this,
            [done, name](const QString& error) { done(name + tr(" failed: ") + error); });
}

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1280, 800);
    showPanel(settings.value(QStringLiteral("window/panel"), 0).toInt());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/panel"), sidebar_->currentRow());
    QMainWindow::closeEvent(event);
}

}  // namespace animerec::ui

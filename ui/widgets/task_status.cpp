#include "widgets/task_status.h"

#include <QBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "background_task.h"

namespace animerec::ui {

namespace {

// A duration as people read it: "45 s", "3 min 20 s", "1 h 5 min".
QString duration(qint64 ms) {
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60) return TaskStatus::tr("%1 s").arg(seconds);
    if (seconds < 3600) return TaskStatus::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return TaskStatus::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

}  // namespace

TaskStatus::TaskStatus(Shape shape, QWidget* parent)
    : QWidget(parent),
      text_(new QLabel(this)),
      bar_(new QProgressBar(this)),
      cancel_(new QPushButton(tr("Cancel"), this)) {
    text_->setObjectName(QStringLiteral("taskText"));
    bar_->setObjectName(QStringLiteral("taskProgress"));
    cancel_->setObjectName(QStringLiteral("taskCancel"));
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar_->setRange(0, 1000);
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(bar_, 1);
    controls->addWidget(cancel_);
    if (shape == Shape::Stacked) {
        text_->setWordWrap(true);
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(text_);
        layout->addLayout(controls);
    } else {
        // A long message is cut rather than widening the status bar; the tooltip has all of it.
        text_->setMinimumWidth(1);
        bar_->setMinimumWidth(180);  // room for "42% · 1 min 5 s left"
        bar_->setMaximumWidth(260);
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(text_, 1);
        layout->addLayout(controls);
    }
    connect(cancel_, &QPushButton::clicked, this, &TaskStatus::cancel);
    hide();
}

void TaskStatus::track(BackgroundTask* task) {
    if (task_) task_->disconnect(this);
    task_ = task;
    if (!task) {
        hide();
        return;
    }
    lastShare_ = -1;
    stageClock_.start();
    bar_->setRange(0, 0);  // busy until the first report says how far it is
    bar_->show();
    cancel_->setEnabled(true);
    cancel_->show();
    showText(task->name());
    show();
    const QString name = task->name();
    connect(task, &BackgroundTask::progressed, this,
            [this, name](double share, const QString& message) {
                showProgress(share,
                             message.isEmpty() ? name : name + QStringLiteral(": ") + message);
            });
    const auto end = [this](const QString& summary) {
        task_ = nullptr;
        hide();
        emit ended(summary);
    };
    connect(task, &BackgroundTask::finished, this, [end, name] { end(tr("%1: done").arg(name)); });
    connect(task, &BackgroundTask::cancelled, this,
            [end, name] { end(tr("%1: cancelled").arg(name)); });
    connect(task, &BackgroundTask::failed, this, [this, name](const QString& error) {
        task_ = nullptr;
        bar_->hide();
        cancel_->hide();
        showText(tr("%1 failed: %2").arg(name, error));
    });
}

void TaskStatus::cancel() {
    if (!task_) return;
    task_->cancel();
    cancel_->setEnabled(false);
    showText(tr("Cancelling…"));
}

void TaskStatus::showProgress(double share, const QString& message) {
    if (!cancel_->isEnabled()) return;  // "Cancelling…" stays until the task ends
    showText(message);
    if (share < 0) {
        bar_->setRange(0, 0);
        lastShare_ = -1;
        return;
    }
    // A share going back (or known again) means a new stage began: its rate is measured afresh.
    if (share < lastShare_ || lastShare_ < 0) stageClock_.restart();
    lastShare_ = share;
    bar_->setRange(0, 1000);
    bar_->setValue(static_cast<int>(share * 1000));
    const qint64 elapsed = stageClock_.elapsed();
    // The time left at the rate seen so far, once there is enough of it to be worth showing.
    if (share >= 0.01 && share < 1 && elapsed >= 1000)
        bar_->setFormat(
            tr("%p% · %1 left").arg(duration(static_cast<qint64>(elapsed * (1 - share) / share))));
    else
        bar_->setFormat(QStringLiteral("%p%"));
}

void TaskStatus::showText(const QString& text) {
    text_->setText(text);
    text_->setToolTip(text);
}

}  // namespace animerec::ui

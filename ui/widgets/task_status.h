#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace animerec::ui {

class BackgroundTask;

// How Studio shows a running BackgroundTask, wherever it is shown (a panel, the status bar, the
// import dialog): what it does now, a progress bar with the time left at the rate seen so far,
// and Cancel. It hides when the task finishes or is cancelled, and shows the error when it
// fails (until the next task). It only listens to queued signals: the GUI thread never waits.
class TaskStatus : public QWidget {
    Q_OBJECT
public:
    // Row: text, bar and Cancel side by side (status bar, dialogs). Stacked: the text above the
    // bar and Cancel (a panel's narrow control column).
    enum class Shape { Row, Stacked };

    explicit TaskStatus(Shape shape, QWidget* parent = nullptr);

    // Shows `task` until it ends; a task shown before is let go (it keeps running).
    void track(BackgroundTask* task);

public slots:
    // Asks the shown task to stop; it ends at its next progress report.
    void cancel();

signals:
    // The shown task finished or was cancelled and the widget hid: "<task>: done" or
    // "<task>: cancelled". A failure stays on the widget instead.
    void ended(const QString& summary);

private:
    void showProgress(double share, const QString& message);
    void showText(const QString& text);

    QLabel* text_;
    QProgressBar* bar_;
    QPushButton* cancel_;
    QPointer<BackgroundTask> task_;
    // Since the current stage began: each stage reports its own share from 0 to 1.
    QElapsedTimer stageClock_;
    double lastShare_ = -1;
};

}  // namespace animerec::ui

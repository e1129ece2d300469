#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <atomic>
#include <functional>

#include "util/progress.h"

namespace animerec::ui {

// Runs one long operation (import, training, evaluation) on its own QThread so the GUI thread
// never blocks. The work gets a ProgressCallback; each report becomes a queued `progressed`
// signal, and cancel() makes the next report return false (the core then throws
// OperationCancelled). Exactly one of finished / failed / cancelled is emitted, on the GUI thread.
// The object deletes itself after that signal.
class BackgroundTask : public QObject {
    Q_OBJECT
public:
    using Work = std::function<void(const ProgressCallback&)>;

    // Starts `work` at once. `name` is shown in progress messages.
    static BackgroundTask* start(const QString& name, Work work, QObject* parent = nullptr);
    // Destroying a running task (e.g. its window closes) cancels it and waits for the thread.
    ~BackgroundTask() override;

    QString name() const { return name_; }
    bool isRunning() const { return running_.load(); }

public slots:
    void cancel() { cancelRequested_.store(true); }

signals:
    // share in [0, 1], or -1 when the total is unknown.
    void progressed(double share, const QString& message);
    void finished();
    void failed(const QString& error);
    void cancelled();

private:
    BackgroundTask(const QString& name, Work work, QObject* parent);
    void run();

    QString name_;
    Work work_;
    QPointer<QThread> thread_;
    std::atomic<bool> cancelRequested_{false};
    std::atomic<bool> running_{false};
    // Reports are throttled so a hot loop cannot flood the event queue.
    std::atomic<qint64> lastReportMs_{0};
};

}  // namespace animerec::ui

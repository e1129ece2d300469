#include "background_task.h"

#include <QDateTime>
#include <QMetaObject>
#include <QThread>

namespace animerec::ui {

BackgroundTask* BackgroundTask::start(const QString& name, Work work, QObject* parent) {
    auto* task = new BackgroundTask(name, std::move(work), parent);
    task->thread_ = QThread::create([task] { task->run(); });
    task->running_.store(true);
    QObject::connect(task->thread_, &QThread::finished, task->thread_, &QObject::deleteLater);
    task->thread_->start(QThread::LowPriority);
    return task;
}

BackgroundTask::BackgroundTask(const QString& name, Work work, QObject* parent)
    : QObject(parent), name_(name), work_(std::move(work)) {}

BackgroundTask::~BackgroundTask() {
    cancelRequested_.store(true);
    if (thread_ && thread_->isRunning()) thread_->wait();
}

void BackgroundTask::run() {
    const ProgressCallback callback = [this](const Progress& progress) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const bool last = progress.total > 0 && progress.done >= progress.total;
        if (last || now - lastReportMs_.load() >= 50) {
            lastReportMs_.store(now);
            const double share = progress.total > 0 ? static_cast<double>(progress.done) /
                                                          static_cast<double>(progress.total)
                                                    : -1.0;
            QString message = QString::fromStdString(progress.stage);
            if (!progress.detail.empty())
                message += QStringLiteral(" — ") + QString::fromStdString(progress.detail);
            QMetaObject::invokeMethod(
                this, [this, share, message] { emit progressed(share, message); },
                Qt::QueuedConnection);
        }
        return !cancelRequested_.load();
    };
    enum class Outcome { Finished, Failed, Cancelled } outcome = Outcome::Finished;
    QString error;
    try {
        if (cancelRequested_.load()) throw OperationCancelled();
        work_(callback);
    } catch (const OperationCancelled&) {
        outcome = Outcome::Cancelled;
    } catch (const std::exception& exception) {
        outcome = Outcome::Failed;
        error = QString::fromUtf8(exception.what());
    } catch (...) {
        outcome = Outcome::Failed;
        error = QStringLiteral("unknown error");
    }
    running_.store(false);
    QMetaObject::invokeMethod(
        this,
        [this, outcome, error] {
            switch (outcome) {
                case Outcome::Finished:
                    emit finished();
                    break;
                case Outcome::Failed:
                    emit failed(error);
                    break;
                case Outcome::Cancelled:
                    emit cancelled();
                    break;
            }
            deleteLater();
        },
        Qt::QueuedConnection);
}

}  // namespace animerec::ui

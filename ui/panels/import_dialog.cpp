#include "panels/import_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSqlError>
#include <QTextStream>
#include <QUuid>
#include <QVBoxLayout>
#include <memory>

#include "background_task.h"
#include "storage/database.h"
#include "storage/importer.h"
#include "studio_context.h"
#include "widgets/task_status.h"

namespace animerec::ui {

namespace {

QString firstLines(const QString& path, int count) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QObject::tr("(cannot open %1: %2)").arg(path, file.errorString());
    QString text;
    for (int line = 0; line < count && !file.atEnd(); ++line)
        text += QString::fromUtf8(file.readLine(4096)).trimmed() + QLatin1Char('\n');
    return text;
}

// The first lines of the reject report (it can be long: the count says how many there are).
QString rejectExcerpt(const QString& path, int maxLines) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QString text;
    int lines = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (lines++ < maxLines) text += QString::fromUtf8(line);
    }
    if (lines > maxLines) text += QObject::tr("… %1 more in %2\n").arg(lines - maxLines).arg(path);
    return text;
}

}  // namespace

ImportDialog::ImportDialog(StudioContext* context, QWidget* parent)
    : QDialog(parent),
      context_(context),
      animePath_(new QLineEdit(this)),
      interactionsPath_(new QLineEdit(this)),
      maxRejectShare_(new QDoubleSpinBox(this)),
      preview_(new QPlainTextEdit(this)),
      report_(new QPlainTextEdit(this)),
      taskStatus_(new TaskStatus(TaskStatus::Shape::Row, this)),
      importButton_(new QPushButton(tr("Import"), this)),
      status_(new QLabel(this)) {
    setWindowTitle(tr("Import CSV files"));
    auto* browseAnime = new QPushButton(tr("Browse…"), this);
    auto* browseInteractions = new QPushButton(tr("Browse…"), this);
    auto* animeRow = new QHBoxLayout;
    animeRow->addWidget(animePath_);
    animeRow->addWidget(browseAnime);
    auto* interactionsRow = new QHBoxLayout;
    interactionsRow->addWidget(interactionsPath_);
    interactionsRow->addWidget(browseInteractions);
    maxRejectShare_->setRange(0.0, 1.0);
    maxRejectShare_->setSingleStep(0.05);
    maxRejectShare_->setValue(0.2);
    auto* form = new QFormLayout;
    form->addRow(tr("Anime file (anime.csv):"), animeRow);
    form->addRow(tr("Interactions (animelist.csv / rating.csv):"), interactionsRow);
    form->addRow(tr("Fail when the share of bad rows exceeds:"), maxRejectShare_);

    preview_->setReadOnly(true);
    preview_->setPlaceholderText(tr("The first lines of each file appear here."));
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    report_->setReadOnly(true);
    report_->setPlaceholderText(
        tr("Summary and rejected rows (file:line: reason) after the import."));
    report_->setLineWrapMode(QPlainTextEdit::NoWrap);
    taskStatus_->setObjectName(QStringLiteral("taskStatus"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(taskStatus_, 1);
    buttons->addWidget(importButton_, 0, Qt::AlignRight);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview:"), this));
    layout->addWidget(preview_, 1);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    layout->addWidget(report_, 1);
    layout->addWidget(close);
    resize(820, 620);

    connect(browseAnime, &QPushButton::clicked, this,
            [this] { browse(animePath_, tr("Anime CSV")); });
    connect(browseInteractions, &QPushButton::clicked, this,
            [this] { browse(interactionsPath_, tr("Interactions CSV")); });
    connect(animePath_, &QLineEdit::editingFinished, this, &ImportDialog::preview);
    connect(interactionsPath_, &QLineEdit::editingFinished, this, &ImportDialog::preview);
    connect(importButton_, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ImportDialog::browse(QLineEdit* target, const QString& caption) {
    const QString path = QFileDialog::getOpenFileName(this, caption, target->text(),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty()) return;
    target->setText(path);
    preview();
}

void ImportDialog::setFiles(const QString& animePath, const QString& interactionsPath) {
    animePath_->setText(animePath);
    interactionsPath_->setText(interactionsPath);
    preview();
}

void ImportDialog::setMaxRejectShare(double share) { maxRejectShare_->setValue(share); }

void ImportDialog::preview() {
    QString text;
    if (!animePath_->text().isEmpty())
        text += QStringLiteral("== %1\n%2\n")
                    .arg(animePath_->text(), firstLines(animePath_->text(), 6));
    if (!interactionsPath_->text().isEmpty())
        text += QStringLiteral("== %1\n%2")
                    .arg(interactionsPath_->text(), firstLines(interactionsPath_->text(), 6));
    preview_->setPlainText(text);
}

BackgroundTask* ImportDialog::startImport() {
    if (animePath_->text().isEmpty() || interactionsPath_->text().isEmpty()) {
        status_->setText(tr("Pick both files first."));
        return nullptr;
    }
    storage::ImportOptions options;
    options.animePath = animePath_->text();
    options.interactionsPath = interactionsPath_->text();
    options.maxRejectShare = maxRejectShare_->value();
    const QString databasePath = context_->databasePath();
    auto summary = std::make_shared<storage::ImportSummary>();
    auto* task = BackgroundTask::start(
        tr("Import"),
        [options, databasePath, summary](const ProgressCallback& progress) {
            storage::Database database(databasePath,
                                       QStringLiteral("studio-import-") +
                                           QUuid::createUuid().toString(QUuid::WithoutBraces));
            if (const QSqlError error = database.open(); error.isValid())
                throw std::runtime_error(database.path().toStdString() + ": " +
                                         error.text().toStdString());
            *summary = storage::importDataset(database, options, progress);
        },
        this);
    importButton_->setEnabled(false);
    report_->clear();
    status_->setText(tr("Importing…"));
    taskStatus_->track(task);
    const auto done = [this] { importButton_->setEnabled(true); };
    connect(task, &BackgroundTask::finished, this, [this, done, summary] {
        done();
        status_->setText(
            tr("Imported %1 anime, %2 users, %3 interactions in %4 s; %5 rows rejected.")
                .arg(summary->animeRows)
                .arg(summary->users)
                .arg(summary->interactions)
                .arg(summary->seconds, 0, 'f', 1)
                .arg(summary->animeRejects + summary->interactionRejects));
        report_->setPlainText(tr("Layouts: %1 / %2\nRejects (%3):\n%4")
                                  .arg(summary->animeLayout, summary->interactionsLayout,
                                       summary->rejectsPath,
                                       rejectExcerpt(summary->rejectsPath, 500)));
        context_->notifyDataChanged();
        emit imported();
    });
    connect(task, &BackgroundTask::cancelled, this, [this, done] {
        done();
        status_->setText(tr("Import cancelled: the database is unchanged."));
    });
    connect(task, &BackgroundTask::failed, this, [this, done](const QString& error) {
        done();
        status_->setText(tr("Import failed: the database is unchanged."));
        report_->setPlainText(error);
    });
    return task;
}

QString ImportDialog::report() const {
    return status_->text() + QLatin1Char('\n') + report_->toPlainText();
}

}  // namespace animerec::ui

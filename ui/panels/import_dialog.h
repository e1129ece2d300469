#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace animerec::ui {

class BackgroundTask;
class StudioContext;
class TaskStatus;

// Import wizard: pick the anime and interactions CSVs, preview their first lines, import in the
// background with progress and Cancel, then show the summary and the reject report
// (file:line: reason) of the rows that could not be used.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(StudioContext* context, QWidget* parent = nullptr);

    void setFiles(const QString& animePath, const QString& interactionsPath);
    void setMaxRejectShare(double share);
    // Starts the import; the dialog stays open and shows the outcome.
    BackgroundTask* startImport();
    QString report() const;

signals:
    void imported();

private:
    void preview();
    void browse(QLineEdit* target, const QString& caption);

    StudioContext* context_;
    QLineEdit* animePath_;
    QLineEdit* interactionsPath_;
    QDoubleSpinBox* maxRejectShare_;
    QPlainTextEdit* preview_;
    QPlainTextEdit* report_;
    TaskStatus* taskStatus_;
    QPushButton* importButton_;
    QLabel* status_;
};

}  // namespace animerec::ui

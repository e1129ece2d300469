#pragma once

#include <QObject>
#include <QSqlDatabase>
#include <QString>

namespace animerec::ui {

// What every Studio panel shares: the database being browsed. Panels read through
// `database()` on the GUI thread (short queries only); long work goes to BackgroundTask with its
// own connection. `dataChanged` tells panels to reload after an import.
class StudioContext : public QObject {
    Q_OBJECT
public:
    explicit StudioContext(const QString& databasePath, QObject* parent = nullptr);
    ~StudioContext() override;

    QString databasePath() const { return databasePath_; }
    // The GUI thread's connection (opened on first use; invalid when the file does not exist).
    QSqlDatabase database();
    // True when the database holds at least one anime.
    bool hasData();

    // Closes the GUI connection so another thread can replace the database, then announces it.
    void notifyDataChanged();

signals:
    void dataChanged();

private:
    QString databasePath_;
    QString connectionName_;
};

}  // namespace animerec::ui

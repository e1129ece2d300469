#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace animerec::storage {
class UserTable;
class UserHistoryTable;
}  // namespace animerec::storage

namespace animerec::ui {

class StudioContext;

// Users (most active first, searchable by id or name) and the selected user's history in
// sequence order: title, rating, status, watched episodes.
class UserBrowser : public QWidget {
    Q_OBJECT
public:
    explicit UserBrowser(StudioContext* context, QWidget* parent = nullptr);

    void reload();
    // Selects `userId` in the list and shows its history; false when the user is unknown.
    bool showUser(qint64 userId);
    int userRowCount() const;
    int historyRowCount() const;

signals:
    void userSelected(qint64 userId);

private:
    void applyFilter();
    void loadHistory(qint64 userId);

    StudioContext* context_;
    QLineEdit* search_;
    QTableView* users_;
    storage::UserTable* usersModel_;
    QLabel* historyTitle_;
    QTableView* history_;
    storage::UserHistoryTable* historyModel_;
};

}  // namespace animerec::ui

#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace animerec::storage {
class CatalogTable;
}

namespace animerec::ui {

class StudioContext;

// The catalogue as a table with a title search (object name "search") and genre / type filters.
class CatalogView : public QWidget {
    Q_OBJECT
public:
    explicit CatalogView(StudioContext* context, QWidget* parent = nullptr);

    // Re-reads the genre/type choices and the table (after an import).
    void reload();
    int rowCount() const;

signals:
    void animeActivated(qint64 animeId);

private:
    void applyFilter();

    StudioContext* context_;
    QLineEdit* search_;
    QComboBox* genre_;
    QComboBox* type_;
    QLabel* count_;
    QTableView* table_;
    storage::CatalogTable* model_;
};

}  // namespace animerec::ui

#pragma once

#include <QWidget>

class QStackedLayout;
class QTabWidget;

namespace animerec::ui {

class CatalogView;
class StudioContext;
class UserBrowser;

// The Data panel: catalogue and users, or an empty state offering to import or generate data.
class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(StudioContext* context, QWidget* parent = nullptr);

    CatalogView* catalog() const { return catalog_; }
    UserBrowser* users() const { return users_; }
    QTabWidget* tabs() const { return tabs_; }
    bool showsEmptyState() const;

signals:
    void importRequested();
    void generateRequested();

private:
    void reload();

    StudioContext* context_;
    QStackedLayout* stack_;
    QWidget* emptyState_;
    QTabWidget* tabs_;
    CatalogView* catalog_;
    UserBrowser* users_;
};

}  // namespace animerec::ui

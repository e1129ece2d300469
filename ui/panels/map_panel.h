#pragma once

#include <QVector>
#include <QWidget>
#include <memory>

#include "models/item_map.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;

namespace animerec::ui {

class BackgroundTask;
class StudioContext;

// Map: the catalogue as a model sees it — a 2-D projection (principal components) of the ALS
// item factors or of the content vectors, one point per title, coloured by primary genre or by
// popularity, zoomable and draggable, with a user's history and collaborative recommendations
// drawn over it: where a user's titles sit and where the lists reach is why lists differ. Hover
// names a point; double-click opens its title page.
class MapPanel : public QWidget {
    Q_OBJECT
public:
    enum class Source { AlsFactors, ContentVectors };
    enum class Colouring { Genre, Popularity };

    explicit MapPanel(StudioContext* context, QWidget* parent = nullptr);

    // Projects the source's item vectors in the background (returns the task, or null with the
    // reason shown); the plot follows when it finishes.
    BackgroundTask* compute(Source source);
    // Draws `userId`'s history and collaborative top-20 over the map (0 = none).
    void overlayUser(qint64 userId);

    const ItemMap& map() const { return map_; }
    int overlaidHistory() const { return overlaidHistory_; }
    int overlaidRecommendations() const { return overlaidRecommendations_; }
    int plottedGroups() const;

signals:
    void taskStarted(animerec::ui::BackgroundTask* task);

private:
    void redraw();
    int nearestPoint(const QPointF& pixel) const;

    StudioContext* context_;
    QComboBox* source_;
    QComboBox* colouring_;
    QLineEdit* user_;
    QLabel* status_;
    QCustomPlot* plot_;
    ItemMap map_;
    QString sourceName_;
    qint64 userId_ = 0;
    int overlaidHistory_ = 0;
    int overlaidRecommendations_ = 0;
};

}  // namespace animerec::ui

#pragma once

#include <QDialog>
#include <array>

class QLabel;

namespace animerec::ui {

class ChartWidget;
class RecommendationList;
class StudioContext;

// One title's page (opened by double-clicking a title anywhere): the catalogue facts, its
// neighbours by each model — content similarity, the collaborative model's item-to-item view,
// what the session model plays next — and who lists it here (counts by status, a rating
// histogram). The same answers as `animerec show anime` and `animerec similar`. Tests find the
// widgets by object name: "neighbours-content" (-collaborative, -session), "ratingChart".
class TitlePage : public QDialog {
    Q_OBJECT
public:
    TitlePage(StudioContext* context, qint64 animeId, QWidget* parent = nullptr);

    static constexpr int kNeighbourFamilies = 3;  // content, collaborative, session

private:
    void fill();

    StudioContext* context_;
    qint64 animeId_;
    QLabel* facts_;
    QLabel* audience_;
    ChartWidget* ratings_;
    std::array<RecommendationList*, kNeighbourFamilies> lists_{};
};

}  // namespace animerec::ui

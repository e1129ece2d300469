#pragma once

#include <QVector>
#include <QWidget>
#include <array>
#include <cstdint>
#include <vector>

class QDateEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace animerec::ui {

class RecommendationList;
class StudioContext;

// New user: create a user (name and join date go to the Users table), pick favourite genres
// and rate a few titles, and watch the four lists move from cold start to personal as the
// history grows. Ratings are stored as interactions of the new user. Tests find the widgets by
// object name: "ratedTitles", "list-popularity" (-content, -collaborative, -session).
class NewUserPanel : public QWidget {
    Q_OBJECT
public:
    explicit NewUserPanel(StudioContext* context, QWidget* parent = nullptr);

    // Creates the user in the database; returns the new id (0 on failure, reason shown).
    qint64 createUser(const QString& name);
    // Adds a rated title to the user's history (stored when a user was created) and refreshes.
    bool addTitle(qint64 animeId, int rating);
    void setFavouriteGenres(const QStringList& genres);
    void refresh();

private:
    void reloadChoices();
    QStringList favouriteGenres() const;

    StudioContext* context_;
    QLineEdit* name_;
    QDateEdit* joinDate_;
    QLabel* userLabel_;
    QListWidget* genres_;
    QLineEdit* titleSearch_;
    QSpinBox* rating_;
    QTableWidget* historyTable_;
    std::array<RecommendationList*, 4> lists_{};
    qint64 userId_ = 0;
    std::vector<std::int64_t> history_;
};

}  // namespace animerec::ui

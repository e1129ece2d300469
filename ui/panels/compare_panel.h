#pragma once

#include <QHash>
#include <QSet>
#include <QWidget>
#include <array>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace animerec::ui {

class HistoryView;
class RecommendationList;
class StudioContext;

// Compare: one query (a user, an anime, or a session of titles) answered by the four model
// families side by side — popularity, content-based, collaborative, session-based — beside what
// the user actually watched. Titles that several lists agree on are highlighted; hovering or
// selecting a recommended title marks the history titles that explain it; double-clicking any
// title opens its page.
class ComparePanel : public QWidget {
    Q_OBJECT
public:
    enum class QueryKind { User, Anime, Session };

    explicit ComparePanel(StudioContext* context, QWidget* parent = nullptr);

    // Fills the four lists for the query; returns false (and shows why) when it cannot be run.
    bool compare(QueryKind kind, const QString& text);
    void compareUser(qint64 userId) { compare(QueryKind::User, QString::number(userId)); }

    RecommendationList* list(int family) const { return lists_[static_cast<std::size_t>(family)]; }
    // Marks the history titles explaining `animeId` (as hovering it does); returns how many.
    int focusRecommendation(qint64 animeId);
    static constexpr int kFamilies = 4;

private:
    void run();
    QString statusFor(const QString& message, bool error);

    StudioContext* context_;
    QComboBox* kind_;
    QLineEdit* query_;
    QSpinBox* topN_;
    QLabel* status_;
    HistoryView* history_;
    std::array<RecommendationList*, kFamilies> lists_{};
    QHash<qint64, QSet<qint64>> because_;  // recommended title -> the history titles behind it
};

}  // namespace animerec::ui

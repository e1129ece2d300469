#pragma once

#include <QJsonArray>
#include <QSet>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace animerec::ui {

// What a user actually watched, beside the lists recommended to them: position, title, rating,
// status and order, oldest first (rows of explore::Explorer::showUser). highlight() marks the
// titles that explain the recommendation in focus.
class HistoryView : public QWidget {
    Q_OBJECT
public:
    explicit HistoryView(QWidget* parent = nullptr);

    // `rows`: [{anime_id, title, position, rating, status, order}, ...] oldest first.
    void showHistory(const QString& heading, const QJsonArray& rows);
    void showMessage(const QString& message);
    // Marks the rows of `animeIds` (and scrolls to the first); returns how many were marked.
    int highlight(const QSet<qint64>& animeIds);

    int rowCount() const;
    QVector<qint64> animeIds() const { return ids_; }
    QVector<qint64> highlighted() const;

signals:
    void animeActivated(qint64 animeId);

private:
    QLabel* header_;
    QTableWidget* table_;
    QVector<qint64> ids_;
};

}  // namespace animerec::ui

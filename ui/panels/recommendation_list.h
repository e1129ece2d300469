#pragma once

#include <QSet>
#include <QString>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace animerec::ui {

// One model's top-N as a table (rank, title, genres, score) under a header naming the model,
// its version and the strategy that produced the list. Rows whose anime appears in `shared`
// (titles several models agree on) are highlighted; each row's tooltip says why it is there.
class RecommendationList : public QWidget {
    Q_OBJECT
public:
    struct Row {
        qint64 animeId = 0;
        QString title;
        QString genres;
        double score = 0.0;
        QString why;  // explanation or strategy, shown on hover
    };

    RecommendationList(const QString& family, QWidget* parent = nullptr);

    void showRows(const QString& model, const QString& version, const QString& strategy,
                  const QVector<Row>& rows);
    void showMessage(const QString& message);
    void highlight(const QSet<qint64>& shared);

    QVector<qint64> animeIds() const;
    QString strategy() const { return strategy_; }
    int rowCount() const;

signals:
    // The row under the cursor or selected (0 when none), and a double-clicked row.
    void animeFocused(qint64 animeId);
    void animeActivated(qint64 animeId);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QString family_;
    QString strategy_;
    QLabel* header_;
    QTableWidget* table_;
    QVector<qint64> ids_;
};

}  // namespace animerec::ui

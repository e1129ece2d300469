#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QCheckBox;
class QTableWidget;
class QTimer;

namespace animerec::ui {

class ChartWidget;
class StudioContext;

// Monitoring: the online quality view of a running server (polls GET /quality) or of the shared
// database the replicas write their counts to (table QualityCounts): per route, model and
// version the lists served, CTR@10 with its interval, watch and completion rates, mean rating,
// coverage, novelty, cold-start, unknown-id and cache shares over a chosen window, and CTR and
// traffic over time. Tests find the widgets by object name: "monitoringTable",
// "monitoringStatus", "ctrChart", "trafficChart".
class MonitoringPanel : public QWidget {
    Q_OBJECT
public:
    enum class Source { Server, Database };

    explicit MonitoringPanel(StudioContext* context, QWidget* parent = nullptr);

    void setSource(Source source);
    void setServerUrl(const QString& url);
    // Polls the server or reads the database now (the server's answer arrives asynchronously).
    void refresh();
    // Shows a GET /quality answer (also what refresh() ends in).
    void showQuality(const QJsonObject& quality);
    // The window the table shows: "5m", "1h", "24h" or "total".
    void setWindow(const QString& window);

signals:
    void qualityShown();

private:
    void pollServer();
    void readDatabase();
    void fillTable();
    void fillCharts();

    StudioContext* context_;
    QComboBox* source_;
    QLineEdit* url_;
    QComboBox* window_;
    QCheckBox* auto_;
    QPushButton* refresh_;
    QLabel* status_;
    QTableWidget* table_;
    ChartWidget* ctrChart_;
    ChartWidget* trafficChart_;
    QTimer* timer_;
    QNetworkAccessManager* network_;
    QJsonObject quality_;
};

}  // namespace animerec::ui

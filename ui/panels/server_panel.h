#pragma once

#include <QElapsedTimer>
#include <QVector>
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace animerec::http {
class ApiServer;
struct ServeSettings;
}  // namespace animerec::http
namespace animerec::experiments {
class ExperimentRuntime;
}
namespace animerec::service {
class MetricsRegistry;
class RecommendService;
class RequestLog;
struct RequestLogEntry;
}  // namespace animerec::service

namespace animerec::ui {

class ChartWidget;
class StudioContext;

// Server: starts and stops the embedded HTTP API (the same routes as `animerec serve`) on a
// port, shows a live request log and charts requests/s and latency once a second.
class ServerPanel : public QWidget {
    Q_OBJECT
public:
    explicit ServerPanel(StudioContext* context, QWidget* parent = nullptr);
    ~ServerPanel() override;

    // Starts on `port` (0 = any free port) with the settings the panel shows; returns the bound
    // port, or 0 with the reason shown.
    quint16 start(quint16 port);
    // The settings the widgets hold (the same ServeSettings `animerec serve` maps its flags to).
    http::ServeSettings settings() const;
    void stop();
    bool isRunning() const { return server_ != nullptr; }
    quint16 port() const { return port_; }
    int loggedRequests() const { return logged_; }

private:
    void onRequest(const service::RequestLogEntry& entry);
    void tick();
    void updateState();

    StudioContext* context_;
    QComboBox* hostBox_;
    QSpinBox* portBox_;
    QSpinBox* warmUsersBox_;
    QDoubleSpinBox* exploreBox_;
    QLineEdit* logFileEdit_;
    QCheckBox* experimentsBox_;
    QPushButton* startStop_;
    QLabel* state_;
    QPlainTextEdit* log_;
    ChartWidget* rateChart_;
    ChartWidget* latencyChart_;
    QTimer* ticker_;

    // The server's own service over Studio's dataset and models, so its cold-start settings and
    // the feedback it receives do not change what the other panels show.
    std::unique_ptr<service::RecommendService> servedBy_;
    std::unique_ptr<experiments::ExperimentRuntime> experiments_;
    std::unique_ptr<service::MetricsRegistry> metrics_;
    std::unique_ptr<service::RequestLog> requestLog_;
    std::unique_ptr<http::ApiServer> server_;
    quint16 port_ = 0;
    int logged_ = 0;

    // Per-second samples for the charts (the last two minutes).
    QElapsedTimer clock_;
    int requestsThisSecond_ = 0;
    QVector<double> latenciesThisSecond_;
    QVector<double> seconds_, rate_, p50_, p99_;
};

}  // namespace animerec::ui

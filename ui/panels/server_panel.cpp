#include "panels/server_panel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "http/api_server.h"
#include "service/metrics_registry.h"
#include "service/recommend_service.h"
#include "service/request_log.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {
constexpr int kChartSeconds = 120;

double percentile(QVector<double> values, double share) {
    if (values.isEmpty()) return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<qsizetype>(share * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}
}  // namespace

ServerPanel::ServerPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      portBox_(new QSpinBox(this)),
      startStop_(new QPushButton(tr("Start server"), this)),
      state_(new QLabel(this)),
      log_(new QPlainTextEdit(this)),
      rateChart_(new ChartWidget(tr("Requests per second"), this)),
      latencyChart_(new ChartWidget(tr("Latency (ms)"), this)),
      ticker_(new QTimer(this)) {
    portBox_->setRange(0, 65535);
    portBox_->setValue(8000);
    portBox_->setPrefix(tr("port "));
    portBox_->setToolTip(tr("0 picks a free port"));
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* controls = new QHBoxLayout;
    controls->addWidget(portBox_);
    controls->addWidget(startStop_);
    controls->addWidget(state_, 1);

    log_->setReadOnly(true);
    log_->setMaximumBlockCount(2000);
    log_->setPlaceholderText(tr("Requests appear here while the server runs."));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSize(9);
    log_->setFont(mono);

    rateChart_->setAxisLabels(tr("seconds"), tr("requests/s"));
    latencyChart_->setAxisLabels(tr("seconds"), tr("ms"));
    auto* charts = new QHBoxLayout;
    charts->addWidget(rateChart_);
    charts->addWidget(latencyChart_);
    auto* chartBox = new QWidget(this);
    chartBox->setLayout(charts);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(chartBox);
    splitter->addWidget(log_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    connect(startStop_, &QPushButton::clicked, this, [this] {
        if (isRunning()) stop();
        else start(static_cast<quint16>(portBox_->value()));
    });
    connect(ticker_, &QTimer::timeout, this, &ServerPanel::tick);
    updateState();
}

ServerPanel::~ServerPanel() { stop(); }

quint16 ServerPanel::start(quint16 port) {
    if (isRunning()) return port_;
    servedBy_ = context_->service();
    if (!servedBy_) {
        state_->setText(tr("No data or models loaded yet: import data and train first."));
        return 0;
    }
    metrics_ = std::make_unique<service::MetricsRegistry>();
    service::RequestLogOptions options;
    options.toStderr = false;
    requestLog_ = std::make_unique<service::RequestLog>(options);
    requestLog_->setObserver([this](const service::RequestLogEntry& entry) { onRequest(entry); });
    StudioContext* context = context_;
    server_ = std::make_unique<http::ApiServer>(
        *servedBy_, *metrics_, *requestLog_,
        [context] { return context->models().loadDirectory(context->modelsDirectory()); },
        http::ApiOptions{});
    port_ = server_->listen(QHostAddress::LocalHost, port);
    if (port_ == 0) {
        server_.reset();
        state_->setText(tr("Could not listen on port %1 (in use?).").arg(port));
        updateState();
        return 0;
    }
    clock_.start();
    seconds_.clear();
    rate_.clear();
    p50_.clear();
    p99_.clear();
    ticker_->start(1000);
    updateState();
    return port_;
}

void ServerPanel::stop() {
    ticker_->stop();
    server_.reset();  // closes the listening socket
    requestLog_.reset();
    metrics_.reset();
    servedBy_.reset();
    port_ = 0;
    updateState();
}

void ServerPanel::onRequest(const service::RequestLogEntry& entry) {
    ++logged_;
    ++requestsThisSecond_;
    latenciesThisSecond_ << entry.latencyMs;
    log_->appendPlainText(QStringLiteral("%1  %2 %3  %4  %5 ms  %6")
                              .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                                   entry.method, entry.route)
                              .arg(entry.status)
                              .arg(entry.latencyMs, 0, 'f', 2)
                              .arg(entry.model.isEmpty() ? entry.message : entry.model));
}

void ServerPanel::tick() {
    const double now = static_cast<double>(clock_.elapsed()) / 1000.0;
    seconds_ << now;
    rate_ << requestsThisSecond_;
    p50_ << percentile(latenciesThisSecond_, 0.5);
    p99_ << percentile(latenciesThisSecond_, 0.99);
    requestsThisSecond_ = 0;
    latenciesThisSecond_.clear();
    if (seconds_.size() > kChartSeconds) {
        seconds_.removeFirst();
        rate_.removeFirst();
        p50_.removeFirst();
        p99_.removeFirst();
    }
    rateChart_->showLines({ChartSeries{tr("requests/s"), seconds_, rate_, {}, {}}});
    latencyChart_->showLines({ChartSeries{tr("p50"), seconds_, p50_, {}, {}},
                              ChartSeries{tr("p99"), seconds_, p99_, {}, {}}});
}

void ServerPanel::updateState() {
    portBox_->setEnabled(!isRunning());
    startStop_->setText(isRunning() ? tr("Stop server") : tr("Start server"));
    if (isRunning())
        state_->setText(tr("Serving http://127.0.0.1:%1 — GET /top, POST /recommend_collaborative, "
                           "/metrics, /openapi.json …").arg(port_));
    else if (state_->text().isEmpty() || state_->text().startsWith(tr("Serving")))
        state_->setText(tr("Stopped."));
}

}  // namespace animerec::ui

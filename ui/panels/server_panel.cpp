#include "panels/server_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "data/dataset.h"
#include "experiments/experiment_runtime.h"
#include "http/api_server.h"
#include "http/serve_settings.h"
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
      hostBox_(new QComboBox(this)),
      portBox_(new QSpinBox(this)),
      warmUsersBox_(new QSpinBox(this)),
      exploreBox_(new QDoubleSpinBox(this)),
      logFileEdit_(new QLineEdit(this)),
      experimentsBox_(new QCheckBox(tr("A/B tests and feedback"), this)),
      startStop_(new QPushButton(tr("Start server"), this)),
      state_(new QLabel(this)),
      log_(new QPlainTextEdit(this)),
      rateChart_(new ChartWidget(tr("Requests per second"), this)),
      latencyChart_(new ChartWidget(tr("Latency (ms)"), this)),
      ticker_(new QTimer(this)) {
    // The same settings and defaults as `animerec serve` (http::ServeSettings); only the host
    // defaults to this machine, since a desktop is not a server.
    const http::ServeSettings defaults;
    hostBox_->setObjectName(QStringLiteral("serverHost"));
    hostBox_->addItem(tr("this machine (127.0.0.1)"), QStringLiteral("127.0.0.1"));
    hostBox_->addItem(tr("every interface (%1)").arg(defaults.host.toString()),
                      defaults.host.toString());
    portBox_->setObjectName(QStringLiteral("serverPort"));
    portBox_->setRange(0, 65535);
    portBox_->setValue(defaults.port);
    portBox_->setPrefix(tr("port "));
    portBox_->setToolTip(tr("0 picks a free port"));
    warmUsersBox_->setObjectName(QStringLiteral("serverWarmUsers"));
    warmUsersBox_->setRange(0, 100'000'000);
    warmUsersBox_->setValue(defaults.warmUsers);
    warmUsersBox_->setPrefix(tr("warm-up users "));
    warmUsersBox_->setToolTip(
        tr("Answers of the most active users computed before /ready (0 = off)"));
    exploreBox_->setObjectName(QStringLiteral("serverExploreShare"));
    exploreBox_->setRange(0.0, 1.0);
    exploreBox_->setSingleStep(0.1);
    exploreBox_->setValue(defaults.exploreShare);
    exploreBox_->setPrefix(tr("exploration "));
    exploreBox_->setToolTip(tr("Share of a new user's list sampled below the top popular titles"));
    logFileEdit_->setObjectName(QStringLiteral("serverLogFile"));
    logFileEdit_->setText(QDir(QFileInfo(context_->databasePath()).absolutePath())
                              .filePath(QStringLiteral("log/studio-requests.jsonl")));
    logFileEdit_->setToolTip(tr("Request log file (JSON lines, rotated); empty = none"));
    experimentsBox_->setObjectName(QStringLiteral("serverExperiments"));
    experimentsBox_->setChecked(defaults.experiments);
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* controls = new QHBoxLayout;
    controls->addWidget(hostBox_);
    controls->addWidget(portBox_);
    controls->addWidget(startStop_);
    controls->addWidget(state_, 1);
    auto* options = new QHBoxLayout;
    options->addWidget(warmUsersBox_);
    options->addWidget(exploreBox_);
    options->addWidget(experimentsBox_);
    options->addWidget(new QLabel(tr("log file"), this));
    options->addWidget(logFileEdit_, 1);

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
    layout->addLayout(options);
    layout->addWidget(splitter, 1);

    connect(startStop_, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stop();
        else
            start(static_cast<quint16>(portBox_->value()));
    });
    connect(ticker_, &QTimer::timeout, this, &ServerPanel::tick);
    updateState();
}

ServerPanel::~ServerPanel() { stop(); }

http::ServeSettings ServerPanel::settings() const {
    http::ServeSettings settings;
    settings.host = QHostAddress(hostBox_->currentData().toString());
    settings.port = static_cast<quint16>(portBox_->value());
    settings.logFile = logFileEdit_->text().trimmed();
    settings.logToStderr = false;  // the panel shows the log
    settings.warmUsers = warmUsersBox_->value();
    settings.exploreShare = exploreBox_->value();
    settings.experiments = experimentsBox_->isChecked();
    return settings;
}

quint16 ServerPanel::start(quint16 port) {
    if (isRunning()) return port_;
    const std::shared_ptr<const Dataset> data = context_->dataset();
    if (!context_->service() || !data) {
        state_->setText(tr("No data or models loaded yet: import data and train first."));
        return 0;
    }
    http::ServeSettings settings = this->settings();
    settings.port = port;
    servedBy_ = std::make_unique<service::RecommendService>(data, context_->models());
    servedBy_->setColdStart(http::coldStartConfig(settings));
    if (settings.experiments) {
        experiments_ =
            std::make_unique<experiments::ExperimentRuntime>(context_->databasePath(), data);
        if (const QString error = experiments_->open(); !error.isEmpty()) {
            state_->setText(tr("A/B tests and feedback off: %1").arg(error));
            experiments_.reset();
        } else {
            servedBy_->setRecentHistory(experiments_->recentHistory());
        }
    }
    metrics_ = std::make_unique<service::MetricsRegistry>();
    requestLog_ = std::make_unique<service::RequestLog>(http::requestLogOptions(settings));
    requestLog_->setObserver([this](const service::RequestLogEntry& entry) { onRequest(entry); });
    StudioContext* context = context_;
    server_ = std::make_unique<http::ApiServer>(
        *servedBy_, *metrics_, *requestLog_,
        [context] { return context->models().loadDirectory(context->modelsDirectory()); },
        http::apiOptions(settings, experiments_.get()));
    port_ = server_->listen(settings.host, settings.port);
    if (port_ == 0) {
        server_.reset();
        experiments_.reset();
        servedBy_.reset();
        state_->setText(
            tr("Could not listen on %1:%2 (in use?).").arg(settings.host.toString()).arg(port));
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
    server_.reset();                          // closes the listening socket
    if (experiments_) experiments_->flush();  // exposures and feedback received so far
    experiments_.reset();
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
    log_->appendPlainText(
        QStringLiteral("%1  %2 %3  %4  %5 ms  %6")
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
    for (QWidget* setting : std::initializer_list<QWidget*>{
             hostBox_, portBox_, warmUsersBox_, exploreBox_, logFileEdit_, experimentsBox_})
        setting->setEnabled(!isRunning());
    startStop_->setText(isRunning() ? tr("Stop server") : tr("Start server"));
    if (isRunning())
        state_->setText(tr("Serving http://%1:%2 — the routes of `animerec serve`: GET /top, POST "
                           "/recommend_collaborative, /feedback, /ab/…, /metrics …")
                            .arg(hostBox_->currentData().toString())
                            .arg(port_));
    else if (state_->text().isEmpty() || state_->text().startsWith(tr("Serving")))
        state_->setText(tr("Stopped."));
}

}  // namespace animerec::ui

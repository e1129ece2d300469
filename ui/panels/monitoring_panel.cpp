#include "panels/monitoring_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSplitter>
#include <QSqlError>
#include <QTableWidget>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>
#include <map>

#include "service/quality_monitor.h"
#include "storage/database.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {

constexpr int kAutoRefreshMs = 5000;
// The CTR chart sums the 5-minute points of GET /quality into these: at one list in 100 sampled,
// a 5-minute CTR of one model is mostly noise.
constexpr qint64 kChartBucketMs = 30 * 60 * 1000;

QString percent(const QJsonValue& value) {
    return value.isDouble() ? QString::number(value.toDouble() * 100.0, 'f', 1) + u'%'
                            : QStringLiteral("–");
}

QString number(const QJsonValue& value, int decimals) {
    return value.isDouble() ? QString::number(value.toDouble(), 'f', decimals)
                            : QStringLiteral("–");
}

// "/recommend_collaborative" -> "collaborative"; other routes as they are.
QString shortRoute(const QString& route) {
    static const QString prefix = QStringLiteral("/recommend_");
    return route.startsWith(prefix) ? route.mid(prefix.size()) : route;
}

QString groupName(const QJsonObject& group, bool withVersion = true) {
    const QString model = group.value(QStringLiteral("model")).toString();
    const QString version = group.value(QStringLiteral("version")).toString();
    return (model.isEmpty() ? QStringLiteral("—") : model) +
           (withVersion && !version.isEmpty() ? u' ' + version.left(16) : QString()) +
           QStringLiteral(" · ") + shortRoute(group.value(QStringLiteral("route")).toString());
}

}  // namespace

MonitoringPanel::MonitoringPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      source_(new QComboBox(this)),
      url_(new QLineEdit(QStringLiteral("http://127.0.0.1:8000"), this)),
      window_(new QComboBox(this)),
      auto_(new QCheckBox(tr("Refresh every 5 s"), this)),
      refresh_(new QPushButton(tr("Refresh"), this)),
      status_(new QLabel(this)),
      table_(new QTableWidget(this)),
      ctrChart_(new ChartWidget(tr("CTR@10 of sampled lists per 30 minutes"), this)),
      trafficChart_(new ChartWidget(tr("Lists served per 5 minutes"), this)),
      timer_(new QTimer(this)),
      network_(new QNetworkAccessManager(this)) {
    source_->setObjectName(QStringLiteral("monitoringSource"));
    url_->setObjectName(QStringLiteral("monitoringUrl"));
    window_->setObjectName(QStringLiteral("monitoringWindow"));
    table_->setObjectName(QStringLiteral("monitoringTable"));
    status_->setObjectName(QStringLiteral("monitoringStatus"));
    ctrChart_->setObjectName(QStringLiteral("ctrChart"));
    trafficChart_->setObjectName(QStringLiteral("trafficChart"));
    source_->addItem(tr("Running server"), int(Source::Server));
    source_->addItem(tr("Shared database"), int(Source::Database));
    window_->addItem(tr("Last 5 minutes"), QStringLiteral("5m"));
    window_->addItem(tr("Last hour"), QStringLiteral("1h"));
    window_->addItem(tr("Last 24 hours"), QStringLiteral("24h"));
    window_->addItem(tr("Since start"), QStringLiteral("total"));
    window_->setCurrentIndex(1);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Source:"), this));
    controls->addWidget(source_);
    controls->addWidget(url_, 1);
    controls->addWidget(new QLabel(tr("Window:"), this));
    controls->addWidget(window_);
    controls->addWidget(auto_);
    controls->addWidget(refresh_);

    const QStringList headers{
        tr("Model · route"), tr("Lists"),       tr("Sampled"),   tr("CTR@10"),   tr("95% CI"),
        tr("Watch"),         tr("Complete"),    tr("Rating"),    tr("Coverage"), tr("Novelty"),
        tr("Cold start"),    tr("Unknown ids"), tr("Cache hits")};
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    ctrChart_->setAxisLabels(tr("hours before now"), tr("CTR@10"));
    trafficChart_->setAxisLabels(tr("hours before now"), tr("lists"));

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(ctrChart_);
    charts->addWidget(trafficChart_);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(table_);
    split->addWidget(charts);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(status_);
    layout->addWidget(split, 1);

    connect(refresh_, &QPushButton::clicked, this, &MonitoringPanel::refresh);
    connect(source_, &QComboBox::currentIndexChanged, this,
            [this] { url_->setEnabled(source_->currentData().toInt() == int(Source::Server)); });
    connect(window_, &QComboBox::currentIndexChanged, this, [this] { fillTable(); });
    connect(auto_, &QCheckBox::toggled, this,
            [this](bool on) { on ? timer_->start(kAutoRefreshMs) : timer_->stop(); });
    connect(timer_, &QTimer::timeout, this, &MonitoringPanel::refresh);
    status_->setText(
        tr("Poll a running server's /quality, or read the counts the replicas wrote "
           "to the shared database."));
}

void MonitoringPanel::setSource(Source source) {
    source_->setCurrentIndex(source_->findData(int(source)));
}

void MonitoringPanel::setServerUrl(const QString& url) { url_->setText(url); }

void MonitoringPanel::setWindow(const QString& window) {
    window_->setCurrentIndex(window_->findData(window));
}

void MonitoringPanel::refresh() {
    if (source_->currentData().toInt() == int(Source::Server))
        pollServer();
    else
        readDatabase();
}

void MonitoringPanel::pollServer() {
    QString base = url_->text().trimmed();
    if (!base.endsWith(u'/')) base += u'/';
    const QUrl url = QUrl(base).resolved(QUrl(QStringLiteral("quality")));
    QNetworkRequest request(url);
    request.setTransferTimeout(5000);
    QNetworkReply* reply = network_->get(request);
    status_->setText(tr("Asking %1 …").arg(url.toString()));
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() != QNetworkReply::NoError || !body.contains(QStringLiteral("groups"))) {
            status_->setText(tr("%1: %2").arg(url.toString(), reply->errorString()));
            return;
        }
        showQuality(body);
    });
}

void MonitoringPanel::readDatabase() {
    storage::Database database(context_->databasePath(),
                               QStringLiteral("monitoring-") + QUuid::createUuid().toString());
    if (const QSqlError error = database.open(); error.isValid()) {
        status_->setText(tr("%1: %2").arg(context_->databasePath(), error.text()));
        return;
    }
    service::QualityMonitor monitor(context_->dataset());
    // Every replica's counts the table holds; the windows end now.
    if (const QSqlError error = monitor.loadFromDatabase(database, 0); error.isValid()) {
        status_->setText(tr("%1: %2").arg(context_->databasePath(), error.text()));
        return;
    }
    showQuality(monitor.toJson());
}

void MonitoringPanel::showQuality(const QJsonObject& quality) {
    quality_ = quality;
    const QJsonObject total = quality.value(QStringLiteral("overall"))
                                  .toObject()
                                  .value(QStringLiteral("total"))
                                  .toObject();
    const QString when =
        QDateTime::fromMSecsSinceEpoch(quality.value(QStringLiteral("generated_at_ms")).toInteger())
            .toString(QStringLiteral("HH:mm:ss"));
    status_->setText(
        tr("%1: %2 lists, %3 sampled, CTR@10 %4 since start; %5 (at %6)")
            .arg(quality.value(QStringLiteral("scope")).toString() == QLatin1String("replicas")
                     ? tr("All replicas")
                     : tr("This server"))
            .arg(total.value(QStringLiteral("lists")).toInteger())
            .arg(total.value(QStringLiteral("sampled")).toInteger())
            .arg(percent(total.value(QStringLiteral("ctr"))))
            .arg(tr("new users %1, unknown titles %2")
                     .arg(percent(total.value(QStringLiteral("drift"))
                                      .toObject()
                                      .value(QStringLiteral("new_user_share"))),
                          percent(total.value(QStringLiteral("drift"))
                                      .toObject()
                                      .value(QStringLiteral("unknown_title_share")))))
            .arg(when));
    fillTable();
    fillCharts();
    emit qualityShown();
}

void MonitoringPanel::fillTable() {
    const QString window = window_->currentData().toString();
    QList<QJsonObject> rows;
    for (const QJsonValue& value : quality_.value(QStringLiteral("groups")).toArray()) {
        const QJsonObject group = value.toObject();
        // Feedback that no sampled list explains has its own group: no list figures to show.
        if (group.value(QStringLiteral("windows"))
                .toObject()
                .value(QStringLiteral("total"))
                .toObject()
                .value(QStringLiteral("lists"))
                .toInteger() > 0)
            rows << group;
    }
    table_->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        const QJsonObject f =
            rows[row].value(QStringLiteral("windows")).toObject().value(window).toObject();
        const QJsonValue ctr = f.value(QStringLiteral("ctr"));
        const QString interval =
            ctr.isDouble()
                ? QStringLiteral("%1 – %2").arg(percent(f.value(QStringLiteral("ctr_ci_low"))),
                                                percent(f.value(QStringLiteral("ctr_ci_high"))))
                : QStringLiteral("–");
        const QStringList cells{groupName(rows[row]),
                                QString::number(f.value(QStringLiteral("lists")).toInteger()),
                                QString::number(f.value(QStringLiteral("sampled")).toInteger()),
                                percent(ctr),
                                interval,
                                percent(f.value(QStringLiteral("watch_rate"))),
                                percent(f.value(QStringLiteral("completion_rate"))),
                                number(f.value(QStringLiteral("mean_rating")), 2),
                                percent(f.value(QStringLiteral("coverage"))),
                                number(f.value(QStringLiteral("novelty")), 2),
                                percent(f.value(QStringLiteral("cold_start_share"))),
                                percent(f.value(QStringLiteral("unknown_id_share"))),
                                percent(f.value(QStringLiteral("cache_hit_rate")))};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(row, column, item);
        }
    }
}

void MonitoringPanel::fillCharts() {
    const double now = double(quality_.value(QStringLiteral("generated_at_ms")).toInteger());
    const QJsonArray series = quality_.value(QStringLiteral("timeline"))
                                  .toObject()
                                  .value(QStringLiteral("series"))
                                  .toArray();
    // Legends name the version only where a model serves a route in more than one.
    QHash<QString, int> versions;
    for (const QJsonValue& line : series) ++versions[groupName(line.toObject(), false)];
    QVector<ChartSeries> ctr, traffic;
    for (qsizetype s = 0; s < series.size(); ++s) {
        const QJsonObject line = series[s].toObject();
        const QString name = groupName(line, versions.value(groupName(line, false)) > 1);
        ChartSeries lists{name, {}, {}, {}, {}, int(s)};
        std::map<qint64, std::pair<qint64, qint64>> buckets;  // start -> clicked, sampled
        for (const QJsonValue& value : line.value(QStringLiteral("points")).toArray()) {
            const QJsonObject point = value.toObject();
            const qint64 start = point.value(QStringLiteral("start_ms")).toInteger();
            lists.x << (double(start) - now) / 3.6e6;
            lists.y << double(point.value(QStringLiteral("lists")).toInteger());
            auto& bucket = buckets[start / kChartBucketMs * kChartBucketMs];
            bucket.first += point.value(QStringLiteral("clicked")).toInteger();
            bucket.second += point.value(QStringLiteral("sampled")).toInteger();
        }
        ChartSeries rate{name, {}, {}, {}, {}, int(s)};
        for (const auto& [start, counts] : buckets) {
            if (counts.second == 0) continue;
            rate.x << (double(start) - now) / 3.6e6;
            rate.y << double(counts.first) / double(counts.second);
        }
        if (!rate.x.isEmpty()) ctr << rate;
        traffic << lists;
    }
    if (ctr.isEmpty())
        ctrChart_->clear(tr("No sampled lists yet."));
    else
        ctrChart_->showLines(ctr);
    if (traffic.isEmpty())
        trafficChart_->clear(tr("No lists served yet."));
    else
        trafficChart_->showLines(traffic);
}

}  // namespace animerec::ui

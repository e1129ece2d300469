#include "panels/experiments_panel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "background_task.h"
#include "experiments/ab_report.h"
#include "experiments/experiment_catalogue.h"
#include "family_descriptions.h"
#include "jobs/replay_job.h"
#include "jobs/variant_syntax.h"
#include "models/model_factory.h"
#include "service/recommend_service.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"
#include "widgets/task_status.h"

namespace animerec::ui {

namespace {

using experiments::AbReport;

QString percent(double value) { return QString::number(100.0 * value, 'f', 2) + QLatin1Char('%'); }

void fillRow(QTableWidget* table, int row, const QStringList& cells) {
    for (int column = 0; column < cells.size(); ++column) {
        auto* item = new QTableWidgetItem(cells[column]);
        if (column > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table->setItem(row, column, item);
    }
}

QTableWidget* makeTable(QWidget* parent, const QStringList& headers) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return table;
}

}  // namespace

ExperimentsPanel::ExperimentsPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      list_(new QListWidget(this)),
      summary_(new QLabel(this)),
      variants_(
          makeTable(this, {tr("Variant"), tr("Role"), tr("Exposures"), tr("Users"), tr("CTR@K"),
                           tr("Watch"), tr("Complete"), tr("Mean rating"), tr("Coverage")})),
      comparisons_(makeTable(this, {tr("Metric"), tr("Variant vs control"), tr("Difference"),
                                    tr("95% interval"), tr("p"), tr("Significant")})),
      timeline_(new ChartWidget(tr("CTR over time per variant"), this)),
      control_(new QComboBox(this)),
      treatment_(new QComboBox(this)),
      simulateButton_(new QPushButton(tr("Simulate replay"), this)),
      replayStatus_(new TaskStatus(TaskStatus::Shape::Stacked, this)) {
    list_->setObjectName(QStringLiteral("experiments"));
    variants_->setObjectName(QStringLiteral("variants"));
    timeline_->setObjectName(QStringLiteral("timelineChart"));
    replayStatus_->setObjectName(QStringLiteral("replayStatus"));
    auto* create = new QPushButton(tr("New…"), this);
    auto* start = new QPushButton(tr("Start"), this);
    auto* pause = new QPushButton(tr("Pause"), this);
    auto* stop = new QPushButton(tr("Stop"), this);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* buttons = new QHBoxLayout;
    for (auto* button : {create, start, pause, stop, refresh}) buttons->addWidget(button);

    for (const std::string& name : knownModelNames())
        for (QComboBox* box : {control_, treatment_}) {
            box->addItem(QString::fromStdString(name));
            box->setItemData(box->count() - 1, familyDescription(name), Qt::ToolTipRole);
        }
    control_->setCurrentText(QStringLiteral("popularity"));
    treatment_->setCurrentText(QStringLiteral("ease"));
    auto* replayBox =
        new QGroupBox(tr("Offline replay (held-out interactions as behaviour)"), this);
    auto* replayForm = new QFormLayout(replayBox);
    replayForm->addRow(tr("Control:"), control_);
    replayForm->addRow(tr("Treatment:"), treatment_);
    replayForm->addRow(simulateButton_);
    replayForm->addRow(replayStatus_);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Experiments"), left));
    leftLayout->addWidget(list_, 1);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(replayBox);
    left->setMaximumWidth(360);

    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    timeline_->setAxisLabels(tr("time"), tr("CTR@K"));
    auto* right = new QSplitter(Qt::Vertical, this);
    auto* top = new QWidget(right);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(summary_);
    topLayout->addWidget(variants_, 1);
    topLayout->addWidget(comparisons_, 1);
    right->addWidget(top);
    right->addWidget(timeline_);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    summary_->setText(
        tr("Define an experiment (variants and traffic shares), start it, and the "
           "server assigns users to variants; or run an offline replay."));

    connect(list_, &QListWidget::currentTextChanged, this, [this](const QString& name) {
        if (!name.isEmpty()) showReport(name.section(QLatin1Char(' '), 0, 0));
    });
    connect(create, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("New experiment"), tr("Name:"), QLineEdit::Normal,
                                  QStringLiteral("collaborative-vs-session"), &ok);
        if (!ok) return;
        const QString variants = QInputDialog::getText(
            this, tr("New experiment"),
            tr("Variants (name=model[@version][:share], model a role or a model family, "
               "comma-separated):"),
            QLineEdit::Normal, QStringLiteral("control=collaborative:0.5, treatment=session:0.5"),
            &ok);
        if (!ok) return;
        const QString error =
            createExperiment(name, variants.split(QLatin1Char(','), Qt::SkipEmptyParts));
        if (!error.isEmpty()) summary_->setText(error.toHtmlEscaped());
    });
    for (const auto& [button, action] :
         {std::pair{start, "start"}, std::pair{pause, "pause"}, std::pair{stop, "stop"}}) {
        connect(button, &QPushButton::clicked, this, [this, action = QString::fromLatin1(action)] {
            const QString error = transition(selectedName(), action);
            if (!error.isEmpty()) summary_->setText(error.toHtmlEscaped());
        });
    }
    connect(refresh, &QPushButton::clicked, this, &ExperimentsPanel::reload);
    connect(simulateButton_, &QPushButton::clicked, this,
            [this] { simulate(control_->currentText(), treatment_->currentText()); });
    connect(context_, &StudioContext::dataChanged, this, [this] {
        catalogue_.reset();  // the database was replaced
        reload();
    });
    reload();
}

ExperimentsPanel::~ExperimentsPanel() = default;

experiments::ExperimentCatalogue* ExperimentsPanel::catalogue() {
    if (catalogue_) return catalogue_.get();
    if (!context_->hasData()) return nullptr;
    auto catalogue =
        std::make_unique<experiments::ExperimentCatalogue>(context_->databasePath(), nullptr);
    if (const QString error = catalogue->open(); !error.isEmpty()) {
        summary_->setText(tr("Cannot open the experiments: %1").arg(error.toHtmlEscaped()));
        return nullptr;
    }
    catalogue_ = std::move(catalogue);
    return catalogue_.get();
}

QString ExperimentsPanel::selectedName() const {
    const auto* item = list_->currentItem();
    return item ? item->text().section(QLatin1Char(' '), 0, 0) : QString();
}

void ExperimentsPanel::reload() {
    const QString selected = selectedName();
    const QSignalBlocker block(list_);
    list_->clear();
    auto* experiments = catalogue();
    if (!experiments) return;
    for (const auto& experiment : experiments->list()) {
        list_->addItem(QStringLiteral("%1  (%2)")
                           .arg(experiment.name, experiments::statusName(experiment.status)));
        if (experiment.name == selected) list_->setCurrentRow(list_->count() - 1);
    }
}

QString ExperimentsPanel::createExperiment(const QString& name, const QStringList& variants) {
    auto* experiments = catalogue();
    if (!experiments) return tr("No database: import data first.");
    QJsonArray definitions;
    try {
        definitions = jobs::parseVariants(variants);
    } catch (const std::invalid_argument& error) {
        return QString::fromUtf8(error.what());
    }
    const auto outcome = experiments->define(QJsonObject{
        {QStringLiteral("name"), name.trimmed()}, {QStringLiteral("variants"), definitions}});
    // As `animerec ab create` reports it: the field, then why.
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
        return error->field.isEmpty() ? error->message
                                      : error->field + QStringLiteral(": ") + error->message;
    reload();
    return {};
}

QString ExperimentsPanel::transition(const QString& name, const QString& action) {
    auto* experiments = catalogue();
    if (!experiments) return tr("No database: import data first.");
    if (name.isEmpty()) return tr("Select an experiment first.");
    const auto outcome = experiments->transition(name, action);
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome))
        return error->message;
    reload();
    showReport(name);
    return {};
}

bool ExperimentsPanel::showReport(const QString& name) {
    auto* experiments = catalogue();
    if (!experiments) return false;
    experiments::ReportOptions options;
    if (const auto data = context_->service())
        options.catalogueSize = data->dataset().catalog.size();
    const auto outcome = experiments->report(name, options);
    if (const auto* error = std::get_if<experiments::ExperimentError>(&outcome)) {
        summary_->setText(error->message.toHtmlEscaped());
        return false;
    }
    display(std::get<AbReport>(outcome));
    return true;
}

BackgroundTask* ExperimentsPanel::simulate(const QString& controlFamily,
                                           const QString& treatmentFamily) {
    if (!context_->hasData() || controlFamily == treatmentFamily) {
        summary_->setText(tr("Pick two different families on a database with data."));
        return nullptr;
    }
    auto report = std::make_shared<AbReport>();
    jobs::ReplaySettings settings;
    settings.databasePath = context_->databasePath();
    settings.variants = {controlFamily, treatmentFamily};
    auto* task = BackgroundTask::start(
        tr("Replay %1 vs %2").arg(controlFamily, treatmentFamily),
        [report, settings](const ProgressCallback& progress) {
            *report = jobs::runReplay(settings, progress).report;
        },
        this);
    simulateButton_->setEnabled(false);
    replayStatus_->track(task);
    // A failure's error stays on the replay status.
    const auto done = [this] { simulateButton_->setEnabled(true); };
    connect(task, &BackgroundTask::finished, this, [this, done, report] {
        done();
        display(*report);
        emit simulationFinished();
    });
    connect(task, &BackgroundTask::failed, this, done);
    connect(task, &BackgroundTask::cancelled, this, done);
    emit taskStarted(task);
    return task;
}

void ExperimentsPanel::display(const AbReport& report) {
    winner_ = report.winner;
    QString text = tr("<b>%1</b> — %2")
                       .arg(report.experiment.name.toHtmlEscaped(),
                            experiments::statusName(report.experiment.status));
    if (report.sampleSizePerVariant)
        text += tr("<br>Exposures per variant needed to detect a %1 lift in CTR: %2")
                    .arg(percent(report.options.minimumLift))
                    .arg(*report.sampleSizePerVariant);
    text += report.winner.isEmpty()
                ? tr("<br>No significant winner yet.")
                : tr("<br>Winner: <b>%1</b>").arg(report.winner.toHtmlEscaped());
    summary_->setText(text);

    variants_->setRowCount(static_cast<int>(report.variants.size()));
    for (int row = 0; row < static_cast<int>(report.variants.size()); ++row) {
        const auto& variant = report.variants[static_cast<std::size_t>(row)];
        fillRow(variants_, row,
                {variant.name, variant.role, QString::number(variant.exposures),
                 QString::number(variant.units), percent(variant.ctr), percent(variant.watchRate),
                 percent(variant.completionRate),
                 variant.meanRating ? QString::number(*variant.meanRating, 'f', 2)
                                    : QStringLiteral("—"),
                 variant.coverage ? percent(*variant.coverage)
                                  : QString::number(variant.distinctItems)});
    }
    comparisons_->setRowCount(static_cast<int>(report.comparisons.size()));
    for (int row = 0; row < static_cast<int>(report.comparisons.size()); ++row) {
        const auto& comparison = report.comparisons[static_cast<std::size_t>(row)];
        const auto interval =
            comparison.waldInterval ? comparison.waldInterval : comparison.bootstrapInterval;
        fillRow(
            comparisons_, row,
            {comparison.metric, comparison.variant + QStringLiteral(" vs ") + comparison.control,
             QString::number(comparison.difference, 'f', 4),
             interval ? QStringLiteral("[%1, %2]")
                            .arg(interval->low, 0, 'f', 4)
                            .arg(interval->high, 0, 'f', 4)
                      : QStringLiteral("—"),
             comparison.pValue ? QString::number(*comparison.pValue, 'g', 3) : QStringLiteral("—"),
             comparison.significant ? tr("yes") : tr("no")});
    }
    QVector<ChartSeries> series;
    for (std::size_t v = 0; v < report.timeline.size() && v < report.variants.size(); ++v) {
        ChartSeries line{report.variants[v].name, {}, {}, {}, {}, static_cast<int>(v)};
        const qint64 origin = report.timeline[v].empty() ? 0 : report.timeline[v].front().startMs;
        for (const auto& point : report.timeline[v]) {
            line.x << static_cast<double>(point.startMs - origin) /
                          3'600'000.0;  // hours since start
            line.y << point.ctr;
        }
        series << line;
    }
    timeline_->setAxisLabels(tr("hours since the first exposure"), tr("CTR@K"));
    timeline_->showLines(series);
}

}  // namespace animerec::ui

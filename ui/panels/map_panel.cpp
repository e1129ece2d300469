#include "panels/map_panel.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

#include "background_task.h"
#include "data/dataset.h"
#include "models/als.h"
#include "models/content_based.h"
#include "service/model_registry.h"
#include "service/recommend_service.h"
#include "studio_context.h"
#include "widgets/chart_widget.h"

namespace animerec::ui {

namespace {

using service::ModelRole;

constexpr int kGenreGroups = 8;  // the most common primary genres get a colour; the rest "other"
constexpr int kOverlayTopN = 20;

// Item vectors of the source, row-major: {values, rows, cols}; empty with `why` set when the
// model is not loaded.
struct Vectors {
    std::vector<float> values;
    int rows = 0;
    int cols = 0;
};

Vectors vectorsOf(const service::ModelRegistry& models, const Dataset& data,
                  MapPanel::Source source, QString& why) {
    Vectors vectors;
    if (source == MapPanel::Source::AlsFactors) {
        const auto served = models.get(ModelRole::Collaborative, QStringLiteral("als"));
        const auto* als = served ? dynamic_cast<const Als*>(served->model.get()) : nullptr;
        if (!als) {
            why = QObject::tr(
                "No ALS model is loaded: train als (Train panel) to map its item factors.");
            return vectors;
        }
        vectors = {als->itemFactors(), als->itemCount(), als->factors()};
        // Titles nobody listed keep their random initial factors: leave them off the map.
        std::vector<char> listed(static_cast<std::size_t>(vectors.rows), 0);
        for (int user = 0; user < data.interactions.userCount(); ++user)
            for (const Event& event : data.interactions.historyOf(user))
                if (event.item < vectors.rows) listed[static_cast<std::size_t>(event.item)] = 1;
        for (int item = 0; item < vectors.rows; ++item)
            if (!listed[static_cast<std::size_t>(item)])
                std::fill_n(
                    vectors.values.begin() + static_cast<std::ptrdiff_t>(item) * vectors.cols,
                    vectors.cols, 0.0f);
        return vectors;
    }
    const auto served = models.get(ModelRole::Content);
    const auto* content =
        served ? dynamic_cast<const ContentBasedModel*>(served->model.get()) : nullptr;
    if (!content) {
        why = QObject::tr(
            "No content model is loaded: train content (Train panel) to map its vectors.");
        return vectors;
    }
    const ItemFeatures& features = content->similarityFeatures();
    vectors = {features.values, features.rows, features.cols};
    return vectors;
}

QCPScatterStyle dots(const QColor& colour, double size) {
    return QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, size);
}

}  // namespace

MapPanel::MapPanel(StudioContext* context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      source_(new QComboBox(this)),
      colouring_(new QComboBox(this)),
      user_(new QLineEdit(this)),
      status_(new QLabel(this)),
      plot_(new QCustomPlot(this)) {
    setObjectName(QStringLiteral("mapPanel"));
    plot_->setObjectName(QStringLiteral("mapPlot"));
    source_->addItem(tr("ALS item factors"), int(Source::AlsFactors));
    source_->addItem(tr("Content vectors"), int(Source::ContentVectors));
    colouring_->addItem(tr("colour by primary genre"), int(Colouring::Genre));
    colouring_->addItem(tr("colour by popularity (members)"), int(Colouring::Popularity));
    user_->setPlaceholderText(tr("overlay a user id"));
    user_->setMaximumWidth(160);
    auto* draw = new QPushButton(tr("Draw map"), this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(source_);
    controls->addWidget(colouring_);
    controls->addWidget(user_);
    controls->addWidget(draw);
    controls->addWidget(status_, 1);
    status_->setWordWrap(true);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 8));
    // The legend stands right of the map, at the top, so it never hides a title's point: inside
    // the axis rectangle it sat over the corner where the outermost titles are drawn.
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    auto* side = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(0, 1, side);
    plot_->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, plot_->legend);
    side->addElement(1, 0, new QCPLayoutElement(plot_));  // the height below the legend
    side->setRowStretchFactor(0, 0.001);
    side->setAutoMargins(QCP::msNone);
    side->setMargins(QMargins(0, 12, 8, 0));  // level with the top of the axes, off the edge
    plot_->xAxis->setLabel(tr("first principal component"));
    plot_->yAxis->setLabel(tr("second principal component"));
    plot_->setMouseTracking(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(plot_, 1);

    connect(draw, &QPushButton::clicked, this, [this] {
        overlayUser(user_->text().trimmed().toLongLong());
        compute(static_cast<Source>(source_->currentData().toInt()));
    });
    connect(user_, &QLineEdit::returnPressed, this,
            [this] { overlayUser(user_->text().trimmed().toLongLong()); });
    connect(colouring_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const int point = nearestPoint(event->position());
        const auto data = context_->dataset();
        if (point < 0 || !data) return QToolTip::hideText();
        const AnimeRecord& anime = data->catalog.at(map_.items[std::size_t(point)]);
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("%1 (%2)\n%3")
                               .arg(QString::fromStdString(anime.title))
                               .arg(anime.animeId)
                               .arg(QString::fromStdString(joinGenres(anime.genres))),
                           plot_);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent* event) {
        const int point = nearestPoint(event->position());
        const auto data = context_->dataset();
        if (point >= 0 && data)
            context_->requestTitle(data->catalog.idAt(map_.items[std::size_t(point)]));
    });
    status_->setText(
        tr("Draw the map of a model's item vectors; drag to pan, wheel to zoom, "
           "hover a point for its title."));
}

BackgroundTask* MapPanel::compute(Source source) {
    const auto data = context_->dataset();
    if (!data) {
        status_->setText(tr("Data and models are not loaded yet."));
        return nullptr;
    }
    QString why;
    auto vectors = std::make_shared<Vectors>(vectorsOf(context_->models(), *data, source, why));
    if (vectors->rows == 0) {
        status_->setText(why);
        return nullptr;
    }
    auto result = std::make_shared<ItemMap>();
    sourceName_ = source_->itemText(source == Source::AlsFactors ? 0 : 1);
    BackgroundTask* task = BackgroundTask::start(
        tr("Projecting %1").arg(sourceName_),
        [vectors, result](const ProgressCallback&) {
            *result = projectItems(vectors->values, vectors->rows, vectors->cols);
        },
        this);
    connect(task, &BackgroundTask::finished, this, [this, result] {
        map_ = std::move(*result);
        redraw();
    });
    connect(task, &BackgroundTask::failed, this,
            [this](const QString& error) { status_->setText(error); });
    emit taskStarted(task);
    return task;
}

void MapPanel::overlayUser(qint64 userId) {
    userId_ = userId;
    redraw();
}

int MapPanel::plottedGroups() const { return plot_->graphCount(); }

void MapPanel::redraw() {
    plot_->clearGraphs();
    overlaidHistory_ = overlaidRecommendations_ = 0;
    const auto data = context_->dataset();
    if (!data || map_.items.empty()) {
        plot_->replot();
        return;
    }
    const Catalog& catalog = data->catalog;
    std::vector<int> group(map_.items.size());
    QStringList groupNames;
    if (static_cast<Colouring>(colouring_->currentData().toInt()) == Colouring::Genre) {
        std::map<std::string, int> primaryCount;
        for (const int item : map_.items)
            if (!catalog.at(item).genres.empty()) ++primaryCount[catalog.at(item).genres.front()];
        std::vector<std::pair<int, std::string>> ranked;
        for (const auto& [genre, count] : primaryCount) ranked.emplace_back(-count, genre);
        std::sort(ranked.begin(), ranked.end());
        std::map<std::string, int> index;
        for (int g = 0; g < kGenreGroups && g < int(ranked.size()); ++g) {
            index[ranked[std::size_t(g)].second] = g;
            groupNames << QString::fromStdString(ranked[std::size_t(g)].second);
        }
        groupNames << tr("other");
        for (std::size_t i = 0; i < map_.items.size(); ++i) {
            const auto& genres = catalog.at(map_.items[i]).genres;
            const auto it = genres.empty() ? index.end() : index.find(genres.front());
            group[i] = it == index.end() ? int(groupNames.size()) - 1 : it->second;
        }
    } else {
        // Quartiles of members among the drawn titles.
        std::vector<std::int64_t> members;
        for (const int item : map_.items) members.push_back(catalog.at(item).members.value_or(0));
        std::vector<std::int64_t> sorted = members;
        std::sort(sorted.begin(), sorted.end());
        const auto cut = [&](double share) {
            return sorted[std::size_t(share * double(sorted.size() - 1))];
        };
        const std::int64_t q1 = cut(0.25), q2 = cut(0.5), q3 = cut(0.75);
        groupNames = {tr("least listed quarter"), tr("second quarter"), tr("third quarter"),
                      tr("most listed quarter")};
        for (std::size_t i = 0; i < members.size(); ++i)
            group[i] = members[i] <= q1 ? 0 : members[i] <= q2 ? 1 : members[i] <= q3 ? 2 : 3;
    }
    for (int g = 0; g < groupNames.size(); ++g) {
        QVector<double> xs, ys;
        for (std::size_t i = 0; i < map_.items.size(); ++i)
            if (group[i] == g) {
                xs << map_.x[i];
                ys << map_.y[i];
            }
        QCPGraph* graph = plot_->addGraph();
        graph->setName(groupNames[g]);
        graph->setLineStyle(QCPGraph::lsNone);
        QColor colour =
            groupNames[g] == tr("other") ? QColor(190, 190, 190) : ChartWidget::seriesColor(g);
        colour.setAlpha(150);
        graph->setScatterStyle(dots(colour, 4));
        graph->setData(xs, ys);  // not "already sorted": the axes and drawing need it sorted by x
    }
    // The user's history and collaborative recommendations over the map.
    if (userId_ > 0) {
        std::map<int, std::size_t> position;
        for (std::size_t i = 0; i < map_.items.size(); ++i) position[map_.items[i]] = i;
        const auto overlay = [&](const std::vector<int>& items, const QString& name,
                                 QCPScatterStyle style) {
            QVector<double> xs, ys;
            for (const int item : items)
                if (const auto it = position.find(item); it != position.end()) {
                    xs << map_.x[it->second];
                    ys << map_.y[it->second];
                }
            QCPGraph* graph = plot_->addGraph();
            graph->setName(name);
            graph->setLineStyle(QCPGraph::lsNone);
            graph->setScatterStyle(style);
            graph->setData(xs, ys);
            return int(xs.size());
        };
        std::vector<int> history;
        const int user = data->interactions.userIndexOf(userId_);
        if (user >= 0)
            for (const Event& event : data->interactions.historyOf(user))
                history.push_back(event.item);
        overlaidHistory_ = overlay(
            history, tr("user %1: history").arg(userId_),
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.5), Qt::NoBrush, 8));
        std::vector<int> recommended;
        if (const auto service = context_->service()) {
            const auto answer = service->forUser(ModelRole::Collaborative, userId_, kOverlayTopN);
            if (const auto* list = std::get_if<service::Recommendation>(&answer))
                for (const auto& item : list->items) recommended.push_back(item.item);
        }
        overlaidRecommendations_ =
            overlay(recommended, tr("user %1: collaborative top %2").arg(userId_).arg(kOverlayTopN),
                    QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(QColor(200, 0, 0), 2),
                                    QColor(255, 80, 80), 10));
    }
    plot_->rescaleAxes();
    // A margin beyond the outermost titles (4% each side), so their markers are drawn whole.
    plot_->xAxis->scaleRange(1.08);
    plot_->yAxis->scaleRange(1.08);
    plot_->replot();
    status_->setText(tr("%1: %2 titles; the two axes keep %3% of the variance.%4")
                         .arg(sourceName_)
                         .arg(map_.items.size())
                         .arg(100.0 * map_.explainedShare, 0, 'f', 1)
                         .arg(userId_ > 0
                                  ? tr(" User %1: %2 history titles, %3 recommendations drawn.")
                                        .arg(userId_)
                                        .arg(overlaidHistory_)
                                        .arg(overlaidRecommendations_)
                                  : QString()));
}

int MapPanel::nearestPoint(const QPointF& pixel) const {
    constexpr double kRadius = 6.0;  // pixels
    int best = -1;
    double bestDistance = kRadius * kRadius;
    for (std::size_t i = 0; i < map_.items.size(); ++i) {
        const double dx = plot_->xAxis->coordToPixel(map_.x[i]) - pixel.x();
        const double dy = plot_->yAxis->coordToPixel(map_.y[i]) - pixel.y();
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = int(i);
        }
    }
    return best;
}

}  // namespace animerec::ui

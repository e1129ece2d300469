#include "screenshots.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QPointer>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>
#include <random>

#include "background_task.h"
#include "data/dataset.h"
#include "main_window.h"
#include "panels/compare_panel.h"
#include "panels/data_panel.h"
#include "panels/experiments_panel.h"
#include "panels/map_panel.h"
#include "panels/metrics_panel.h"
#include "panels/monitoring_panel.h"
#include "panels/new_user_panel.h"
#include "panels/recommendation_list.h"
#include "panels/title_page.h"
#include "service/quality_monitor.h"
#include "service/recommend_service.h"
#include "studio_context.h"

namespace animerec::ui {

namespace {

// Three hours of simulated traffic through the real service, for the Monitoring panel's picture:
// every second list sampled, clicks, watches, completions and ratings drawn with a seeded
// generator (a CTR that sags in the last hour), a share of unknown users answered by cold start.
// Only the screenshots use it.
QJsonObject simulatedQuality(const service::RecommendService& service) {
    const Interactions& interactions = service.dataset().interactions;
    if (interactions.userCount() == 0) return {};
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    qint64 now = end - 3 * 3600 * 1000;
    service::QualityMonitor monitor(
        std::shared_ptr<const Dataset>(&service.dataset(), [](const Dataset*) {}),
        [&now] { return now; });
    std::mt19937_64 random(20240601);
    qint64 exposure = 0;
    for (int minute = 0; minute < 180; ++minute, now += 60 * 1000) {
        const double clickRate = minute < 120 ? 0.14 : 0.09;
        for (int n = 0; n < 12; ++n) {
            const bool newUser = random() % 10 == 0;
            const qint64 userId =
                newUser ? 1'000'000 + qint64(random() % 1000)
                        : interactions.userIdAt(int(random() % unsigned(interactions.userCount())));
            const auto role =
                n % 3 == 0 ? service::ModelRole::Session : service::ModelRole::Collaborative;
            const auto answer = service.forUser(role, userId, 10);
            const auto* list = std::get_if<service::Recommendation>(&answer);
            if (!list) continue;
            service::ServedList served;
            served.route = role == service::ModelRole::Session
                               ? QStringLiteral("/recommend_session_based")
                               : QStringLiteral("/recommend_collaborative");
            served.role = service::roleName(role);
            served.model = list->model;
            served.version = list->modelVersion;
            served.strategy = list->strategy;
            for (const auto& item : list->items) served.items.push_back(item.animeId);
            served.cacheLookup = true;
            served.cacheHit = random() % 3 == 0;
            served.userId = userId;
            served.sampledExposureId = n % 2 == 0 ? ++exposure : 0;
            monitor.recordList(served);
            std::uniform_real_distribution<double> chance(0, 1);
            if (served.sampledExposureId == 0 || served.items.empty() ||
                chance(random) >= clickRate)
                continue;
            const int position = 1 + int(random() % served.items.size());
            const std::int64_t title = served.items[std::size_t(position - 1)];
            const auto feedback = [&](ListFeedback event, std::optional<double> value = {}) {
                monitor.recordFeedback({title, event, value, served.sampledExposureId, position});
            };
            feedback(ListFeedback::Click);
            if (chance(random) < 0.5) feedback(ListFeedback::Watch);
            if (chance(random) < 0.25) feedback(ListFeedback::Complete);
            if (chance(random) < 0.3) feedback(ListFeedback::Rate, 6.0 + double(random() % 5));
        }
    }
    now = end;
    return monitor.toJson();
}

bool save(QWidget& window, const QString& path) {
    QApplication::processEvents();  // let layouts and charts settle before grabbing
    const bool ok = window.grab().save(path);
    QTextStream(stderr) << (ok ? "wrote " : "could not write ") << path << "\n";
    return ok;
}

QString fileName(int index, const QString& name) {
    return QStringLiteral("%1-%2.png")
        .arg(index, 2, 10, QLatin1Char('0'))
        .arg(name.toLower().replace(' ', '-'));
}

}  // namespace

void prepareScreenshotContent(MainWindow& window, std::function<void()> ready) {
    // (`ready` may be wrapped below so that the shots also wait for the map's projection.)
    const auto service = window.context()->service();
    if (!service) {
        ready();
        return;
    }
    const Interactions& interactions = service->dataset().interactions;
    int busiest = -1;
    std::size_t longest = 0;
    for (int user = 0; user < interactions.userCount(); ++user) {
        const std::size_t length = interactions.historyOf(user).size();
        // A typical active user, not the extreme one: 20-60 titles read well on screen.
        if (length >= 20 && length <= 60 && length > longest) {
            longest = length;
            busiest = user;
        }
    }
    if (busiest >= 0) window.comparePanel()->compareUser(interactions.userIdAt(busiest));
    // The map of the ALS factors (the content vectors without ALS) with that user drawn over it.
    if (busiest >= 0) window.mapPanel()->overlayUser(interactions.userIdAt(busiest));
    QPointer<BackgroundTask> map = window.mapPanel()->compute(MapPanel::Source::AlsFactors);
    if (!map) map = window.mapPanel()->compute(MapPanel::Source::ContentVectors);
    if (map) {
        // The shots wait for the map too.
        ready = [map, ready] {
            if (!map) return ready();
            QObject::connect(map, &BackgroundTask::finished, ready);
        };
    }
    const auto& genres = service->dataset().catalog.genreNames();
    if (genres.size() >= 2)
        window.newUserPanel()->setFavouriteGenres(
            {QString::fromStdString(genres[0]), QString::fromStdString(genres[1])});
    if (service->dataset().catalog.size() > 0)
        window.newUserPanel()->addTitle(service->dataset().catalog.idAt(0), 9);
    window.monitoringPanel()->showQuality(simulatedQuality(*service));

    MetricsPanel* metrics = window.metricsPanel();
    jobs::EvaluationSettings settings = metrics->settings();
    settings.models = {"popularity", "content", "als", "ease"};
    metrics->setSettings(settings);
    if (!metrics->startEvaluation()) {
        ready();
        return;
    }
    // Queued, so the status bar and the other receivers of the signal settle before the shots.
    const auto later = [&window, ready] { QTimer::singleShot(50, &window, ready); };
    // After the evaluation, an offline A/B replay fills the Experiments panel.
    const auto replay = [&window, later] {
        ExperimentsPanel* experiments = window.experimentsPanel();
        if (!experiments->simulate(QStringLiteral("popularity"), QStringLiteral("ease"))) {
            later();
            return;
        }
        QObject::connect(experiments, &ExperimentsPanel::simulationFinished, &window, later,
                         Qt::SingleShotConnection);
    };
    QObject::connect(metrics, &MetricsPanel::evaluationFinished, &window, replay,
                     Qt::SingleShotConnection);
    QObject::connect(metrics, &MetricsPanel::evaluationFailed, &window, later,
                     Qt::SingleShotConnection);
}

int saveScreenshots(MainWindow& window, const QString& directory) {
    constexpr int kComparePanel = 1;  // sidebar order, whatever the language
    QDir().mkpath(directory);
    const QDir dir(directory);
    int written = 0;
    int index = 0;
    const QStringList names = window.panelNames();
    for (int panel = 0; panel < names.size(); ++panel) {
        window.showPanel(panel);
        if (panel == 0 && !window.dataPanel()->showsEmptyState()) {
            // The Data panel has two tabs: one picture each.
            QTabWidget* tabs = window.dataPanel()->tabs();
            for (int tab = 0; tab < tabs->count(); ++tab) {
                tabs->setCurrentIndex(tab);
                written +=
                    save(window,
                         dir.filePath(fileName(++index, names[panel] + " " + tabs->tabText(tab))));
            }
            tabs->setCurrentIndex(0);
            continue;
        }
        if (panel == kComparePanel) {
            // Focus the first collaborative title: its explaining history titles turn blue.
            const QVector<qint64> collaborative = window.comparePanel()->list(2)->animeIds();
            if (!collaborative.isEmpty())
                window.comparePanel()->focusRecommendation(collaborative.first());
        }
        written += save(window, dir.filePath(fileName(++index, names[panel])));
    }
    // A title page: the first title the collaborative list recommends (else the catalogue's first).
    if (const auto service = window.context()->service()) {
        const QVector<qint64> collaborative = window.comparePanel()->list(2)->animeIds();
        const qint64 title = !collaborative.isEmpty() ? collaborative.first()
                             : service->dataset().catalog.size() > 0
                                 ? service->dataset().catalog.idAt(0)
                                 : 0;
        if (title != 0) {
            TitlePage* page = window.openTitle(title);
            written += save(*page, dir.filePath(fileName(++index, QStringLiteral("title page"))));
            page->close();
        }
    }
    return written;
}

}  // namespace animerec::ui

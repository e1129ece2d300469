// `animerec serve`: loads the catalogue, histories and models, then answers HTTP until SIGINT or
// SIGTERM. SIGHUP reloads changed model files (as does POST /admin/reload).
#include <sys/socket.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <QThread>
#include <csignal>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "data/csv_dataset.h"
#include "experiments/experiment_runtime.h"
#include "http/api_server.h"
#include "http/serve_settings.h"
#include "models/model_io.h"
#include "service/metrics_registry.h"
#include "service/model_registry.h"
#include "service/quality_monitor.h"
#include "service/recommend_service.h"
#include "service/replica_sync.h"
#include "service/request_log.h"
#include "storage/database.h"
#include "storage/dataset_loader.h"

namespace animerec::cli {

namespace {

// Self-pipe: the signal handler only writes the signal number; the event loop does the work.
int signalPipe[2] = {-1, -1};

extern "C" void forwardSignal(int signal) {
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

// MAL ids of top100.json: [1, 5, ...], [{"anime_id": 1}, ...] or {"items": [...]}.
std::vector<std::int64_t> readTop100(const QString& path, QTextStream& err) {
    QFile file(path);
    if (!file.exists()) return {};
    if (!file.open(QIODevice::ReadOnly)) {
        err << "serve: " << path << ": " << file.errorString() << " (ignored)\n";
        return {};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError) {
        err << "serve: " << path << ": offset " << error.offset << ": " << error.errorString()
            << " (ignored)\n";
        return {};
    }
    const QJsonArray items =
        document.isArray() ? document.array() : document.object().value("items").toArray();
    std::vector<std::int64_t> ids;
    for (const QJsonValue& item : items)
        ids.push_back(item.isObject() ? item.toObject().value("anime_id").toInteger()
                                      : item.toInteger());
    return ids;
}

std::shared_ptr<const Dataset> loadDataset(const QCommandLineParser& parser, QTextStream& err) {
    const QString animeCsv = parser.value("anime-csv");
    if (animeCsv.isEmpty()) {
        const QString path = parser.value("db");
        // A PostgreSQL URL is checked by connecting; a SQLite file must exist (open() would
        // create an empty one).
        if (!storage::DatabaseLocation::isPostgresUrl(path) && !QFileInfo::exists(path)) {
            err << "serve: " << path
                << ": no database (run `animerec import` or pass --anime-csv)\n";
            return nullptr;
        }
        storage::Database database(path, QStringLiteral("serve"));
        if (const QSqlError error = database.open(); error.isValid()) {
            err << "serve: " << database.path() << ": " << error.text() << "\n";
            return nullptr;
        }
        return std::make_shared<Dataset>(storage::loadDataset(database));
    }
    std::vector<std::string> interactionPaths;
    for (const QString& path : parser.values("interactions-csv"))
        interactionPaths.push_back(path.toStdString());
    std::vector<CsvReject> rejects;
    auto data = std::make_shared<Dataset>(
        loadCsvDataset(animeCsv.toStdString(), interactionPaths, &rejects));
    if (!rejects.empty()) err << "serve: " << rejects.size() << " CSV rows rejected\n";
    return data;
}

}  // namespace

int runServe(const QStringList& args) {
    const http::ServeSettings defaults;
    const auto number = [](auto value) { return QString::number(value); };
    QCommandLineParser parser;
    parser.addOptions({
        {"host", "Address to listen on.", "address", defaults.host.toString()},
        {"port", "TCP port (0 = any free port).", "port", number(defaults.port)},
        {"db",
         "Database with the catalogue and histories: a SQLite file or "
         "postgresql://user:password@host:port/dbname (default: $ANIMEREC_DB). Replicas may "
         "share one PostgreSQL database.",
         "location", defaultDatabasePath()},
        {"anime-csv", "Read the catalogue from this CSV instead of the database.", "path"},
        {"interactions-csv", "Interaction CSV (repeatable), with --anime-csv.", "path"},
        {"models-dir", "Directory with *.model files (reloaded on SIGHUP).", "dir", "var/models"},
        {"top100", "Precomputed top list used when no popularity model is loaded.", "path",
         "var/top100.json"},
        {"log-file", "Request log (JSON lines, rotated at 16 MiB, 5 kept); empty = none.", "path",
         defaults.logFile},
        {"log-level", "debug, info, warning, error or off.", "level", "info"},
        {"quiet", "Do not copy the request log to stderr."},
        {"max-body-bytes", "Larger request bodies get 413.", "bytes",
         number(defaults.maxBodyBytes)},
        {"cache-mb", "Memory for rendered answers, kept until the models change (0 = no cache).",
         "MiB", number(defaults.cacheMegabytes)},
        {"warm-users",
         "Compute the answers of this many most active users (and of every anime) before "
         "reporting ready, and again after each reload, within half the cache (0 = off).",
         "count", number(defaults.warmUsers)},
        {"threads", "Event-loop threads accepting connections (0 = one per core).", "count",
         number(defaults.threads)},
        {"shared-state",
         "Take models from the database's model store (published by `animerec train`) and write "
         "request metrics there: on, off, or auto (= on for PostgreSQL).",
         "mode", "auto"},
        {"model-poll-seconds", "With shared state: how often to look for newly published models.",
         "seconds", "30"},
        {"replica", "Name of this replica in RequestMetrics (default: $HOSTNAME:port).", "name"},
        {"explore-share",
         "Share of a new user's list (no usable history) sampled from the popular titles below "
         "the top instead of the top itself, so they get shown (0 = none, 1 = all); the answer's "
         "strategy then ends in +exploration.",
         "share", number(defaults.exploreShare)},
        {"explore-pool", "How deep into the popular list exploration samples.", "count",
         number(defaults.explorePool)},
        {"no-experiments", "No A/B tests or feedback (those routes answer 503)."},
        {"exposure-sample",
         "Share of the lists served outside experiments logged as exposures, on which GET "
         "/quality measures CTR (default: $ANIMEREC_DEFAULT_EXPOSURE_SAMPLE, else 0.01).",
         "share"},
        {"metrics-flush-seconds",
         "With shared state: how often request metrics and quality counts go to the database.",
         "seconds", "10"},
    });
    if (const auto exitCode = parseOrExit(parser, args, "Serve recommendations over HTTP."))
        return *exitCode;
    QTextStream err(stderr);
    const auto port = integerOption(parser, "port", 0, 65535);
    const auto maxBody = integerOption(parser, "max-body-bytes", 1, 1 << 30);
    const auto cacheMegabytes = integerOption(parser, "cache-mb", 0, 1 << 20);
    const auto warmUsers = integerOption(parser, "warm-users", 0, 100'000'000);
    const auto threads = integerOption(parser, "threads", 0, 64);
    const auto modelPoll = integerOption(parser, "model-poll-seconds", 0, 86'400);
    const auto exploreShare = realOption(parser, "explore-share", 0.0, 1.0);
    const auto explorePool = integerOption(parser, "explore-pool", 1, 100'000);
    const auto metricsFlush = integerOption(parser, "metrics-flush-seconds", 0, 86'400);
    std::optional<double> exposureSample;
    if (parser.isSet("exposure-sample")) {
        const auto share = realOption(parser, "exposure-sample", 0.0, 1.0);
        if (!share) return 2;
        exposureSample = *share;
    }
    const auto level = service::parseLogLevel(parser.value("log-level"));
    QHostAddress host;
    if (!host.setAddress(parser.value("host"))) {
        err << "serve: --host: '" << parser.value("host") << "' is not an IP address\n";
        return 2;
    }
    if (!port || !maxBody || !cacheMegabytes || !warmUsers || !threads || !modelPoll ||
        !exploreShare || !explorePool || !metricsFlush)
        return 2;
    const QString sharedStateMode = parser.value("shared-state");
    if (sharedStateMode != "on" && sharedStateMode != "off" && sharedStateMode != "auto") {
        err << "serve: --shared-state: '" << sharedStateMode << "' is not one of on, off, auto\n";
        return 2;
    }
    if (!level) {
        err << "serve: --log-level: '" << parser.value("log-level")
            << "' is not one of debug, info, warning, error, off\n";
        return 2;
    }
    http::ServeSettings settings;
    settings.host = host;
    settings.port = static_cast<quint16>(*port);
    settings.logFile = parser.value("log-file");
    settings.logLevel = *level;
    settings.logToStderr = !parser.isSet("quiet");
    settings.maxBodyBytes = *maxBody;
    settings.cacheMegabytes = *cacheMegabytes;
    settings.warmUsers = static_cast<int>(*warmUsers);
    settings.threads = static_cast<int>(*threads);
    settings.exploreShare = *exploreShare;
    settings.explorePool = static_cast<int>(*explorePool);
    settings.experiments = !parser.isSet("no-experiments");
    settings.exposureSample = exposureSample;

    service::RequestLog log(http::requestLogOptions(settings));
    if (!log.fileError().isEmpty()) err << "serve: request log: " << log.fileError() << "\n";

    const auto data = loadDataset(parser, err);
    if (!data) return 1;
    const QString modelsDir = parser.value("models-dir");
    service::ModelRegistry registry(loadModelFile);
    registry.setCatalogueSize(static_cast<int>(data->catalog.size()));
    service::MetricsRegistry metrics;
    // Before replicaSync: its destructor flushes the last counts.
    service::QualityMonitor quality(data);
    // Replicas on one PostgreSQL take their models from the database's model store and write
    // their request metrics there; the files in `modelsDir` are the local copy being served.
    const bool fromDatabase = parser.value("anime-csv").isEmpty();
    const bool sharedState =
        fromDatabase &&
        (sharedStateMode == "on" || (sharedStateMode == "auto" &&
                                     storage::DatabaseLocation::parse(parser.value("db")).backend ==
                                         storage::Backend::Postgres));
    std::unique_ptr<service::ReplicaSync> replicaSync;
    const auto loadModels = [&] {
        const service::ReloadReport report = registry.loadDirectory(modelsDir);
        for (const QString& line : report.loaded)
            log.event(service::LogLevel::Info, "loaded " + line);
        for (const QString& line : report.failed)
            log.event(service::LogLevel::Error, "load failed, previous model kept: " + line);
        return report;
    };
    // SIGHUP and /admin/reload first fetch what was published since, then load changed files.
    const auto reload = [&] {
        if (replicaSync) replicaSync->syncModels();
        return loadModels();
    };
    if (sharedState) {
        service::ReplicaSync::Options syncOptions;
        syncOptions.databaseLocation = parser.value("db");
        syncOptions.modelsDirectory = modelsDir;
        syncOptions.modelPollSeconds = static_cast<int>(*modelPoll);
        syncOptions.metricsFlushSeconds = static_cast<int>(*metricsFlush);
        syncOptions.replicaName = parser.value("replica");
        if (syncOptions.replicaName.isEmpty())
            syncOptions.replicaName = qEnvironmentVariable("HOSTNAME", QStringLiteral("animerec")) +
                                      ":" + QString::number(*port);
        replicaSync = std::make_unique<service::ReplicaSync>(
            syncOptions, metrics, log, [&] { metrics.countReload(loadModels().ok()); });
    }
    const service::ReloadReport first = reload();
    for (const QString& role : first.missing)
        log.event(service::LogLevel::Warning, "no model file for " + role + " in " + modelsDir);
    // With shared state, top100.json is published with the models.
    const QString top100 = sharedState && !parser.isSet("top100")
                               ? modelsDir + QStringLiteral("/top100.json")
                               : parser.value("top100");
    service::RecommendService recommendations(data, registry, readTop100(top100, err));
    recommendations.setColdStart(http::coldStartConfig(settings));
    // Experiments, exposures and feedback live in the database the histories came from.
    std::unique_ptr<experiments::ExperimentRuntime> abTests;
    if (settings.experiments && parser.value("anime-csv").isEmpty()) {
        abTests = std::make_unique<experiments::ExperimentRuntime>(parser.value("db"), data);
        if (const QString error = abTests->open(); !error.isEmpty()) {
            log.event(service::LogLevel::Error, "experiments and feedback disabled: " + error);
            abTests.reset();
        } else {
            recommendations.setRecentHistory(abTests->recentHistory());
            if (settings.exposureSample)
                abTests->setDefaultExposureSample(*settings.exposureSample);
        }
    }
    if (replicaSync) replicaSync->shareQuality(quality);

    http::ApiOptions options = http::apiOptions(settings, abTests.get());
    options.quality = &quality;
    http::ApiServer server(recommendations, metrics, log, reload, std::move(options));
    const quint16 bound = server.listen(settings.host, settings.port);
    if (bound == 0) {
        err << "serve: cannot listen on " << host.toString() << ":" << *port << "\n";
        return 1;
    }
    log.event(service::LogLevel::Info, QString("listening on http://%1:%2 (%3 anime, %4 users)")
                                           .arg(host.toString())
                                           .arg(bound)
                                           .arg(data->catalog.size())
                                           .arg(data->interactions.userCount()));

    if (replicaSync) replicaSync->start();

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        err << "serve: socketpair failed; SIGHUP reload disabled\n";
    } else {
        auto* notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, qApp);
        QObject::connect(notifier, &QSocketNotifier::activated, qApp, [&] {
            char signal = 0;
            if (::read(signalPipe[0], &signal, 1) != 1) return;
            if (signal == SIGHUP) {
                metrics.countReload(reload().ok());
            } else {
                log.event(service::LogLevel::Info, "shutting down");
                QCoreApplication::quit();
            }
        });
        struct sigaction action = {};
        action.sa_handler = forwardSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        for (const int signal : {SIGHUP, SIGINT, SIGTERM}) ::sigaction(signal, &action, nullptr);
    }
    const int code = QCoreApplication::exec();
    if (abTests && !abTests->flush())
        log.event(service::LogLevel::Error,
                  "exposures/feedback not written: " + abTests->writerStats().lastError);
    log.flush();
    return code;
}

}  // namespace animerec::cli

#pragma once

#include <QDir>
#include <QImage>
#include <QString>
#include <QWidget>
#include <stdexcept>

#include "data/generator.h"
#include "storage/database.h"
#include "storage/importer.h"

namespace studio_test {

// A small synthetic database (generator -> CSV -> importer): enough users with 5+ events for
// every split, small enough that a full evaluation takes well under a second per model.
inline QString makeDatabase(const QDir& dir, std::int64_t users = 300, std::int64_t anime = 150) {
    animerec::GeneratorConfig config;
    config.users = users;
    config.anime = anime;
    config.meanInteractionsPerUser = 30;
    config.seed = 7;
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    animerec::generateDatasetFiles(config, csvDir.toStdString());
    const QString path = dir.filePath(QStringLiteral("db.sqlite"));
    animerec::storage::Database database(path, QStringLiteral("fixture-import"));
    if (database.open().isValid()) throw std::runtime_error("cannot open the fixture database");
    animerec::storage::ImportOptions options;
    options.animePath = QDir(csvDir).filePath(QStringLiteral("anime.csv"));
    options.interactionsPath = QDir(csvDir).filePath(QStringLiteral("animelist.csv"));
    animerec::storage::importDataset(database, options);
    return path;
}

// Renders `widget` at a desktop size into `directory`/`name`.png and returns the image; the
// directory is ANIMEREC_SCREENSHOT_DIR when set (to look at the pictures), else `fallback`.
inline QImage screenshot(QWidget& widget, const QString& name, const QString& fallback) {
    const QString directory = qEnvironmentVariableIsSet("ANIMEREC_SCREENSHOT_DIR")
                                  ? qEnvironmentVariable("ANIMEREC_SCREENSHOT_DIR")
                                  : fallback;
    QDir().mkpath(directory);
    const QImage image = widget.grab().toImage();
    image.save(QDir(directory).filePath(name + QStringLiteral(".png")));
    return image;
}

}  // namespace studio_test

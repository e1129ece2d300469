#pragma once

#include <QAbstractItemView>
#include <QDir>
#include <QImage>
#include <QLabel>
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

// The child `name` of `parent`: panels name the widgets tests look at (setObjectName) instead of
// exposing them. A missing one stops the test with its name rather than a null dereference.
template <typename T>
T* child(const QObject& parent, const char* name) {
    T* found = parent.findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qFatal("%s has no %s named '%s'", parent.metaObject()->className(),
               T::staticMetaObject.className(), name);
    return found;
}

// The text of the label `name` (a panel's "status", a task status's "taskText").
inline QString text(const QObject& parent, const char* name) {
    return child<QLabel>(parent, name)->text();
}

// Rows of the item view `name`, and the text of one of its cells.
inline int rows(const QObject& parent, const char* name) {
    return child<QAbstractItemView>(parent, name)->model()->rowCount();
}
inline QString cell(const QObject& parent, const char* name, int row, int column) {
    const QAbstractItemModel* model = child<QAbstractItemView>(parent, name)->model();
    return model->data(model->index(row, column)).toString();
}

}  // namespace studio_test

#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>

namespace animerec::ui {

// Where Studio writes model files by default: "models" next to the database.
QString defaultModelsDirectory(const QString& databasePath);

// The file a family is saved to inside a models directory ("<dir>/als.model"), the name the
// service's ModelRegistry looks for.
QString modelFilePath(const QString& modelsDirectory, const QString& family);

// One model file of a models directory.
struct ModelFileInfo {
    QString family;  // file name without ".model"
    QString path;
    QString version;  // file modification time, UTC yyyyMMddTHHmmssZ (as the service reports)
    QDateTime modified;
    qint64 size = 0;
};

// "*.model" files, sorted by family name; empty when the directory does not exist.
QVector<ModelFileInfo> listModelFiles(const QString& modelsDirectory);

}  // namespace animerec::ui

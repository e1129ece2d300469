#include "model_files.h"

#include <QDir>
#include <QFileInfo>

#include "studio_database.h"

namespace animerec::ui {

QString defaultModelsDirectory(const QString& databasePath) {
    return QDir(localDataDirectory(databasePath)).filePath(QStringLiteral("models"));
}

QString modelFilePath(const QString& modelsDirectory, const QString& family) {
    return QDir(modelsDirectory).filePath(family + QStringLiteral(".model"));
}

QVector<ModelFileInfo> listModelFiles(const QString& modelsDirectory) {
    QVector<ModelFileInfo> files;
    const QDir dir(modelsDirectory);
    if (!dir.exists()) return files;
    for (const QFileInfo& file :
         dir.entryInfoList({QStringLiteral("*.model")}, QDir::Files, QDir::Name)) {
        ModelFileInfo info;
        info.family = file.completeBaseName();
        info.path = file.absoluteFilePath();
        info.modified = file.lastModified();
        info.version = file.lastModified().toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
        info.size = file.size();
        files.push_back(info);
    }
    return files;
}

}  // namespace animerec::ui

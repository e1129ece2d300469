#include "sample_data.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace animerec::ui {

QString sampleDataDirectory() {
    const QStringList candidates{qEnvironmentVariable("ANIMEREC_SAMPLE_DIR"),
                                 QDir(QCoreApplication::applicationDirPath())
                                     .filePath(QStringLiteral("../share/animerec/sample")),
                                 QStringLiteral(ANIMEREC_SOURCE_SAMPLE_DIR)};
    for (const QString& directory : candidates)
        if (!directory.isEmpty() &&
            QFileInfo(QDir(directory).filePath(QStringLiteral("anime.csv"))).isFile())
            return QDir(directory).absolutePath();
    return {};
}

}  // namespace animerec::ui

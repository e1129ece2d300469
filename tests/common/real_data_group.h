#pragma once

// The real-data group: suites that read MyAnimeList layouts too large or too foreign to ship in
// data/sample (the 2020 and 2018 Kaggle datasets, the 2022 update scrape, other CooperUnion cuts).
// They run when the files are present and are reported as skipped, with the reason on one line,
// when they are not (CTest matches the skip mark, see animerec_add_real_data_test).
#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QtTest>

namespace animerec::testing {

// ANIMEREC_REAL_DATA_DIR from the environment, else the build's default (../shared/data/real).
inline QString realDataDirectory() {
    const QString fromEnvironment = qEnvironmentVariable("ANIMEREC_REAL_DATA_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(ANIMEREC_REAL_DATA_DIR) : fromEnvironment;
}

// Empty when every file of `relativePaths` exists under realDataDirectory(), else why not.
inline QString missingRealData(const QStringList& relativePaths) {
    const QDir dir(realDataDirectory());
    for (const QString& path : relativePaths)
        if (!QFileInfo(dir.filePath(path)).isFile())
            return QStringLiteral(
                       "%1 not found (set ANIMEREC_REAL_DATA_DIR to the directory "
                       "holding the real layouts)")
                .arg(dir.filePath(path));
    return {};
}

}  // namespace animerec::testing

// In initTestCase(): skips the whole suite, naming the first missing file, unless every file is
// there.
#define ANIMEREC_REQUIRE_REAL_DATA(...)                                                       \
    do {                                                                                      \
        const QString missing = animerec::testing::missingRealData(QStringList{__VA_ARGS__}); \
        if (!missing.isEmpty())                                                               \
            QSKIP(qPrintable(QStringLiteral("real-data group skipped: ") + missing));         \
    } while (false)

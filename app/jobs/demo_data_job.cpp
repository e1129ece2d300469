#include "jobs/demo_data_job.h"

#include <QDir>
#include <QUuid>
#include <stdexcept>

#include "jobs/phase_progress.h"
#include "storage/database.h"

namespace animerec::jobs {

storage::ImportSummary importDemoData(const DemoDataSettings& settings,
                                      const ProgressCallback& progress) {
    const bool generate = settings.sampleDirectory.isEmpty();
    const int phases = generate ? 2 : 1;
    storage::ImportOptions options;
    if (generate) {
        if (settings.generatedDirectory.isEmpty())
            throw std::invalid_argument("no sample and no directory to generate demo data into");
        generateDatasetFiles(settings.generator, settings.generatedDirectory.toStdString(),
                             phaseProgress(progress, "generate", 0, phases));
        options.animePath = QDir(settings.generatedDirectory).filePath(QStringLiteral("anime.csv"));
        options.interactionsPath =
            QDir(settings.generatedDirectory).filePath(QStringLiteral("animelist.csv"));
    } else {
        options.animePath = QDir(settings.sampleDirectory).filePath(QStringLiteral("anime.csv"));
        options.interactionsPath =
            QDir(settings.sampleDirectory).filePath(QStringLiteral("rating_head_users1-1036.csv"));
    }
    // The database may not exist yet: importing is what creates it.
    storage::Database database(
        settings.databasePath,
        QStringLiteral("demo-data-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (const QSqlError error = database.open(); error.isValid())
        throw std::runtime_error(database.path().toStdString() + ": " + error.text().toStdString());
    return storage::importDataset(database, options,
                                  phaseProgress(progress, "import", phases - 1, phases));
}

}  // namespace animerec::jobs

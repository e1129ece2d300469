#pragma once

// Studio's demo data: the real sample (data/sample: the CooperUnion anime.csv and the ratings of
// users 1-1,036, as `scripts/run.sh` imports it) into the database, or, when no sample can be
// found, a generated dataset (data/generator.h) written next to it first.
#include <QString>

#include "data/generator.h"
#include "storage/importer.h"
#include "util/progress.h"

namespace animerec::jobs {

struct DemoDataSettings {
    QString databasePath;     // replaced by the demo data (created when missing)
    QString sampleDirectory;  // holds anime.csv and rating_head_users1-1036.csv; empty = generate
    QString generatedDirectory;  // where the generator writes its CSV files
    GeneratorConfig generator;   // its defaults: a catalogue and users shaped like the real data
};

// Imports the demo data (storage::importDataset: one transaction). Throws as importDataset, and
// std::runtime_error when the database cannot be opened; OperationCancelled when asked to stop.
storage::ImportSummary importDemoData(const DemoDataSettings& settings,
                                      const ProgressCallback& progress = {});

}  // namespace animerec::jobs

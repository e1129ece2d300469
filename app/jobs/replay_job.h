#pragma once

// The offline A/B replay, as `animerec ab simulate` and Studio's Experiments panel run it:
// held-out interactions of the database replayed as behaviour against two or more variants
// (experiments/replay_simulator.h), reported as an online experiment would be.
#include <QString>
#include <QStringList>
#include <cstdint>

#include "experiments/ab_report.h"
#include "util/progress.h"

namespace animerec::jobs {

struct ReplaySettings {
    QString databasePath;
    // Model families fitted on the train part; with modelsDirectory, roles served by its files.
    QStringList variants;
    // Serve these model files instead (trained on all data, held-out events included: the
    // numbers are optimistic, and a note says so).
    QString modelsDirectory;
    double holdoutShare = 0.2;          // of each user's events replayed
    int minInteractions = 5;            // users with fewer events are not replayed
    std::uint64_t seed = 42;            // the holdout split
    int maxUsers = 0;                   // replay at most this many users; 0 = all
    bool paired = true;                 // every user sees every variant; false = one by the hash
    experiments::ReportOptions report;  // k (also the list length), lift, confidence, bucket
};

struct ReplayResult {
    experiments::AbReport report;
    QStringList notes;  // optimistic numbers, model files that failed to load
};

// Throws std::invalid_argument for fewer than two variants, an unknown family or (with a models
// directory) a variant that is not a role or has no model there; std::runtime_error for the
// database; OperationCancelled when asked to stop.
ReplayResult runReplay(const ReplaySettings& settings, const ProgressCallback& progress = {});

}  // namespace animerec::jobs

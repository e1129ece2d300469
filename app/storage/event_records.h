#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "eval/list_outcome.h"

namespace animerec::storage {

// What a user did with a recommended (or any) title, as POST /feedback reports it.
enum class FeedbackEvent { Click, Watch, Complete, Rate };
QString feedbackEventName(FeedbackEvent event);
std::optional<FeedbackEvent> parseFeedbackEvent(const QString& text);
// The same event as the list outcome rule (core/eval/list_outcome.h) counts it.
ListFeedback listFeedbackOf(FeedbackEvent event);

// Variant name of the sampled lists served outside any experiment (experiment_id 0).
inline const char* const kDefaultVariant = "default";

// One served list (table Exposures): inside an experiment, or a sampled list outside any
// (experimentId 0, variant "default"). Positions are implied: items[i] was shown at position i + 1.
struct ExposureRecord {
    qint64 exposureId = 0;
    qint64 experimentId = 0;  // 0 = served outside any experiment
    QString variant;
    std::optional<qint64> userId;  // absent for anonymous sessions
    QString sessionId;             // empty for known users
    QString route;
    QString model;  // family and version that actually answered
    QString modelVersion;
    std::vector<qint64> items;  // anime ids, best first
    qint64 servedAtMs = 0;      // milliseconds since the epoch, UTC
};

// One feedback event (table Feedback) of a user or of an anonymous session, attributed to the
// latest exposure of the same unit that showed the title (exposureId 0 when none did).
struct FeedbackRecord {
    qint64 feedbackId = 0;
    std::optional<qint64> userId;  // absent for anonymous sessions
    QString sessionId;             // empty for known users
    qint64 animeId = 0;
    FeedbackEvent event = FeedbackEvent::Click;
    std::optional<double> value;  // the rating for Rate
    qint64 createdAtMs = 0;
    qint64 exposureId = 0;
    qint64 experimentId = 0;
    QString variant;
    int position = 0;  // 1-based position in the exposure; 0 when not attributed
};

}  // namespace animerec::storage

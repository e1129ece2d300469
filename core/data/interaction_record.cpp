#include "data/interaction_record.h"

#include <algorithm>
#include <cctype>

namespace animerec {

namespace {
std::string normalised(const std::string& text) {
    // Lower case, letters only: "Plan to Watch", "plan_to_watch" and "Plan-To-Watch" all match.
    std::string key;
    for (char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)))
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}
}  // namespace

std::optional<WatchStatus> parseWatchStatus(const std::string& text) {
    const std::string key = normalised(text);
    if (key == "1" || key == "watching" || key == "currentlywatching") return WatchStatus::Watching;
    if (key == "2" || key == "completed") return WatchStatus::Completed;
    if (key == "3" || key == "onhold") return WatchStatus::OnHold;
    if (key == "4" || key == "dropped") return WatchStatus::Dropped;
    if (key == "6" || key == "plantowatch") return WatchStatus::PlanToWatch;
    if (key.empty() || key == "0") return WatchStatus::Unknown;
    return std::nullopt;
}

const char* watchStatusName(WatchStatus status) {
    switch (status) {
        case WatchStatus::Watching:
            return "Watching";
        case WatchStatus::Completed:
            return "Completed";
        case WatchStatus::OnHold:
            return "On-Hold";
        case WatchStatus::Dropped:
            return "Dropped";
        case WatchStatus::PlanToWatch:
            return "Plan to Watch";
        case WatchStatus::Unknown:
            break;
    }
    return "";
}

}  // namespace animerec

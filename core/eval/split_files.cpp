#include "eval/split_files.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "data/catalog.h"
#include "data/interaction_record.h"
#include "eval/split.h"

namespace animerec {

namespace {

std::ofstream openOutput(const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path + ": cannot open for writing");
    return out;
}

void finish(std::ofstream& out, const std::string& path) {
    out.flush();
    if (!out) throw std::runtime_error(path + ": write failed");
}

std::string ratingText(float rating) {
    return rating > 0.0f ? std::to_string(static_cast<int>(rating)) : std::string();
}

}  // namespace

std::string isoDateTime(std::int64_t seconds) {
    // Civil date of a day count (H. Hinnant's civil_from_days), the inverse of daysFromCivil.
    std::int64_t days = seconds / 86400;
    std::int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto dayOfEra = static_cast<unsigned>(days - era * 146097);
    const unsigned yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned monthIndex = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    const unsigned month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    const std::int64_t year = static_cast<std::int64_t>(yearOfEra) + era * 400 + (month <= 2);
    char text[40];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(year), month, day, static_cast<long long>(rest / 3600),
                  static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
    return text;
}

void writeSplitFiles(const Split& split, const Catalog& catalog, SplitFileLayout layout,
                     const std::string& trainPath, const std::string& testPath) {
    std::ofstream train = openOutput(trainPath);
    switch (layout) {
        case SplitFileLayout::Ratings:
            train << "user_id,anime_id,rating\n";
            break;
        case SplitFileLayout::Updates:
            train << "user_id,anime_id,score,status,episodes_seen,episodes_total,updated_at\n";
            break;
        case SplitFileLayout::Animelist:
            train << kAnimelistCsvHeader << '\n';
            break;
    }
    for (int user = 0; user < split.train.userCount(); ++user) {
        const std::int64_t id = split.train.userIdAt(user);
        for (const Event& event : split.train.historyOf(user)) {
            train << id << ',' << catalog.idAt(event.item) << ',';
            if (layout == SplitFileLayout::Ratings) {
                train << (event.rating > 0.0f ? static_cast<int>(event.rating) : -1) << '\n';
                continue;
            }
            if (event.status == WatchStatus::Unknown)
                throw std::invalid_argument(trainPath +
                                            ": the updates and animelist layouts need a watch "
                                            "status, and an event of user " +
                                            std::to_string(id) + " has none");
            train << ratingText(event.rating) << ',' << watchStatusName(event.status) << ',';
            if (event.watchedEpisodes >= 0) train << event.watchedEpisodes;
            if (layout == SplitFileLayout::Updates) train << ",," << isoDateTime(event.order);
            train << '\n';
        }
    }
    finish(train, trainPath);

    std::ofstream test = openOutput(testPath);
    test << "user_id,anime_id,rating\n";
    for (int user = 0; user < split.train.userCount(); ++user) {
        const HeldOut& heldOut = split.test[static_cast<std::size_t>(user)];
        for (std::size_t i = 0; i < heldOut.items.size(); ++i)
            test << split.train.userIdAt(user) << ',' << catalog.idAt(heldOut.items[i]) << ','
                 << (heldOut.ratings[i] > 0.0f ? static_cast<int>(heldOut.ratings[i]) : -1) << '\n';
    }
    finish(test, testPath);
}

}  // namespace animerec

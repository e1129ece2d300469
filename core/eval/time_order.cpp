#include "eval/time_order.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include "data/csv_dataset.h"
#include "data/interaction_csv_reader.h"
#include "eval/seeded_random.h"
#include "util/file_input.h"

namespace animerec {

namespace {

// A user's timed event with its place among equal times.
struct Ordered {
    Event event;
    std::uint64_t tie;
};

void addInTimeOrder(Interactions::Builder& builder, std::int64_t userId,
                    std::vector<Ordered>& events) {
    std::sort(events.begin(), events.end(), [](const Ordered& a, const Ordered& b) {
        return a.event.order != b.event.order ? a.event.order < b.event.order : a.tie < b.tie;
    });
    // The builder's sort by order is stable, so the tie order set here survives it.
    for (const Ordered& ordered : events) builder.add(userId, ordered.event);
}

}  // namespace

Interactions latestPerTitle(const Interactions& timed, const LatestUpdatesOptions& options,
                            std::int64_t* collapsed) {
    Interactions::Builder builder(timed.itemCount());
    std::unordered_map<int, std::size_t> slotOfItem;
    std::vector<Ordered> events;
    std::int64_t dropped = 0;
    for (int user = 0; user < timed.userCount(); ++user) {
        const std::int64_t userId = timed.userIdAt(user);
        const std::uint64_t userStream =
            mixSeed(options.tieSeed, static_cast<std::uint64_t>(userId));
        slotOfItem.clear();
        events.clear();
        builder.addUser(userId);
        // History is in time order, so a later event of the same title replaces the earlier one.
        for (const Event& event : timed.historyOf(user)) {
            const auto [slot, inserted] = slotOfItem.try_emplace(event.item, events.size());
            if (inserted) {
                events.push_back(
                    {event, mixSeed(userStream, static_cast<std::uint64_t>(event.item))});
            } else {
                events[slot->second].event = event;
                ++dropped;
            }
        }
        addInTimeOrder(builder, userId, events);
    }
    if (collapsed) *collapsed += dropped;
    return std::move(builder).build();
}

LatestUpdates loadLatestUpdates(const std::string& animePath, const std::string& updatesPath,
                                const LatestUpdatesOptions& options) {
    LatestUpdates result;
    result.data.catalog = loadCatalogCsv(animePath, result.rejects);
    std::ifstream input = openInputFile(updatesPath);
    InteractionCsvReader reader(input, updatesPath);
    result.layout = reader.layoutName();
    if (!reader.hasTimes())
        throw std::invalid_argument(updatesPath + ": the " + result.layout +
                                    " layout has no update time; P3 needs a file with times "
                                    "(mal_updates_2022 user updates or the 2018 animelists)");
    Interactions::Builder builder(result.data.catalog.size());
    InteractionRecord record;
    CsvReject reject;
    for (;;) {
        const auto outcome = reader.next(record, reject);
        if (outcome == InteractionCsvReader::Result::End) break;
        if (outcome == InteractionCsvReader::Result::Reject) {
            result.rejects.push_back(std::move(reject));
            continue;
        }
        const auto item = result.data.catalog.indexOf(record.animeId);
        if (!item) {
            result.rejects.push_back({updatesPath, reader.lastLine(),
                                      "unknown anime_id " + std::to_string(record.animeId)});
            continue;
        }
        ++result.rowsRead;
        if (!record.timestamp) {
            ++result.untimedRows;
            continue;
        }
        Event event;
        event.item = *item;
        event.rating = record.rating ? static_cast<float>(*record.rating) : 0.0f;
        event.status = record.status;
        event.watchedEpisodes = record.watchedEpisodes ? *record.watchedEpisodes : -1;
        event.order = *record.timestamp;
        builder.add(record.userId, event);
    }
    result.data.interactions =
        latestPerTitle(std::move(builder).build(), options, &result.collapsedRows);
    return result;
}

Split nextItemSplit(const Interactions& latest, const NextItemOptions& options) {
    if (options.minTitles < 2)
        throw std::invalid_argument("next-item split needs at least 2 titles per user, got " +
                                    std::to_string(options.minTitles));
    LeaveLastOptions leaveLast;
    leaveLast.count = 1;
    leaveLast.minInteractions = options.minTitles;
    leaveLast.keepSparseUsersInTrain = options.keepShortHistoriesInTrain;
    Split split = leaveLastOutSplit(latest, leaveLast);
    split.protocol = {{"protocol", "next_item_time"},
                      {"min_titles", std::to_string(options.minTitles)},
                      {"short_histories_in_train", options.keepShortHistoriesInTrain ? "1" : "0"}};
    return split;
}

Split nextItemValidation(const Interactions& train, const NextItemOptions& options) {
    NextItemOptions inner = options;
    // A tested user kept minTitles - 1 titles in train.
    inner.minTitles = std::max(2, options.minTitles - 1);
    Split split = nextItemSplit(train, inner);
    split.protocol.emplace_back("validation", "1");
    return split;
}

}  // namespace animerec

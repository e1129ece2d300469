#include "real_protocols.h"

#include <cstdlib>
#include <stdexcept>

#include "data/csv_dataset.h"

namespace animerec::real {

namespace {
constexpr std::int64_t kSampleUserOffset = 100000;
constexpr std::int64_t kSampleUsersAlreadyInHead = 68;
}  // namespace

std::string sampleDirectory() { return ANIMEREC_SAMPLE_DATA_DIR; }

std::string realDataDirectory() {
    const char* fromEnvironment = std::getenv("ANIMEREC_REAL_DATA_DIR");
    return fromEnvironment && *fromEnvironment ? fromEnvironment : ANIMEREC_REAL_DATA_DIR;
}

Dataset cooperUnionUnion() {
    const std::string dir = sampleDirectory() + "/";
    CsvDataset files = loadCsvFiles(dir + "anime.csv", {dir + "rating_head_users1-1036.csv",
                                                        dir + "rating_random5000users_part1.csv",
                                                        dir + "rating_random5000users_part2.csv"});
    if (files.interactions.size() != 3) throw std::runtime_error("expected three rating files");
    Interactions::Builder builder(files.catalog.size());
    for (std::size_t file = 0; file < files.interactions.size(); ++file) {
        const Interactions& part = files.interactions[file];
        const bool isSample = file > 0;
        for (int user = 0; user < part.userCount(); ++user) {
            const std::int64_t id = part.userIdAt(user);
            if (isSample && id <= kSampleUsersAlreadyInHead) continue;
            for (const Event& event : part.historyOf(user))
                builder.add(isSample ? id + kSampleUserOffset : id, event);
        }
    }
    return Dataset{std::move(files.catalog), std::move(builder).build()};
}

LeaveLastOne p2Split(const Dataset& all) {
    std::vector<int> compact(static_cast<std::size_t>(all.catalog.size()), -1);
    LeaveLastOne p2;
    for (int user = 0; user < all.interactions.userCount(); ++user)
        for (const Event& event : all.interactions.historyOf(user)) {
            int& index = compact.at(static_cast<std::size_t>(event.item));
            if (index < 0) {
                index = p2.train.catalog.size();
                p2.train.catalog.add(all.catalog.at(event.item));
            }
        }
    Interactions::Builder builder(p2.train.catalog.size());
    std::vector<std::pair<std::int64_t, int>> tested;
    for (int user = 0; user < all.interactions.userCount(); ++user) {
        const auto history = all.interactions.historyOf(user);
        const std::int64_t id = all.interactions.userIdAt(user);
        const bool isTested = history.size() >= 3;
        const std::size_t trainLength = isTested ? history.size() - 1 : history.size();
        for (std::size_t i = 0; i < trainLength; ++i) {
            Event event = history[i];
            event.item = compact[static_cast<std::size_t>(event.item)];
            builder.add(id, event);
        }
        if (isTested)
            tested.emplace_back(id, compact[static_cast<std::size_t>(history.back().item)]);
    }
    p2.train.interactions = std::move(builder).build();
    for (const auto& [id, item] : tested)
        p2.tests.emplace_back(p2.train.interactions.userIndexOf(id), item);
    return p2;
}

Split p1Split(const Dataset& all) {
    HoldoutOptions options;
    options.testShare = 0.2;
    options.minInteractions = 5;
    options.seed = 42;
    return holdoutSplit(all.interactions, options);
}

namespace {
TimeOrdered timeOrdered(std::string name, const std::string& anime, const std::string& updates) {
    const std::string dir = realDataDirectory() + "/";
    TimeOrdered p3;
    p3.name = std::move(name);
    p3.animePath = dir + anime;
    p3.source = loadLatestUpdates(p3.animePath, dir + updates);
    p3.split = nextItemSplit(p3.source.data.interactions);
    return p3;
}
}  // namespace

TimeOrdered p3Updates2022() {
    return timeOrdered("2022 updates", "mal_updates_2022/anime_top200.csv",
                       "mal_updates_2022/user_updates_top200.csv");
}

TimeOrdered p3Lists2018() {
    return timeOrdered("2018 lists", "cooperunion/anime.csv",
                       "azathoth42/animelists_cleaned_head10k.csv");
}

EvaluatorOptions protocolOptions(bool confidenceIntervals) {
    EvaluatorOptions options;
    options.ks = {10};
    options.catalogMode = CatalogMode::Interacted;
    options.confidenceIntervals = confidenceIntervals;
    return options;
}

}  // namespace animerec::real

#pragma once

#include <random>
#include <span>

#include "real_protocols.h"
// Small datasets for the popularity, content and cold-start tests, plus the real CooperUnion
// files (the real sample in data/sample).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/csv_dataset.h"
#include "data/dataset.h"
#include "eval/evaluator.h"
#include "eval/split.h"
#include "models/recommender.h"

namespace animerec::fixtures {

inline AnimeRecord anime(std::int64_t id, std::string title, std::vector<std::string> genres,
                         std::string type = "TV", std::optional<int> episodes = 12,
                         std::optional<double> rating = 7.0,
                         std::optional<std::int64_t> members = 1000) {
    AnimeRecord record;
    record.animeId = id;
    record.title = std::move(title);
    record.genres = std::move(genres);
    record.type = std::move(type);
    record.episodes = episodes;
    record.rating = rating;
    record.members = members;
    return record;
}

struct Row {
    std::int64_t user;
    std::int64_t animeId;
    float rating = 0.0f;
    WatchStatus status = WatchStatus::Unknown;
};

// A Dataset over `catalog` with one event per row, in row order.
inline Dataset makeDataset(const std::vector<AnimeRecord>& catalog, const std::vector<Row>& rows) {
    Dataset data;
    for (const auto& record : catalog) data.catalog.add(record);
    Interactions::Builder builder(data.catalog.size());
    std::int64_t order = 0;
    for (const auto& row : rows) {
        Event event;
        event.item = data.catalog.indexOf(row.animeId).value();
        event.rating = row.rating;
        event.status = row.status;
        event.order = order++;
        builder.add(row.user, event);
    }
    data.interactions = std::move(builder).build();
    return data;
}

inline Event makeEvent(int item, float rating = 0.0f, WatchStatus status = WatchStatus::Completed) {
    Event e;
    e.item = item;
    e.rating = rating;
    e.status = status;
    return e;
}

// The CooperUnion catalogue alone (12,294 anime), from data/sample.
inline Dataset realCatalog() { return loadCsvDataset(ANIMEREC_SAMPLE_DATA_DIR "/anime.csv", {}); }

// Scores every item with seeded noise: the floor a real model must clear by a wide margin.
class RandomScores final : public Recommender {
public:
    std::string name() const override { return "random"; }
    void fit(const Dataset& data, const ProgressCallback& = {}) override {
        items_ = data.catalog.size();
    }
    void score(const UserQuery& query, std::span<float> scores) const override {
        std::mt19937 random(static_cast<unsigned>(query.user + 1));
        for (float& score : scores) score = static_cast<float>(random()) / 4294967296.0f;
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}

private:
    int items_ = 0;
};

// Fits `model` on the P1 train part (tests/common/real_protocols.h) and returns its report
// (metrics "ndcg@10", "recall@10").
inline ModelReport p1Report(Recommender& model, const Dataset& all, const Split& split) {
    const Dataset train{all.catalog, split.train};
    model.fit(train);
    return Evaluator(split, all.catalog, real::protocolOptions()).evaluate(model);
}

}  // namespace animerec::fixtures

#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/csv_layouts.h"
#include "data/interaction_record.h"

namespace animerec {

class CsvReader;
struct CsvRow;

// Integer ids for files keyed by user name: 1, 2, ... in first-seen order, so the same files
// always give the same ids. Share one instance across files that must agree (train/test).
class UserNameIds {
public:
    std::int64_t idOf(std::string_view name);
    // Name of id `id` (1-based), as given to idOf.
    const std::string& nameOf(std::int64_t id) const {
        return names_.at(static_cast<std::size_t>(id - 1));
    }
    std::int64_t size() const { return static_cast<std::int64_t>(names_.size()); }

private:
    std::unordered_map<std::string, std::int64_t> ids_;
    std::vector<std::string> names_;
};

// Reads a user-anime interaction CSV in any layout we know, detected from the header (names
// trimmed, case-insensitive):
//  - brief animelist.csv:  user_id,anime_id,rating,status,watched_episodes (status text or code)
//  - Hernan 2020 animelist: user_id,anime_id,rating,watching_status,watched_episodes
//  - ratings:              user_id,anime_id,rating (CooperUnion rating.csv, Hernan rating_complete)
//  - Azathoth 2018:        username,anime_id,my_watched_episodes,...,my_score,my_status,...,
//                          my_last_updated (user ids from UserNameIds; 1970-01-01 = no time)
//  - mal_updates_2022:     user_id,anime_id,score,status,episodes_seen,episodes_total,updated_at
// Ratings -1, 0 or empty mean "not rated" (std::nullopt); other values must be 1..10.
class InteractionCsvReader {
public:
    enum class Result { Record, Reject, End };

    // Reads the header. Throws std::invalid_argument naming `file` and the column when the header
    // is unknown or misses a column. `userNames` (optional, must outlive the reader) maps user
    // names to ids; without it the reader keeps its own.
    InteractionCsvReader(std::istream& input, std::string file, UserNameIds* userNames = nullptr);
    ~InteractionCsvReader();

    // Reads the next row into `record` (Result::Record) or `reject` (Result::Reject). Reuses the
    // strings in `record`, so pass the same object each time in hot loops.
    Result next(InteractionRecord& record, CsvReject& reject);

    const std::string& layoutName() const { return layout_; }
    // Whether the layout has an update time column (the 2018 lists, the 2022 update scrape).
    bool hasTimes() const { return timestamp_ >= 0; }
    std::int64_t bytesRead() const;
    // Line where the record last returned by next() starts.
    std::int64_t lastLine() const;

private:
    bool parse(const CsvRow& row, InteractionRecord& record, std::string& reason);

    std::string file_;
    std::unique_ptr<CsvReader> reader_;
    std::unique_ptr<CsvRow> row_;
    std::unique_ptr<UserNameIds> ownNames_;
    UserNameIds* userNames_ = nullptr;
    std::string layout_;
    int columns_ = 0;
    int user_ = -1, userName_ = -1, anime_ = -1, rating_ = -1, status_ = -1, episodes_ = -1,
        timestamp_ = -1;
    std::string ratingName_, statusName_, episodesName_, timestampName_;
};

}  // namespace animerec

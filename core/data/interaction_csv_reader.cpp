#include "data/interaction_csv_reader.h"

#include <istream>
#include <stdexcept>

#include "data/csv_reader.h"

namespace animerec {

std::int64_t UserNameIds::idOf(std::string_view name) {
    // Lookups dominate (one per row); a std::string key costs one small copy per row, which is
    // fine for the user-keyed files (the 2018 dataset), the only ones that use this.
    std::string key(name);
    const auto found = ids_.find(key);
    if (found != ids_.end()) return found->second;
    const auto id = static_cast<std::int64_t>(names_.size()) + 1;
    names_.push_back(key);
    ids_.emplace(std::move(key), id);
    return id;
}

InteractionCsvReader::InteractionCsvReader(std::istream& input, std::string file,
                                           UserNameIds* userNames)
    : file_(std::move(file)),
      reader_(std::make_unique<CsvReader>(input)),
      row_(std::make_unique<CsvRow>()),
      userNames_(userNames) {
    if (!reader_->next(*row_))
        throw std::invalid_argument(file_ + ": empty file, no interactions header");
    const CsvHeader header(*row_, file_);
    columns_ = header.size();
    constexpr std::string_view kKind = "interactions";
    const auto use = [&](int& index, std::string& nameOut, const char* name) {
        index = header.require(name, kKind, layout_);
        nameOut = name;
    };
    if (header.find("username") >= 0) {
        layout_ = "Azathoth 2018 animelists";
        userName_ = header.require("username", kKind, layout_);
        anime_ = header.require("anime_id", kKind, layout_);
        use(episodes_, episodesName_, "my_watched_episodes");
        use(rating_, ratingName_, "my_score");
        use(status_, statusName_, "my_status");
        use(timestamp_, timestampName_, "my_last_updated");
    } else if (header.find("updated_at") >= 0) {
        layout_ = "mal_updates_2022 user updates";
        user_ = header.require("user_id", kKind, layout_);
        anime_ = header.require("anime_id", kKind, layout_);
        use(rating_, ratingName_, "score");
        use(status_, statusName_, "status");
        use(episodes_, episodesName_, "episodes_seen");
        use(timestamp_, timestampName_, "updated_at");
    } else if (header.find("watching_status") >= 0 || header.find("status") >= 0) {
        const bool hernan = header.find("watching_status") >= 0;
        layout_ = hernan ? "Hernan 2020 animelist" : "brief animelist";
        user_ = header.require("user_id", kKind, layout_);
        anime_ = header.require("anime_id", kKind, layout_);
        use(rating_, ratingName_, "rating");
        use(status_, statusName_, hernan ? "watching_status" : "status");
        use(episodes_, episodesName_, "watched_episodes");
    } else if (header.find("user_id") >= 0 || header.find("anime_id") >= 0) {
        layout_ = "ratings";
        user_ = header.require("user_id", kKind, layout_);
        anime_ = header.require("anime_id", kKind, layout_);
        use(rating_, ratingName_, "rating");
    } else {
        throw std::invalid_argument(
            file_ + ": unknown interactions CSV header '" + header.text() +
            "' (expected user_id,anime_id,rating[,status,watched_episodes]; the 2020 "
            "watching_status variant; username,...,my_score,my_status,...; or "
            "user_id,anime_id,score,status,episodes_seen,episodes_total,updated_at)");
    }
    if (userName_ >= 0 && userNames_ == nullptr) {
        ownNames_ = std::make_unique<UserNameIds>();
        userNames_ = ownNames_.get();
    }
}

InteractionCsvReader::~InteractionCsvReader() = default;

std::int64_t InteractionCsvReader::bytesRead() const { return reader_->bytesRead(); }

std::int64_t InteractionCsvReader::lastLine() const { return row_->line; }

InteractionCsvReader::Result InteractionCsvReader::next(InteractionRecord& record,
                                                        CsvReject& reject) {
    if (!reader_->next(*row_)) return Result::End;
    std::string reason = structuralProblem(*row_, columns_);
    if (reason.empty() && parse(*row_, record, reason)) return Result::Record;
    reject.file = file_;
    reject.line = row_->line;
    reject.reason = std::move(reason);
    return Result::Reject;
}

namespace {

// Codes and the common spellings without building a std::string; parseWatchStatus for the rest.
std::optional<WatchStatus> watchStatusOf(std::string_view text) {
    text = trimBlanks(text);
    if (text.size() == 1) {
        switch (text[0]) {
            case '0':
                return WatchStatus::Unknown;
            case '1':
                return WatchStatus::Watching;
            case '2':
                return WatchStatus::Completed;
            case '3':
                return WatchStatus::OnHold;
            case '4':
                return WatchStatus::Dropped;
            case '6':
                return WatchStatus::PlanToWatch;
            default:
                return std::nullopt;
        }
    }
    if (text == "Completed") return WatchStatus::Completed;
    if (text == "Plan to Watch") return WatchStatus::PlanToWatch;
    if (text == "Watching") return WatchStatus::Watching;
    return parseWatchStatus(std::string(text));
}

}  // namespace

bool InteractionCsvReader::parse(const CsvRow& row, InteractionRecord& record,
                                 std::string& reason) {
    const auto field = [&row](int index) { return row.fields[static_cast<std::size_t>(index)]; };
    std::int64_t value = 0;
    if (!parseIntegerField(field(anime_), "anime_id", value, reason)) return false;
    if (value <= 0) {
        reason = "anime_id " + std::to_string(value) + " is not positive";
        return false;
    }
    record.animeId = value;

    if (user_ >= 0) {
        if (!parseIntegerField(field(user_), "user_id", value, reason)) return false;
        if (value < 0) {
            reason = "user_id " + std::to_string(value) + " is negative";
            return false;
        }
        record.userId = value;
        record.userName.clear();
    } else {
        const std::string_view name = trimBlanks(field(userName_));
        if (name.empty()) {
            reason = "field username: empty";
            return false;
        }
        record.userName.assign(name);
    }

    record.rating.reset();
    const std::string_view ratingText = trimBlanks(field(rating_));
    if (!ratingText.empty()) {
        if (!parseIntegerField(ratingText, ratingName_, value, reason)) return false;
        if (value != 0 && value != -1) {
            if (value < 1 || value > 10) {
                reason = ratingName_ + " " + std::to_string(value) + " outside 1..10";
                return false;
            }
            record.rating = static_cast<int>(value);
        }
    }

    record.status = WatchStatus::Unknown;
    if (status_ >= 0) {
        const auto status = watchStatusOf(field(status_));
        if (!status) {
            reason = "field " + statusName_ + ": '" + std::string(field(status_).substr(0, 60)) +
                     "' is not a watch status";
            return false;
        }
        record.status = *status;
    }

    record.watchedEpisodes.reset();
    if (episodes_ >= 0 && !trimBlanks(field(episodes_)).empty()) {
        if (!parseIntegerField(field(episodes_), episodesName_, value, reason)) return false;
        if (value < 0 || value > 1'000'000) {
            reason = episodesName_ + " " + std::to_string(value) + " outside 0..1000000";
            return false;
        }
        record.watchedEpisodes = static_cast<int>(value);
    }

    record.timestamp.reset();
    if (timestamp_ >= 0 && !trimBlanks(field(timestamp_)).empty()) {
        const auto time = parseDateTime(field(timestamp_));
        if (!time) {
            reason = "field " + timestampName_ + ": '" +
                     std::string(field(timestamp_).substr(0, 60)) + "' is not a date-time";
            return false;
        }
        // The 2018 dataset writes 1970-01-01 00:00:00 for "never recorded".
        if (*time != 0) record.timestamp = *time;
    }

    // Ids are handed out only to rows that passed every check, so rejected rows leave no gaps.
    if (userName_ >= 0) record.userId = userNames_->idOf(record.userName);
    return true;
}

}  // namespace animerec

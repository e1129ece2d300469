#include "data/anime_csv_reader.h"

#include <istream>
#include <stdexcept>

#include "data/csv_reader.h"
#include "data/html_entities.h"

namespace animerec {

std::string decodePythonBytesLiteral(std::string_view text) {
    const std::string_view trimmed = trimBlanks(text);
    if (trimmed.size() < 3 || trimmed[0] != 'b' || (trimmed[1] != '\'' && trimmed[1] != '"') ||
        trimmed.back() != trimmed[1])
        return std::string(text);
    const std::string_view body = trimmed.substr(2, trimmed.size() - 3);
    std::string out;
    out.reserve(body.size());
    auto hexValue = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\' || i + 1 == body.size()) {
            out += body[i];
            continue;
        }
        const char escape = body[++i];
        switch (escape) {
            case 'x':
                if (i + 2 < body.size() && hexValue(body[i + 1]) >= 0 &&
                    hexValue(body[i + 2]) >= 0) {
                    out += static_cast<char>(hexValue(body[i + 1]) * 16 + hexValue(body[i + 2]));
                    i += 2;
                } else {
                    out += "\\x";
                }
                break;
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case '\\':
            case '\'':
            case '"':
                out += escape;
                break;
            default:
                out += '\\';
                out += escape;
        }
    }
    return out;
}

std::vector<std::string> parseGenreList(std::string_view text) {
    std::string_view trimmed = trimBlanks(text);
    if (trimmed.size() < 2 || trimmed.front() != '[' || trimmed.back() != ']')
        return splitGenres(std::string(trimmed));
    // A Python list of quoted strings; genre names contain no commas or quotes.
    std::vector<std::string> genres;
    for (std::string& item : splitGenres(std::string(trimmed.substr(1, trimmed.size() - 2)))) {
        std::string_view name = item;
        if (name.size() >= 2 && (name.front() == '\'' || name.front() == '"') &&
            name.back() == name.front())
            name = trimBlanks(name.substr(1, name.size() - 2));
        if (!name.empty()) genres.emplace_back(name);
    }
    return genres;
}

AnimeCsvReader::AnimeCsvReader(std::istream& input, std::string file)
    : file_(std::move(file)),
      reader_(std::make_unique<CsvReader>(input)),
      row_(std::make_unique<CsvRow>()) {
    if (!reader_->next(*row_)) throw std::invalid_argument(file_ + ": empty file, no anime header");
    const CsvHeader header(*row_, file_);
    columns_ = header.size();
    constexpr std::string_view kKind = "anime";
    if (header.find("mal_id") >= 0) {
        layout_ = "Hernan 2020 anime.csv";
        id_ = header.require("mal_id", kKind, layout_);
        title_ = header.require("name", kKind, layout_);
        rating_ = header.require("score", kKind, layout_);
        genre_ = header.require("genres", kKind, layout_);
        type_ = header.require("type", kKind, layout_);
        episodes_ = header.require("episodes", kKind, layout_);
        members_ = header.require("members", kKind, layout_);
    } else if (header.find("anime_id") >= 0) {
        const bool brief = header.find("title") >= 0;
        layout_ = brief ? "brief anime.csv" : "CooperUnion anime.csv";
        id_ = header.require("anime_id", kKind, layout_);
        title_ = header.require(brief ? "title" : "name", kKind, layout_);
        genre_ = header.require("genre", kKind, layout_);
        type_ = header.require("type", kKind, layout_);
        episodes_ = header.require("episodes", kKind, layout_);
        rating_ = header.require("rating", kKind, layout_);
        members_ = header.require("members", kKind, layout_);
        if (!brief) peekFirstRow();
    } else {
        throw std::invalid_argument(
            file_ + ": unknown anime CSV header '" + header.text() +
            "' (expected anime_id,title,genre,type,episodes,rating,members; the CooperUnion "
            "'name' variant; or the 2020 MAL_ID,Name,Score,Genres,... layout)");
    }
}

AnimeCsvReader::~AnimeCsvReader() = default;

void AnimeCsvReader::peekFirstRow() {
    peeked_ = true;
    peekedEnd_ = !reader_->next(*row_);
    if (peekedEnd_ || static_cast<int>(row_->fields.size()) != columns_) return;
    const std::string_view title = trimBlanks(row_->fields[static_cast<std::size_t>(title_)]);
    const std::string_view genre = trimBlanks(row_->fields[static_cast<std::size_t>(genre_)]);
    if (title.starts_with("b'") || title.starts_with("b\"") || genre.starts_with("["))
        layout_ = "mal_updates_2022 anime.csv (Python literals)";
}

std::int64_t AnimeCsvReader::bytesRead() const { return reader_->bytesRead(); }

std::int64_t AnimeCsvReader::lastLine() const { return row_->line; }

AnimeCsvReader::Result AnimeCsvReader::next(AnimeRecord& record, CsvReject& reject) {
    if (peeked_) {
        peeked_ = false;
        if (peekedEnd_) return Result::End;
    } else if (!reader_->next(*row_)) {
        return Result::End;
    }
    std::string reason = structuralProblem(*row_, columns_);
    if (reason.empty() && parse(*row_, record, reason)) return Result::Record;
    reject.file = file_;
    reject.line = row_->line;
    reject.reason = std::move(reason);
    return Result::Reject;
}

bool AnimeCsvReader::parse(const CsvRow& row, AnimeRecord& record, std::string& reason) const {
    const auto field = [&row](int index) { return row.fields[static_cast<std::size_t>(index)]; };
    std::int64_t id = 0;
    if (!parseIntegerField(field(id_), "anime_id", id, reason)) return false;
    if (id <= 0) {
        reason = "anime_id " + std::to_string(id) + " is not positive";
        return false;
    }
    record.animeId = id;

    std::string_view rawTitle = trimBlanks(field(title_));
    record.title = decodeHtmlEntities(rawTitle.starts_with("b'") || rawTitle.starts_with("b\"")
                                          ? decodePythonBytesLiteral(rawTitle)
                                          : std::string(rawTitle));
    if (trimBlanks(record.title).empty()) {
        reason = "field title: empty";
        return false;
    }
    record.genres = parseGenreList(field(genre_));
    record.type = std::string(trimBlanks(field(type_)));
    if (isMissingValue(record.type)) record.type.clear();

    record.episodes.reset();
    if (!isMissingValue(field(episodes_))) {
        std::int64_t episodes = 0;
        if (!parseIntegerField(field(episodes_), "episodes", episodes, reason)) return false;
        if (episodes < 0 || episodes > 1'000'000) {
            reason = "episodes " + std::to_string(episodes) + " outside 0..1000000";
            return false;
        }
        record.episodes = static_cast<int>(episodes);
    }
    record.rating.reset();
    if (!isMissingValue(field(rating_))) {
        double rating = 0;
        if (!parseRealField(field(rating_), "rating", rating, reason)) return false;
        if (rating < 1.0 || rating > 10.0) {
            reason = "rating " + std::string(trimBlanks(field(rating_))) + " outside 1..10";
            return false;
        }
        record.rating = rating;
    }
    record.members.reset();
    if (!isMissingValue(field(members_))) {
        std::int64_t members = 0;
        if (!parseIntegerField(field(members_), "members", members, reason)) return false;
        if (members < 0) {
            reason = "members " + std::to_string(members) + " is negative";
            return false;
        }
        record.members = members;
    }
    return true;
}

}  // namespace animerec

#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "data/anime_record.h"
#include "data/csv_layouts.h"

namespace animerec {

class CsvReader;
struct CsvRow;

// Reads an anime catalogue CSV in any layout we know, detected from the header (names trimmed,
// case-insensitive):
//  - brief:        anime_id,title,genre,type,episodes,rating,members
//  - CooperUnion:  anime_id,name,genre,type,episodes,rating,members (HTML entities in names)
//  - Hernan 2020:  MAL_ID,Name,Score,Genres,English name,...,Type,Episodes,...,Members,...
//  - mal_updates_2022 anime_top200.csv: the CooperUnion header with Python literals, name
//    b'Gintama\xc2\xb0' and genre "['Action', 'Comedy']"; named from the first row (the
//    header is the same), decoded per value in every layout.
// "Unknown" or empty episodes/rating/members become std::nullopt.
class AnimeCsvReader {
public:
    enum class Result { Record, Reject, End };

    // Reads the header. Throws std::invalid_argument naming `file` and the column when the header
    // is unknown or misses a column the layout needs.
    AnimeCsvReader(std::istream& input, std::string file);
    ~AnimeCsvReader();

    // Reads the next row into `record` (Result::Record) or `reject` (Result::Reject).
    Result next(AnimeRecord& record, CsvReject& reject);

    const std::string& layoutName() const { return layout_; }
    std::int64_t bytesRead() const;
    // Line where the record last returned by next() starts.
    std::int64_t lastLine() const;

private:
    bool parse(const CsvRow& row, AnimeRecord& record, std::string& reason) const;
    // Reads the first row ahead to tell the Python-literal layout from the CooperUnion one.
    void peekFirstRow();

    std::string file_;
    std::unique_ptr<CsvReader> reader_;
    std::unique_ptr<CsvRow> row_;
    std::string layout_;
    bool peeked_ = false;  // row_ holds the first row, not yet returned by next()
    bool peekedEnd_ = false;
    int columns_ = 0;
    int id_ = -1, title_ = -1, genre_ = -1, type_ = -1, episodes_ = -1, rating_ = -1, members_ = -1;
};

// Decodes a Python bytes literal such as b'Gintama\xc2\xb0' (\xHH, \\, \', \", \n, \t, \r) to
// its bytes; text that is not such a literal is returned unchanged.
std::string decodePythonBytesLiteral(std::string_view text);
// Splits a genre list: "A, B, C" or a Python list literal "['A', 'B']"; trimmed, no empties.
std::vector<std::string> parseGenreList(std::string_view text);

}  // namespace animerec

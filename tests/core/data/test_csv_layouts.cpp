// Anime and interaction CSV layouts: detection by header, value quirks, rejects with reasons,
// and the real sample (data/sample) read through loadCsvFiles. The layouts not shipped are read
// by test_csv_real_layouts (the real-data group).
#include <QtTest>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "data/anime_csv_reader.h"
#include "data/csv_dataset.h"
#include "data/interaction_csv_reader.h"
#include "real_file_check.h"

using namespace animerec;

namespace {

const std::string kSample = ANIMEREC_SAMPLE_DATA_DIR;

struct AnimeRead {
    std::vector<AnimeRecord> records;
    std::vector<CsvReject> rejects;
    std::string layout;
};

AnimeRead readAnime(const std::string& text) {
    std::istringstream input(text);
    AnimeCsvReader reader(input, "anime.csv");
    AnimeRead read{{}, {}, reader.layoutName()};
    AnimeRecord record;
    CsvReject reject;
    for (;;) {
        const auto result = reader.next(record, reject);
        if (result == AnimeCsvReader::Result::End) break;
        if (result == AnimeCsvReader::Result::Record)
            read.records.push_back(record);
        else
            read.rejects.push_back(reject);
    }
    return read;
}

struct InteractionRead {
    std::vector<InteractionRecord> records;
    std::vector<CsvReject> rejects;
    std::string layout;
};

InteractionRead readInteractions(const std::string& text) {
    std::istringstream input(text);
    InteractionCsvReader reader(input, "list.csv");
    InteractionRead read{{}, {}, reader.layoutName()};
    InteractionRecord record;
    CsvReject reject;
    for (;;) {
        const auto result = reader.next(record, reject);
        if (result == InteractionCsvReader::Result::End) break;
        if (result == InteractionCsvReader::Result::Record)
            read.records.push_back(record);
        else
            read.rejects.push_back(reject);
    }
    return read;
}

QString errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::invalid_argument& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

}  // namespace

class TestCsvLayouts : public QObject {
    Q_OBJECT

private slots:
    void animeLayouts_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("layout");
        QTest::addRow("brief") << "anime_id,title,genre,type,episodes,rating,members\n"
                                  "28977,Gintama&#039;,\"Action, Comedy\",TV,51,9.25,114262\n"
                               << "brief anime.csv";
        QTest::addRow("CooperUnion, CRLF, blanks in header")
            << " Anime_ID , Name ,genre,type,episodes,rating,members\r\n"
               "28977,Gintama&#039;,\"Action, Comedy\",TV,51,9.25,114262\r\n"
            << "CooperUnion anime.csv";
        QTest::addRow("Python literals")
            << "anime_id,name,genre,type,episodes,rating,members\n"
               "28977,b'Gintama&#039;',\"['Action', 'Comedy']\",TV,51,9.25,114262\n"
            << "mal_updates_2022 anime.csv (Python literals)";
    }

    void animeLayouts() {
        QFETCH(QString, text);
        QFETCH(QString, layout);
        const AnimeRead read = readAnime(text.toStdString());
        QCOMPARE(QString::fromStdString(read.layout), layout);
        QCOMPARE(read.rejects.size(), std::size_t{0});
        QCOMPARE(read.records.size(), std::size_t{1});
        const AnimeRecord& anime = read.records.front();
        QCOMPARE(anime.animeId, 28977);
        QCOMPARE(anime.title, std::string("Gintama'"));
        QCOMPARE(anime.genres, (std::vector<std::string>{"Action", "Comedy"}));
        QCOMPARE(anime.type, std::string("TV"));
        QCOMPARE(anime.episodes, std::optional<int>(51));
        QCOMPARE(anime.rating, std::optional<double>(9.25));
        QCOMPARE(anime.members, std::optional<std::int64_t>(114262));
    }

    void pythonBytesLiteral() {
        QCOMPARE(decodePythonBytesLiteral("b'Gintama\\xc2\\xb0'"), std::string("Gintama\xC2\xB0"));
        QCOMPARE(decodePythonBytesLiteral("b\"Kino's Journey\""), std::string("Kino's Journey"));
        QCOMPARE(decodePythonBytesLiteral("b'a\\\\b\\'c'"), std::string("a\\b'c"));
        QCOMPARE(decodePythonBytesLiteral("bleach"), std::string("bleach"));
        QCOMPARE(parseGenreList("['Action', 'Sci-Fi']"),
                 (std::vector<std::string>{"Action", "Sci-Fi"}));
        QCOMPARE(parseGenreList("[]"), std::vector<std::string>{});
    }

    void hernanAnimeFixture() {
        std::ifstream input(ANIMEREC_TEST_DATA_DIR "/hernan2020_anime_sample.csv",
                            std::ios::binary);
        QVERIFY(input.good());
        std::stringstream text;
        text << input.rdbuf();
        const AnimeRead read = readAnime(text.str());
        QCOMPARE(read.layout, std::string("Hernan 2020 anime.csv"));
        QCOMPARE(read.rejects.size(), std::size_t{0});
        QCOMPARE(read.records.size(), std::size_t{3});
        QCOMPARE(read.records[0].title, std::string("Cowboy Bebop"));
        QCOMPARE(read.records[0].rating, std::optional<double>(8.78));  // Score, not the age Rating
        QCOMPARE(read.records[0].members, std::optional<std::int64_t>(1251960));
        QCOMPARE(read.records[0].genres.size(), std::size_t{6});
        QCOMPARE(read.records[2].episodes, std::optional<int>());
        QCOMPARE(read.records[2].rating, std::optional<double>());
    }

    void animeRejects_data() {
        QTest::addColumn<QString>("row");
        QTest::addColumn<QString>("reason");
        QTest::addRow("non-numeric id") << "abc,T,,TV,1,5,10"
                                        << "field anime_id: 'abc' is not an integer";
        QTest::addRow("column count") << "1,T,TV,1,5,10"
                                      << "wrong column count 6, expected 7";
        QTest::addRow("empty title") << "1, ,,TV,1,5,10"
                                     << "field title: empty";
        QTest::addRow("rating range") << "1,T,,TV,1,11,10"
                                      << "rating 11 outside 1..10";
        QTest::addRow("episodes text") << "1,T,,TV,many,5,10"
                                       << "field episodes: 'many' is not an integer";
        QTest::addRow("open quote") << "1,\"T,,TV,1,5,10"
                                    << "unterminated quote";
    }

    void animeRejects() {
        QFETCH(QString, row);
        QFETCH(QString, reason);
        const AnimeRead read = readAnime("anime_id,title,genre,type,episodes,rating,members\n" +
                                         row.toStdString() + "\n");
        QCOMPARE(read.records.size(), std::size_t{0});
        QCOMPARE(read.rejects.size(), std::size_t{1});
        QCOMPARE(read.rejects[0].line, 2);
        QCOMPARE(QString::fromStdString(read.rejects[0].reason), reason);
        QCOMPARE(QString::fromStdString(describeReject(read.rejects[0])), "anime.csv:2: " + reason);
    }

    void badHeaders_data() {
        QTest::addColumn<bool>("anime");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("message");
        QTest::addRow("anime unknown") << true << "id,label"
                                       << "anime.csv: unknown anime CSV header 'id,label'";
        QTest::addRow("anime missing members") << true << "anime_id,name,genre,type,episodes,rating"
                                               << "anime.csv: missing column 'members'";
        QTest::addRow("anime 2020 missing score")
            << true << "MAL_ID,Name,Genres,Type,Episodes,Members"
            << "missing column 'score'";
        QTest::addRow("interactions unknown") << false << "status, description"
                                              << "list.csv: missing column 'user_id'";
        QTest::addRow("interactions nothing known")
            << false << "a,b"
            << "list.csv: unknown interactions CSV header 'a,b'";
        QTest::addRow("ratings missing rating") << false << "user_id,anime_id"
                                                << "list.csv: missing column 'rating'";
        QTest::addRow("2018 missing my_score")
            << false << "username,anime_id,my_watched_episodes,my_status,my_last_updated"
            << "missing column 'my_score'";
        QTest::addRow("empty file") << false << ""
                                    << "list.csv: empty file";
    }

    void badHeaders() {
        QFETCH(bool, anime);
        QFETCH(QString, header);
        QFETCH(QString, message);
        const std::string text =
            header.isEmpty() ? std::string() : header.toStdString() + "\n1,2\n";
        const QString error = errorOf([&] {
            if (anime)
                readAnime(text);
            else
                readInteractions(text);
        });
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void interactionLayouts_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("expected");  // user|anime|rating|status|episodes|time|name
        QTest::addRow("brief text status")
            << "user_id,anime_id,rating,status,watched_episodes\n7,20,8,Plan to Watch,0\n"
            << "brief animelist"
            << "7|20|8|6|0|-|";
        QTest::addRow("brief code status, rating 0")
            << "user_id,anime_id,rating,status,watched_episodes\n7,20,0,4,3\n"
            << "brief animelist"
            << "7|20|-|4|3|-|";
        QTest::addRow("2020 animelist")
            << "user_id,anime_id,rating,watching_status,watched_episodes\n0,67,9,1,1\n"
            << "Hernan 2020 animelist"
            << "0|67|9|1|1|-|";
        QTest::addRow("CooperUnion -1") << "user_id,anime_id,rating\n1,20,-1\n"
                                        << "ratings"
                                        << "1|20|-|0|-|-|";
        QTest::addRow("2018 usernames")
            << "username,anime_id,my_watched_episodes,my_start_date,my_finish_date,my_score,my_"
               "status,"
               "my_rewatching,my_rewatching_ep,my_last_updated,my_tags\n"
               "karthiga,21,586,0000-00-00,0000-00-00,9,1,,0,2013-03-03 10:52:53,\n"
               "Xinil,59,26,2002-12-26,2002-12-30,0,2,0.0,0,1970-01-01 00:00:00,\"ecchi, comedy\"\n"
               "karthiga,74,26,0000-00-00,0000-00-00,7,2,,0,2013-04-27 16:43:35,\n"
            << "Azathoth 2018 animelists"
            << "1|21|9|1|586|1362307973|karthiga;2|59|-|2|26|-|Xinil;1|74|7|2|26|1367081015|"
               "karthiga";
        QTest::addRow("mal_updates 2022")
            << "user_id,anime_id,score,status,episodes_seen,episodes_total,updated_at\n"
               "1,1,,Completed,26,26,2022-06-16T10:55:05+00:00\n2,1,9,On-Hold,21,26,2022-06-16T10:"
               "54:36+00:00\n"
            << "mal_updates_2022 user updates"
            << "1|1|-|2|26|1655376905|;2|1|9|3|21|1655376876|";
    }

    void interactionLayouts() {
        QFETCH(QString, text);
        QFETCH(QString, layout);
        QFETCH(QString, expected);
        const InteractionRead read = readInteractions(text.toStdString());
        QCOMPARE(QString::fromStdString(read.layout), layout);
        QCOMPARE(read.rejects.size(), std::size_t{0});
        QStringList rows;
        for (const auto& r : read.records) {
            const auto opt = [](const auto& value) {
                return value ? QString::number(*value) : QStringLiteral("-");
            };
            rows << QStringList{QString::number(r.userId),
                                QString::number(r.animeId),
                                opt(r.rating),
                                QString::number(int(r.status)),
                                opt(r.watchedEpisodes),
                                opt(r.timestamp),
                                QString::fromStdString(r.userName)}
                        .join('|');
        }
        QCOMPARE(rows.join(';'), expected);
    }

    void interactionRejects_data() {
        QTest::addColumn<QString>("row");
        QTest::addColumn<QString>("reason");
        QTest::addRow("non-numeric anime") << "1,abc,5,2,1"
                                           << "field anime_id: 'abc' is not an integer";
        QTest::addRow("non-numeric user") << "x1,3,5,2,1"
                                          << "field user_id: 'x1' is not an integer";
        QTest::addRow("rating 11") << "1,3,11,2,1"
                                   << "rating 11 outside 1..10";
        QTest::addRow("bad status") << "1,3,5,Reading,1"
                                    << "field status: 'Reading' is not a watch status";
        QTest::addRow("negative episodes") << "1,3,5,2,-4"
                                           << "watched_episodes -4 outside 0..1000000";
        QTest::addRow("column count") << "1,3,5"
                                      << "wrong column count 3, expected 5";
    }

    void interactionRejects() {
        QFETCH(QString, row);
        QFETCH(QString, reason);
        const InteractionRead read =
            readInteractions("user_id,anime_id,rating,status,watched_episodes\n1,3,5,2,1\n" +
                             row.toStdString() + "\n");
        QCOMPARE(read.records.size(), std::size_t{1});
        QCOMPARE(read.rejects.size(), std::size_t{1});
        QCOMPARE(read.rejects[0].line, 3);
        QCOMPARE(QString::fromStdString(read.rejects[0].reason), reason);
    }

    void realCooperUnionAnime() {
        std::vector<CsvReject> rejects;
        const Catalog catalog = loadCatalogCsv(kSample + "/anime.csv", rejects);
        QCOMPARE(rejects.size(), std::size_t{0});
        QCOMPARE(catalog.size(), 12294);  // SOURCES.md
        int unknownEpisodes = 0, noRating = 0, noType = 0, withEntity = 0;
        for (const auto& anime : catalog.items()) {
            unknownEpisodes += !anime.episodes;
            noRating += !anime.rating;
            noType += anime.type.empty();
            withEntity += anime.title.find("&#") != std::string::npos ||
                          anime.title.find("&amp;") != std::string::npos ||
                          anime.title.find("&quot;") != std::string::npos;
        }
        QCOMPARE(unknownEpisodes, 340);
        QCOMPARE(noRating, 230);
        QCOMPARE(noType, 25);
        QCOMPARE(withEntity, 0);
        const auto gintama = catalog.indexOf(9969);  // "Gintama&#039;" in the file
        QVERIFY(gintama);
        QCOMPARE(catalog.at(*gintama).title, std::string("Gintama'"));
        QCOMPARE(catalog.at(*catalog.indexOf(28977)).title, std::string("Gintama\xC2\xB0"));
    }

    void sampleHeadFile() {
        testing::checkRatingsFile(kSample + "/anime.csv", kSample + "/rating_head_users1-1036.csv",
                                  101001, 1036, 20067);  // SOURCES.md
    }

    void severalFilesShareOneCatalogue() {
        const CsvDataset data =
            loadCsvFiles(kSample + "/anime.csv", {kSample + "/rating_random5000users_part1.csv",
                                                  kSample + "/rating_random5000users_part2.csv"});
        QCOMPARE(data.rejects.size(), std::size_t{0});
        QCOMPARE(data.interactions.size(), std::size_t{2});
        QCOMPARE(data.interactions[0].size(), 261221);
        QCOMPARE(data.interactions[1].size(), 259388);
        QCOMPARE(data.interactions[0].itemCount(), data.catalog.size());
        // Orders continue across files: the second file's events come after the first's.
        QCOMPARE(data.interactions[1].historyOf(0).front().order > 261221, true);
        std::vector<CsvReject> rejects;
        const Dataset merged = loadCsvDataset(kSample + "/anime.csv",
                                              {kSample + "/rating_random5000users_part1.csv",
                                               kSample + "/rating_random5000users_part2.csv"},
                                              &rejects);
        QCOMPARE(merged.interactions.size(), 520609);
        QCOMPARE(merged.interactions.userCount(), 5000);
    }
};

QTEST_APPLESS_MAIN(TestCsvLayouts)
#include "test_csv_layouts.moc"

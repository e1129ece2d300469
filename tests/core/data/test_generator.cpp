// Synthetic dataset generator: determinism, file format, consistency rules (statuses, franchise
// order, unique pairs, catalogue statistics) and the signal models need (genre taste, long tail).
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/csv_reader.h"
#include "data/generator.h"
#include "data/generator_catalog.h"
#include "data/generator_random.h"

using namespace animerec;

namespace {

struct AnimeRow {
    std::int64_t id = 0;
    std::string title, type, rating;
    std::vector<std::string> genres;
    int episodes = 0;
    std::int64_t members = 0;
};

struct ListRow {
    std::int64_t user = 0, anime = 0;
    int rating = 0;  // 0 = empty field
    std::string status;
    int watched = 0;
};

struct Generated {
    std::string animeText, listText;
    GeneratorStats stats;
};

Generated generate(const GeneratorConfig& config) {
    std::ostringstream anime, list;
    Generated result;
    result.stats = generateDataset(config, anime, list);
    result.animeText = anime.str();
    result.listText = list.str();
    return result;
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::istringstream input(text);
    CsvReader reader(input);
    CsvRow row;
    std::vector<std::vector<std::string>> rows;
    while (reader.next(row)) {
        if (!row.error.empty())
            throw std::runtime_error("line " + std::to_string(row.line) + ": " + row.error);
        rows.emplace_back(row.fields.begin(), row.fields.end());
    }
    return rows;
}

std::vector<std::string> splitGenreList(const std::string& text) {
    std::vector<std::string> genres;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(", ", start);
        if (end == std::string::npos) end = text.size();
        genres.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return genres;
}

GeneratorConfig testConfig() {
    GeneratorConfig config;
    config.users = 800;
    config.anime = 4000;
    config.seed = 7;
    return config;
}

}  // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sameSeedGivesIdenticalBytes();
    void differentSeedGivesDifferentData();
    void headersAndCountsMatch();
    void everyUserHasRowsAndPairsAreUnique();
    void catalogueUsesRealGenresAndTypeMix();
    void catalogueStatisticsMatchInteractions();
    void statusesAreConsistentWithEpisodes_data();
    void statusesAreConsistentWithEpisodes();
    void sequelsFollowCompletedPrequels();
    void activityAndRatingsLookReal();
    void heldOutItemsShareGenresWithHistory();
    void popularityIsLongTailed();
    void progressReportsAndCancels();
    void invalidConfigIsRejected_data();
    void invalidConfigIsRejected();
    void aliasTableFollowsWeights();
    void tinyCatalogueRespectsTheCap();

private:
    Generated data_;
    std::vector<AnimeRow> anime_;
    std::unordered_map<std::int64_t, std::size_t> animeIndex_;
    std::vector<ListRow> rows_;
    std::vector<std::vector<std::string>> animeCsv_, listCsv_;
};

void TestGenerator::initTestCase() {
    data_ = generate(testConfig());
    animeCsv_ = parseCsv(data_.animeText);
    listCsv_ = parseCsv(data_.listText);
    QVERIFY(animeCsv_.size() > 1 && listCsv_.size() > 1);
    for (std::size_t i = 1; i < animeCsv_.size(); ++i) {
        const auto& f = animeCsv_[i];
        QCOMPARE(f.size(), std::size_t{7});
        AnimeRow row{std::stoll(f[0]), f[1], f[3], f[5], splitGenreList(f[2]), std::stoi(f[4]),
                     std::stoll(f[6])};
        QVERIFY2(animeIndex_.emplace(row.id, anime_.size()).second,
                 ("duplicate anime_id " + f[0]).c_str());
        anime_.push_back(std::move(row));
    }
    for (std::size_t i = 1; i < listCsv_.size(); ++i) {
        const auto& f = listCsv_[i];
        QCOMPARE(f.size(), std::size_t{5});
        rows_.push_back({std::stoll(f[0]), std::stoll(f[1]), f[2].empty() ? 0 : std::stoi(f[2]),
                         f[3], std::stoi(f[4])});
    }
}

void TestGenerator::sameSeedGivesIdenticalBytes() {
    const Generated again = generate(testConfig());
    QVERIFY(again.animeText == data_.animeText);
    QVERIFY(again.listText == data_.listText);
}

void TestGenerator::differentSeedGivesDifferentData() {
    GeneratorConfig config = testConfig();
    config.seed = 8;
    const Generated other = generate(config);
    QVERIFY(other.animeText != data_.animeText);
    QVERIFY(other.listText != data_.listText);
}

void TestGenerator::headersAndCountsMatch() {
    QCOMPARE(QString::fromStdString(data_.animeText.substr(0, data_.animeText.find('\n'))),
             QString("anime_id,title,genre,type,episodes,rating,members"));
    QCOMPARE(QString::fromStdString(data_.listText.substr(0, data_.listText.find('\n'))),
             QString("user_id,anime_id,rating,status,watched_episodes"));
    QCOMPARE(static_cast<std::int64_t>(anime_.size()), testConfig().anime);
    QCOMPARE(data_.stats.anime, testConfig().anime);
    QCOMPARE(static_cast<std::int64_t>(rows_.size()), data_.stats.interactions);
    QCOMPARE(std::count(data_.listText.begin(), data_.listText.end(), '\n'),
             data_.stats.interactions + 1);
    const auto rated =
        std::count_if(rows_.begin(), rows_.end(), [](const ListRow& r) { return r.rating > 0; });
    QCOMPARE(static_cast<std::int64_t>(rated), data_.stats.rated);
    // Multi-genre lists are quoted exactly as in the Kaggle file.
    QVERIFY(data_.animeText.find(",\"Action, ") != std::string::npos);
}

void TestGenerator::everyUserHasRowsAndPairsAreUnique() {
    std::set<std::pair<std::int64_t, std::int64_t>> pairs;
    std::int64_t lastUser = 0;
    for (const ListRow& row : rows_) {
        QVERIFY2(row.user == lastUser || row.user == lastUser + 1,
                 "users must be contiguous 1..N in order");
        lastUser = row.user;
        QVERIFY2(animeIndex_.count(row.anime),
                 ("unknown anime_id " + std::to_string(row.anime)).c_str());
        QVERIFY2(pairs.emplace(row.user, row.anime).second, "repeated (user, anime) pair");
        QVERIFY(row.rating >= 0 && row.rating <= 10);
    }
    QCOMPARE(lastUser, testConfig().users);
    QCOMPARE(data_.stats.users, testConfig().users);
}

void TestGenerator::catalogueUsesRealGenresAndTypeMix() {
    // The vocabulary must be the real one: read it from the CooperUnion anime.csv.
    std::ifstream real(ANIMEREC_SAMPLE_DATA_DIR "/anime.csv", std::ios::binary);
    QVERIFY(real.good());
    std::stringstream buffer;
    buffer << real.rdbuf();
    std::set<std::string> realGenres;
    const auto realRows = parseCsv(buffer.str());
    for (std::size_t i = 1; i < realRows.size(); ++i)
        for (const auto& genre : splitGenreList(realRows[i][2])) realGenres.insert(genre);
    QCOMPARE(realGenres.size(), std::size_t{43});

    std::set<std::string> used;
    std::map<std::string, int> types;
    for (const AnimeRow& row : anime_) {
        QVERIFY(!row.genres.empty());
        QVERIFY(std::is_sorted(row.genres.begin(), row.genres.end()));
        for (const auto& genre : row.genres) {
            QVERIFY2(realGenres.count(genre),
                     ("genre not in the real vocabulary: " + genre).c_str());
            used.insert(genre);
        }
        ++types[row.type];
        QVERIFY(row.episodes >= 1);
    }
    QVERIFY2(used.size() >= 40, qPrintable(QString("only %1 genres used").arg(used.size())));
    // Real shares: TV 31%, OVA 27%, Movie 19%, Special 14%, ONA 5%, Music 4%.
    const double n = static_cast<double>(anime_.size());
    const std::map<std::string, double> expected{{"TV", 0.31},      {"OVA", 0.27}, {"Movie", 0.19},
                                                 {"Special", 0.14}, {"ONA", 0.05}, {"Music", 0.04}};
    QCOMPARE(types.size(), expected.size());
    for (const auto& [type, share] : expected)
        QVERIFY2(
            std::abs(types[type] / n - share) < 0.05,
            qPrintable(
                QString("%1 share %2").arg(QString::fromStdString(type)).arg(types[type] / n)));
    const auto movies = std::count_if(anime_.begin(), anime_.end(), [](const AnimeRow& r) {
        return r.type == "Movie" && r.episodes == 1;
    });
    QVERIFY(movies > 0.9 * types["Movie"]);
}

void TestGenerator::catalogueStatisticsMatchInteractions() {
    std::vector<std::int64_t> members(anime_.size(), 0), scoreSum(anime_.size(), 0),
        scoreCount(anime_.size(), 0);
    for (const ListRow& row : rows_) {
        const std::size_t i = animeIndex_.at(row.anime);
        ++members[i];
        if (row.rating > 0) {
            scoreSum[i] += row.rating;
            ++scoreCount[i];
        }
    }
    for (std::size_t i = 0; i < anime_.size(); ++i) {
        QCOMPARE(anime_[i].members, members[i]);
        if (scoreCount[i] == 0) {
            QVERIFY(anime_[i].rating.empty());
            continue;
        }
        const double mean = double(scoreSum[i]) / double(scoreCount[i]);
        QVERIFY2(
            std::abs(std::stod(anime_[i].rating) - mean) <= 0.005 + 1e-9,
            qPrintable(QString::fromStdString(anime_[i].rating) + " vs " + QString::number(mean)));
    }
}

void TestGenerator::statusesAreConsistentWithEpisodes_data() {
    QTest::addColumn<QString>("status");
    QTest::addColumn<double>("minShare");
    QTest::addColumn<double>("maxShare");
    QTest::addRow("completed") << "Completed" << 0.55 << 0.85;
    QTest::addRow("watching") << "Watching" << 0.02 << 0.15;
    QTest::addRow("on-hold") << "On-Hold" << 0.01 << 0.10;
    QTest::addRow("dropped") << "Dropped" << 0.01 << 0.10;
    QTest::addRow("plan to watch") << "Plan to Watch" << 0.05 << 0.25;
}

void TestGenerator::statusesAreConsistentWithEpisodes() {
    QFETCH(QString, status);
    QFETCH(double, minShare);
    QFETCH(double, maxShare);
    const std::string name = status.toStdString();
    std::int64_t count = 0;
    for (const ListRow& row : rows_) {
        if (row.status != name) continue;
        ++count;
        const int episodes = anime_[animeIndex_.at(row.anime)].episodes;
        if (name == "Completed")
            QCOMPARE(row.watched, episodes);
        else if (name == "Plan to Watch") {
            QCOMPARE(row.watched, 0);
            QCOMPARE(row.rating, 0);
        } else {
            QVERIFY2(
                row.watched >= 0 && row.watched < episodes,
                qPrintable(
                    QString("%1 watched %2 of %3").arg(status).arg(row.watched).arg(episodes)));
        }
    }
    const double share = double(count) / double(rows_.size());
    QVERIFY2(share >= minShare && share <= maxShare, qPrintable(QString("share %1").arg(share)));
}

void TestGenerator::sequelsFollowCompletedPrequels() {
    // The franchise structure is hidden from the CSV; rebuild the same catalogue to read it.
    const generator::SyntheticCatalog catalog = generator::buildSyntheticCatalog(testConfig());
    std::unordered_map<std::int64_t, std::int64_t> prequelOf;
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        QCOMPARE(catalog.animeIds[i], anime_[i].id);
        QCOMPARE(catalog.titles[i], anime_[i].title);
        if (catalog.prequel[i] >= 0)
            prequelOf[catalog.animeIds[i]] = catalog.animeIds[std::size_t(catalog.prequel[i])];
    }
    QVERIFY(prequelOf.size() > catalog.size() / 10);
    std::int64_t sequelRows = 0;
    std::unordered_map<std::int64_t, std::string> statusSoFar;  // of the current user
    std::int64_t user = 0;
    for (const ListRow& row : rows_) {
        if (row.user != user) {
            statusSoFar.clear();
            user = row.user;
        }
        if (const auto it = prequelOf.find(row.anime); it != prequelOf.end()) {
            ++sequelRows;
            const auto before = statusSoFar.find(it->second);
            QVERIFY2(before != statusSoFar.end() && before->second == "Completed",
                     qPrintable(QString("user %1 has %2 before completing %3")
                                    .arg(row.user)
                                    .arg(row.anime)
                                    .arg(it->second)));
        }
        statusSoFar[row.anime] = row.status;
    }
    QVERIFY2(sequelRows > std::int64_t(rows_.size()) / 50,
             qPrintable(QString("%1 sequel rows").arg(sequelRows)));
}

void TestGenerator::activityAndRatingsLookReal() {
    std::map<std::int64_t, int> perUser;
    std::int64_t rated = 0;
    double scoreSum = 0;
    for (const ListRow& row : rows_) {
        ++perUser[row.user];
        if (row.rating > 0) {
            ++rated;
            scoreSum += row.rating;
        }
    }
    std::vector<int> counts;
    for (const auto& [user, count] : perUser) counts.push_back(count);
    std::sort(counts.begin(), counts.end());
    const int median = counts[counts.size() / 2];
    QVERIFY2(median >= 30 && median <= 80, qPrintable(QString("median %1").arg(median)));
    QVERIFY2(counts.back() >= 10 * median, "heavy users are missing");
    QVERIFY(counts.back() <= testConfig().anime);
    const double unrated = 1.0 - double(rated) / double(rows_.size());
    QVERIFY2(unrated > 0.15 && unrated < 0.25,
             qPrintable(QString("unrated share %1").arg(unrated)));
    const double mean = scoreSum / double(rated);
    QVERIFY2(mean > 7.3 && mean < 8.3,
             qPrintable(QString("mean score %1").arg(mean)));  // real: 7.8
}

void TestGenerator::heldOutItemsShareGenresWithHistory() {
    // Cosine between an item's genre set and the user's history genre counts, for the user's
    // last 20% of rows against uniformly random catalogue items.
    std::map<std::int64_t, std::vector<std::size_t>> lists;
    for (const ListRow& row : rows_) lists[row.user].push_back(animeIndex_.at(row.anime));
    std::mt19937_64 engine(3);
    double heldOut = 0, random = 0;
    int users = 0;
    for (const auto& [user, items] : lists) {
        if (items.size() < 10) continue;
        const std::size_t cut = items.size() * 8 / 10;
        std::map<std::string, double> profile;
        for (std::size_t k = 0; k < cut; ++k)
            for (const auto& genre : anime_[items[k]].genres) profile[genre] += 1.0;
        double norm = 0;
        for (const auto& [genre, count] : profile) norm += count * count;
        norm = std::sqrt(norm);
        auto cosine = [&](std::size_t item) {
            double dot = 0;
            for (const auto& genre : anime_[item].genres)
                if (const auto it = profile.find(genre); it != profile.end()) dot += it->second;
            return dot / norm / std::sqrt(double(anime_[item].genres.size()));
        };
        double held = 0, rnd = 0;
        for (std::size_t k = cut; k < items.size(); ++k) held += cosine(items[k]);
        for (int k = 0; k < 30; ++k)
            rnd += cosine(generator::uniformIndex(engine, std::uint32_t(anime_.size())));
        heldOut += held / double(items.size() - cut);
        random += rnd / 30.0;
        ++users;
    }
    QVERIFY(users > 300);
    const double ratio = heldOut / random;
    QVERIFY2(ratio > 1.5, qPrintable(QString("held-out / random genre cosine %1").arg(ratio)));
}

void TestGenerator::popularityIsLongTailed() {
    std::vector<std::int64_t> members;
    for (const AnimeRow& row : anime_) members.push_back(row.members);
    std::sort(members.rbegin(), members.rend());
    std::int64_t total = 0, top = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        total += members[i];
        if (i < members.size() / 10) top += members[i];
    }
    const double share = double(top) / double(total);
    QVERIFY2(share > 0.5, qPrintable(QString("top 10% share %1").arg(share)));
}

void TestGenerator::progressReportsAndCancels() {
    GeneratorConfig config = testConfig();
    config.users = 300;
    std::vector<Progress> reports;
    std::ostringstream anime, list;
    generateDataset(config, anime, list, [&](const Progress& p) {
        reports.push_back(p);
        return true;
    });
    QVERIFY(reports.size() >= 10 && reports.size() <= 110);
    QCOMPARE(reports.back().done, config.users);
    QCOMPARE(reports.back().total, config.users);
    QVERIFY(std::is_sorted(reports.begin(), reports.end(),
                           [](const Progress& a, const Progress& b) { return a.done < b.done; }));

    int calls = 0;
    std::ostringstream anime2, list2;
    QVERIFY_THROWS_EXCEPTION(
        OperationCancelled,
        generateDataset(config, anime2, list2, [&](const Progress&) { return ++calls < 5; }));
    QCOMPARE(calls, 5);
}

void TestGenerator::invalidConfigIsRejected_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("value");
    QTest::addRow("no users") << "users" << 0.0;
    QTest::addRow("tiny catalogue") << "anime" << 5.0;
    QTest::addRow("focus above 1") << "genreFocus" << 1.5;
    QTest::addRow("negative sigma") << "activitySigma" << -1.0;
    QTest::addRow("zero mean") << "meanInteractionsPerUser" << 0.0;
}

void TestGenerator::invalidConfigIsRejected() {
    QFETCH(QString, field);
    QFETCH(double, value);
    GeneratorConfig config = testConfig();
    if (field == "users")
        config.users = std::int64_t(value);
    else if (field == "anime")
        config.anime = std::int64_t(value);
    else if (field == "genreFocus")
        config.genreFocus = value;
    else if (field == "activitySigma")
        config.activitySigma = value;
    else
        config.meanInteractionsPerUser = value;
    std::ostringstream anime, list;
    try {
        generateDataset(config, anime, list);
        QFAIL("no exception");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains(field), error.what());
    }
    QVERIFY(list.str().empty());
}

void TestGenerator::aliasTableFollowsWeights() {
    const std::vector<double> weights{1.0, 0.0, 3.0, 6.0};
    const generator::AliasTable table(weights);
    std::mt19937_64 engine(11);
    std::vector<int> counts(weights.size(), 0);
    constexpr int kDraws = 200000;
    for (int i = 0; i < kDraws; ++i) ++counts[table(engine)];
    QCOMPARE(counts[1], 0);
    for (std::size_t i = 0; i < weights.size(); ++i)
        QVERIFY(std::abs(counts[i] / double(kDraws) - weights[i] / 10.0) < 0.01);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             generator::AliasTable(std::vector<double>{0.0, 0.0}));
}

void TestGenerator::tinyCatalogueRespectsTheCap() {
    GeneratorConfig config;
    config.users = 200;
    config.anime = 10;
    config.meanInteractionsPerUser = 1000;  // everyone wants more than the cap allows
    std::ostringstream anime, list;
    const GeneratorStats stats = generateDataset(config, anime, list);
    QCOMPARE(stats.users, config.users);
    std::map<std::int64_t, std::set<std::int64_t>> perUser;
    const auto rows = parseCsv(list.str());
    for (std::size_t i = 1; i < rows.size(); ++i)
        QVERIFY(perUser[std::stoll(rows[i][0])].insert(std::stoll(rows[i][1])).second);
    QCOMPARE(static_cast<std::int64_t>(perUser.size()), config.users);
    for (const auto& [user, items] : perUser)
        QVERIFY(!items.empty() && items.size() <= 5);  // half of 10
}

QTEST_APPLESS_MAIN(TestGenerator)
#include "test_generator.moc"

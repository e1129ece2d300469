#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "models/model_factory.h"
#include "models/model_io.h"
#include "simple_fixtures.h"

using namespace animerec;
using fixtures::anime;
using fixtures::makeEvent;

namespace {

Dataset smallDataset() {
    return fixtures::makeDataset(
        {anime(1, "Star One", {"Sci-Fi", "Space"}), anime(2, "Star Two", {"Sci-Fi"}, "Movie", 1),
         anime(3, "Love", {"Romance"}), anime(4, "Laugh", {"Comedy"}, "OVA", 3, std::nullopt)},
        {{1, 1, 9.0f}, {1, 3, 4.0f}, {2, 1, 8.0f}, {2, 2, 0.0f}, {3, 4, 6.0f}});
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The message of the std::runtime_error loadModelFile(path) throws ("" when it does not).
std::string loadError(const std::string& path) {
    try {
        loadModelFile(path);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return {};
}

// Header layout: 8 magic + 4 version + 4 name length + name + 8 size + 8 checksum.
std::size_t headerSize(const std::string& name) { return 8 + 4 + 4 + name.size() + 8 + 8; }

}  // namespace

class TestModelIo : public QObject {
    Q_OBJECT

private slots:
    void init();
    void roundTripGivesIdenticalScores_data();
    void roundTripGivesIdenticalScores();
    void damagedFilesAreNamed_data();
    void damagedFilesAreNamed();
    void missingFileIsNamed();
    void saveReplacesAtomically();
    void factoryKnowsSimpleFamilies();
    void factoryRejectsBadParameters_data();
    void factoryRejectsBadParameters();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::string path(const std::string& name) const {
        return dir_->filePath(QString::fromStdString(name)).toStdString();
    }
};

void TestModelIo::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
}

void TestModelIo::roundTripGivesIdenticalScores_data() {
    QTest::addColumn<QString>("model");
    QTest::addRow("popularity") << "popularity";
    QTest::addRow("content") << "content";
}

void TestModelIo::roundTripGivesIdenticalScores() {
    QFETCH(QString, model);
    const Dataset data = smallDataset();
    auto original = createRecommender(model.toStdString());
    original->fit(data);
    const std::string file = path("nested/dir/" + model.toStdString() + ".model");
    saveModelFile(file, *original);
    const auto loaded = loadModelFile(file);
    QCOMPARE(loaded->name(), original->name());
    const std::vector<Event> history{makeEvent(0, 9.0f), makeEvent(2, 3.0f)};
    std::vector<float> a(4), b(4);
    original->score({0, history}, a);
    loaded->score({0, history}, b);
    QCOMPARE(a, b);
}

void TestModelIo::damagedFilesAreNamed_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("reason");
    QTest::addRow("corrupt body byte") << "corrupt"
                                       << "checksum mismatch";
    QTest::addRow("truncated body") << "truncate"
                                    << "truncated";
    QTest::addRow("truncated header") << "header"
                                      << "truncated";
    QTest::addRow("wrong magic") << "magic"
                                 << "bad magic";
    QTest::addRow("future version") << "version"
                                    << "newer than this build supports";
    QTest::addRow("unknown model name") << "name"
                                        << "unknown model 'popularitx'";
    QTest::addRow("trailing garbage") << "append"
                                      << "unexpected bytes";
}

void TestModelIo::damagedFilesAreNamed() {
    QFETCH(QString, damage);
    QFETCH(QString, reason);
    const Dataset data = smallDataset();
    auto model = createRecommender("popularity");
    model->fit(data);
    const std::string file = path("damaged.model");
    saveModelFile(file, *model);
    std::string bytes = readAll(file);
    const std::size_t header = headerSize("popularity");
    QVERIFY(bytes.size() > header + 10);
    if (damage == "corrupt") bytes[header + 9] = static_cast<char>(bytes[header + 9] ^ 0x40);
    if (damage == "truncate") bytes.resize(bytes.size() - 7);
    if (damage == "header") bytes.resize(14);
    if (damage == "magic") bytes[0] = 'X';
    if (damage == "version") bytes[8] = 9;
    if (damage == "name") bytes[16 + 9] = 'x';  // "popularity" -> "popularitx"
    if (damage == "append") bytes += "junk";
    writeAll(file, bytes);
    const std::string message = loadError(file);
    QVERIFY2(message.rfind(file + ": ", 0) == 0, message.c_str());
    QVERIFY2(message.find(reason.toStdString()) != std::string::npos, message.c_str());
}

void TestModelIo::missingFileIsNamed() {
    const std::string file = path("absent.model");
    const std::string message = loadError(file);
    QVERIFY2(message.rfind(file + ": ", 0) == 0, message.c_str());
}

void TestModelIo::saveReplacesAtomically() {
    const Dataset data = smallDataset();
    const std::string file = path("model.model");
    auto first = createRecommender("popularity", {{"mode", 1}});
    first->fit(data);
    saveModelFile(file, *first);
    auto second = createRecommender("content");
    second->fit(data);
    saveModelFile(file, *second);
    QCOMPARE(loadModelFile(file)->name(), std::string("content"));
    // No temporary files are left behind.
    int entries = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(dir_->path().toStdString()))
        ++entries;
    QCOMPARE(entries, 1);
    // An unwritable target fails with the path named and leaves the old file alone.
    const std::string blocked = path("model.model/inside.model");
    try {
        saveModelFile(blocked, *first);
        QFAIL("expected std::runtime_error");
    } catch (const std::runtime_error& error) {
        QVERIFY2(std::string(error.what()).rfind(blocked + ": ", 0) == 0, error.what());
    }
    QCOMPARE(loadModelFile(file)->name(), std::string("content"));
}

void TestModelIo::factoryKnowsSimpleFamilies() {
    const auto names = knownModelNames();
    QVERIFY(names.size() >= 2);
    QCOMPARE(names[0], std::string("popularity"));
    QCOMPARE(names[1], std::string("content"));
    for (const auto& name : names) QCOMPARE(createRecommender(name)->name(), name);
    QCOMPARE(std::set<std::string>(names.begin(), names.end()).size(), names.size());
    // Help texts list each family on one line of an 80-column terminal: two spaces, the longest
    // name padded by two, then the description.
    std::size_t longest = 0;
    for (const auto& name : names) longest = std::max(longest, name.size());
    for (const ModelFamily& family : modelFamilies()) {
        QVERIFY2(!family.description.empty(), family.name.c_str());
        QVERIFY2(2 + longest + 2 + family.description.size() <= 80 &&
                     family.description.find('\n') == std::string::npos,
                 family.description.c_str());
    }
}

void TestModelIo::factoryRejectsBadParameters_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("reason");
    QTest::addRow("unknown family") << "popularityy"
                                    << "" << 0.0 << "unknown model";
    QTest::addRow("unknown parameter") << "popularity"
                                       << "factors" << 8.0 << "unknown parameter 'factors'";
    QTest::addRow("mode out of range") << "popularity"
                                       << "mode" << 3.0 << "outside";
    QTest::addRow("mode not an integer") << "popularity"
                                         << "mode" << 1.5 << "integer";
    QTest::addRow("negative weight") << "content"
                                     << "genre_weight" << -1.0 << "outside";
    QTest::addRow("typo in content parameter") << "content"
                                               << "members_wieght" << 1.0 << "members_wieght";
}

void TestModelIo::factoryRejectsBadParameters() {
    QFETCH(QString, model);
    QFETCH(QString, parameter);
    QFETCH(double, value);
    QFETCH(QString, reason);
    ModelParameters parameters;
    if (!parameter.isEmpty()) parameters[parameter.toStdString()] = value;
    try {
        createRecommender(model.toStdString(), parameters);
        QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(std::string(error.what()).find(reason.toStdString()) != std::string::npos,
                 error.what());
    }
}

QTEST_APPLESS_MAIN(TestModelIo)
#include "test_model_io.moc"

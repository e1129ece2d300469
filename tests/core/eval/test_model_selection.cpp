#include <QtTest>
#include <set>
#include <stdexcept>

#include "../models/planted_blocks.h"
#include "eval/model_selection.h"
#include "eval/search_spaces.h"
#include "eval/split.h"
#include "models/model_factory.h"
#include "models/model_families.h"

using namespace animerec;
using namespace animerec::testing;

class TestModelSelection : public QObject {
    Q_OBJECT

private slots:
    // Every default space builds valid models and names only known parameters.
    void defaultSpacesBuildModels_data() {
        QTest::addColumn<QString>("family");
        for (const auto& name : knownModelNames())
            QTest::addRow("%s", name.c_str()) << QString::fromStdString(name);
    }
    void defaultSpacesBuildModels() {
        QFETCH(QString, family);
        std::string skipped;
        const auto space = defaultSearchSpace(family.toStdString(), 42, &skipped);
        if (!space) {
            // Only a family whose row says why it has no default search skips it, with that reason.
            QVERIFY(!modelFamily(family.toStdString()).search.untuned.empty());
            QVERIFY(skipped.find(modelFamily(family.toStdString()).search.untuned) !=
                    std::string::npos);
            return;
        }
        const auto candidates = searchCandidates(*space);
        QVERIFY(candidates.size() >= 3);
        for (const auto& parameters : candidates)
            QVERIFY(createRecommender(space->model, parameters) != nullptr);
        QCOMPARE(space->minimize, family == "mf");
    }

    void unknownFamilyIsRejected() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, defaultSearchSpace("svd++"));
    }

    // The validation split holds out only events of the data it was given, per user.
    void validationSplitComesFromTrainOnly() {
        const auto planted = plantedBlocks();
        const Interactions& train = planted.train.interactions;
        const Split validation = validationSplit(train, 3);
        QCOMPARE(validation.train.userCount(), train.userCount());
        QCOMPARE(validation.train.size() + validation.testItemCount(), train.size());
        QVERIFY(validation.testUserCount() > 0);
        for (int user = 0; user < train.userCount(); ++user) {
            std::set<int> items;
            for (const auto& event : train.historyOf(user)) items.insert(event.item);
            for (int item : validation.test[std::size_t(user)].items) QVERIFY(items.count(item));
        }
        QCOMPARE(validation.protocol.front().second, std::string("validation"));
    }

    // Popularity cannot see the planted blocks; ALS can, so the choice must be ALS.
    void choosesTheBetterFamily() {
        const auto planted = plantedBlocks();
        ModelChoiceOptions options;
        options.families = {"popularity", "als"};
        options.catalogMode = CatalogMode::All;
        int reports = 0;
        const ModelChoice choice = chooseModel(planted.train, options, [&](const Progress&) {
            ++reports;
            return true;
        });
        QCOMPARE(int(choice.candidates.size()), 2);
        QCOMPARE(choice.best().family, std::string("als"));
        QVERIFY(choice.candidates[1].score > choice.candidates[0].score + 0.05);
        QCOMPARE(choice.best().score, choice.best().validation.metrics.at("ndcg@10"));
        QVERIFY(reports > 0);
    }

    void cancellingStopsTheChoice() {
        const auto planted = plantedBlocks();
        ModelChoiceOptions options;
        options.families = {"als"};
        QVERIFY_THROWS_EXCEPTION(
            OperationCancelled,
            chooseModel(planted.train, options, [](const Progress&) { return false; }));
    }
};

QTEST_APPLESS_MAIN(TestModelSelection)
#include "test_model_selection.moc"

#include <QtTest>
#include <cmath>
#include <vector>

#include "models/recommender.h"
#include "models/unknown_items.h"

using namespace animerec;

class TestUnknownItems : public QObject {
    Q_OBJECT
private slots:
    // Items past the fitted catalogue get the lowest known score minus 1; known ones stay.
    void itemsBeyondTheCatalogueScoreBelowTheLowest() {
        std::vector<float> scores{0.5f, -2.0f, 3.0f, 99.0f, std::nanf("")};
        scoreUnknownItemsLast(scores, 3);
        QCOMPARE(scores, (std::vector<float>{0.5f, -2.0f, 3.0f, -3.0f, -3.0f}));
        const int exclude[] = {0};
        const auto ranked = topK(scores, 5, exclude);
        QCOMPARE(ranked.back().item, 4);
        QCOMPARE(ranked[ranked.size() - 3].item, 1);  // the lowest known item before any unknown
    }

    void aFullyKnownCatalogueIsLeftAlone() {
        std::vector<float> scores{0.5f, -2.0f};
        scoreUnknownItemsLast(scores, 2);
        QCOMPARE(scores, (std::vector<float>{0.5f, -2.0f}));
        scoreUnknownItemsLast(scores, 7);  // a catalogue shorter than the fitted one
        QCOMPARE(scores, (std::vector<float>{0.5f, -2.0f}));
    }

    void nothingKnownScoresZero() {
        std::vector<float> scores{4.0f, std::nanf("")};
        scoreUnknownItemsLast(scores, 0);
        QCOMPARE(scores, (std::vector<float>{0.0f, 0.0f}));
        std::vector<float> masked{4.0f, 5.0f};
        scoreUnknownItemsLast(masked, [](std::size_t) { return false; });
        QCOMPARE(masked, (std::vector<float>{0.0f, 0.0f}));
    }

    // Known items scattered through the catalogue (a modelled subset, rated items only).
    void scatteredKnownItemsSetTheFloor() {
        std::vector<float> scores{7.0f, 1.5f, 8.0f, 2.5f, -4.0f};
        const std::vector<bool> known{false, true, false, true, false};
        scoreUnknownItemsLast(scores, [&](std::size_t i) { return known[i]; });
        QCOMPARE(scores, (std::vector<float>{0.5f, 1.5f, 0.5f, 2.5f, 0.5f}));
    }
};

QTEST_APPLESS_MAIN(TestUnknownItems)
#include "test_unknown_items.moc"

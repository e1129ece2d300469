#include <QtTest>

#include "data/catalog.h"
#include "data/interactions.h"

using namespace animerec;

class TestInteractions : public QObject {
    Q_OBJECT
private slots:
    void buildsRowsSortedByUserAndOrder() {
        Interactions::Builder builder(3);
        builder.add(20, Event{.item = 2, .order = 7});
        builder.add(10, Event{.item = 1, .order = 5});
        builder.add(20, Event{.item = 0, .order = 3});
        builder.add(10, Event{.item = 0, .order = 9});
        const Interactions interactions = std::move(builder).build();
        QCOMPARE(interactions.userCount(), 2);
        QCOMPARE(interactions.size(), 4);
        QCOMPARE(interactions.userIdAt(0), 10);
        QCOMPARE(interactions.userIndexOf(20), 1);
        QCOMPARE(interactions.userIndexOf(15), -1);
        const auto second = interactions.historyOf(1);
        QCOMPARE(second.size(), std::size_t(2));
        QCOMPARE(second[0].item, 0);  // order 3 before order 7
        QCOMPARE(second[1].item, 2);
        QCOMPARE(interactions.itemCounts(), (std::vector<int>{2, 1, 1}));
    }

    void equalOrderKeepsInsertionOrder() {
        Interactions::Builder builder(3);
        builder.add(1, Event{.item = 2, .order = 1});
        builder.add(1, Event{.item = 0, .order = 1});
        builder.add(1, Event{.item = 1, .order = 1});
        const Interactions interactions = std::move(builder).build();
        const auto history = interactions.historyOf(0);
        QCOMPARE(history[0].item, 2);
        QCOMPARE(history[1].item, 0);
        QCOMPARE(history[2].item, 1);
    }

    void usersWithoutEventsGetAnIndex() {
        Interactions::Builder builder(1);
        builder.addUser(5);
        builder.add(3, Event{.item = 0});
        const Interactions interactions = std::move(builder).build();
        QCOMPARE(interactions.userCount(), 2);
        QCOMPARE(interactions.historyOf(interactions.userIndexOf(5)).size(), std::size_t(0));
    }

    void rejectsItemsOutsideTheCatalogue() {
        Interactions::Builder builder(2);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, builder.add(1, Event{.item = 2}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, builder.add(1, Event{.item = -1}));
    }

    void catalogIndexesIdsAndGenres() {
        Catalog catalog;
        AnimeRecord bebop;
        bebop.animeId = 1;
        bebop.title = "Cowboy Bebop";
        bebop.genres = {"Action", "Sci-Fi"};
        AnimeRecord movie;
        movie.animeId = 5;
        movie.genres = {"Sci-Fi", "Space"};
        QCOMPARE(catalog.add(bebop), 0);
        QCOMPARE(catalog.add(movie), 1);
        QCOMPARE(catalog.indexOf(5).value(), 1);
        QVERIFY(!catalog.indexOf(2).has_value());
        QCOMPARE(catalog.genreNames().size(), std::size_t(3));
        QCOMPARE(catalog.genreIdsOf(1).front(), catalog.genreIdOf("Sci-Fi").value());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, catalog.add(bebop));
    }

    void genresRoundTrip() {
        QCOMPARE(splitGenres(" Action,  Sci-Fi ,,Space"),
                 (std::vector<std::string>{"Action", "Sci-Fi", "Space"}));
        QCOMPARE(joinGenres({"Action", "Sci-Fi"}), std::string("Action, Sci-Fi"));
        QVERIFY(splitGenres("").empty());
    }
};

QTEST_APPLESS_MAIN(TestInteractions)
#include "test_interactions.moc"

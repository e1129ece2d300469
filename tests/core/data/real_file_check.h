#pragma once

// One check shared by the sample and real-data CSV suites: a rating file read against its
// catalogue gives the row, user and unrated counts SOURCES.md states, with no reject.
#include <QtTest>
#include <cstdint>
#include <string>

#include "data/csv_dataset.h"

namespace animerec::testing {

inline void checkRatingsFile(const std::string& animePath, const std::string& interactionsPath,
                             std::int64_t rows, int users, std::int64_t unrated) {
    const CsvDataset data = loadCsvFiles(animePath, {interactionsPath});
    QCOMPARE(data.rejects.size(), std::size_t{0});
    QCOMPARE(data.interactions.size(), std::size_t{1});
    const Interactions& matrix = data.interactions.front();
    QCOMPARE(matrix.size(), rows);
    QCOMPARE(matrix.userCount(), users);
    std::int64_t zero = 0;
    for (int u = 0; u < matrix.userCount(); ++u)
        for (const Event& event : matrix.historyOf(u)) zero += event.rating == 0.0f;
    QCOMPARE(zero, unrated);
}

}  // namespace animerec::testing

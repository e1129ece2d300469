#pragma once

#include <span>
#include <vector>

namespace animerec {

// A 2-D picture of a model's item vectors (ALS factors, content features): the first two
// principal components of the centred vectors, so titles the model treats alike land close
// together. Items whose vector is all zero (never seen in training) are left out.
struct ItemMap {
    std::vector<int> items;     // the items drawn (row indices), ascending
    std::vector<float> x, y;    // their coordinates, parallel to `items`
    double explainedShare = 0;  // share of the total variance the two axes keep
};

// `vectors` is row-major, rows x cols. Throws std::invalid_argument when the sizes disagree.
ItemMap projectItems(std::span<const float> vectors, int rows, int cols);

}  // namespace animerec

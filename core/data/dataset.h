#pragma once

#include "data/catalog.h"
#include "data/interactions.h"

namespace animerec {

// What models are trained on: the catalogue and the interactions over its item indices.
struct Dataset {
    Catalog catalog;
    Interactions interactions;
};

}  // namespace animerec

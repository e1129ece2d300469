// Layering probe that must build: experiments sees service, storage and core (it links them).
#include "data/dataset.h"
#include "experiments/experiment.h"
#include "service/recommend_service.h"
#include "storage/database.h"

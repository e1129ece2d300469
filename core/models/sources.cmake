list(APPEND ANIMEREC_CORE_SOURCES
  models/top_k.cpp
  models/popularity.cpp
  models/content_based.cpp
  models/cold_start.cpp
  models/model_io.cpp
  models/model_factory.cpp
  models/confidence.cpp
  models/als_solver.cpp
  models/als.cpp
  models/explanations.cpp
  models/ease.cpp
  models/explicit_mf.cpp
  models/sequence_data.cpp
  models/sasrec_network.cpp
  models/sasrec.cpp
  models/gru4rec.cpp
)

list(APPEND ANIMEREC_CORE_SOURCES
  data/anime_record.cpp
  data/interaction_record.cpp
  data/catalog.cpp
  data/interactions.cpp
)

list(APPEND ANIMEREC_CORE_SOURCES
  models/top_k.cpp
)

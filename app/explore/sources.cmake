list(APPEND ANIMEREC_APP_SOURCES
  explore/explorer.cpp
)

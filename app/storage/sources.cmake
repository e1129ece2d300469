list(APPEND ANIMEREC_APP_SOURCES
  storage/database.cpp
  storage/evaluation_store.cpp
  storage/importer.cpp
  storage/dataset_loader.cpp
)

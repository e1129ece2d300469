list(APPEND ANIMEREC_APP_SOURCES
  storage/database.cpp
  storage/database_location.cpp
  storage/sql_dialect.cpp
  storage/evaluation_store.cpp
  storage/importer.cpp
  storage/sqlite_dataset_writer.cpp
  storage/postgres_dataset_writer.cpp
  storage/postgres_copy.cpp
  storage/dataset_loader.cpp
  storage/model_store.cpp
  storage/request_metrics_store.cpp
  storage/quality_store.cpp
)

list(APPEND ANIMEREC_CORE_SOURCES
  data/anime_record.cpp
  data/interaction_record.cpp
  data/catalog.cpp
  data/interactions.cpp
  data/csv_reader.cpp
  data/html_entities.cpp
  data/csv_layouts.cpp
  data/anime_csv_reader.cpp
  data/interaction_csv_reader.cpp
  data/csv_dataset.cpp
  data/item_features.cpp
  data/generator_config.cpp
  data/generator_random.cpp
  data/generator_titles.cpp
  data/generator_catalog.cpp
  data/generator.cpp
)

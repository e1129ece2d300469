# tests for core/models
animerec_add_test(test_top_k SOURCES models/test_top_k.cpp LIBS animerec_core)
animerec_add_test(test_norm_ordered_items SOURCES models/test_norm_ordered_items.cpp LIBS animerec_core)
animerec_add_test(test_unknown_items SOURCES models/test_unknown_items.cpp LIBS animerec_core)
animerec_add_test(test_als SOURCES models/test_als.cpp models/planted_blocks.h LIBS animerec_core)
animerec_add_test(test_ease SOURCES models/test_ease.cpp models/planted_blocks.h LIBS animerec_core)
animerec_add_test(test_rp3beta SOURCES models/test_rp3beta.cpp models/planted_blocks.h LIBS animerec_core)
animerec_add_test(test_explicit_mf SOURCES models/test_explicit_mf.cpp models/planted_blocks.h LIBS animerec_core)
animerec_add_test(test_sasrec SOURCES models/test_sasrec.cpp models/test_sasrec_fixtures.h LIBS animerec_core)
animerec_add_test(test_gru4rec SOURCES models/test_gru4rec.cpp models/test_sasrec_fixtures.h LIBS animerec_core)
animerec_add_test(test_popularity SOURCES models/test_popularity.cpp models/simple_fixtures.h LIBS animerec_core animerec_real_data)
animerec_add_test(test_content_based SOURCES models/test_content_based.cpp models/simple_fixtures.h LIBS animerec_core animerec_real_data)
animerec_add_test(test_cold_start SOURCES models/test_cold_start.cpp models/simple_fixtures.h LIBS animerec_core animerec_real_data)
animerec_add_test(test_model_io SOURCES models/test_model_io.cpp models/simple_fixtures.h LIBS animerec_core animerec_real_data)
animerec_add_test(test_sequence_trainer SOURCES models/test_sequence_trainer.cpp models/test_sasrec_fixtures.h LIBS animerec_core)
animerec_add_test(test_sasrec_quality SOURCES models/test_sasrec_quality.cpp LIBS animerec_core animerec_real_data)
animerec_add_test(test_collaborative_quality SOURCES models/test_collaborative_quality.cpp LIBS animerec_core animerec_real_data)
animerec_add_test(test_blend_quality SOURCES models/test_blend_quality.cpp LIBS animerec_core animerec_real_data)
animerec_add_test(test_item_map SOURCES models/test_item_map.cpp LIBS animerec_core)
# the real-data group: session models on P3 (2022 update scrape), against the Markov chain
animerec_add_real_data_test(test_sasrec_real_quality SOURCES models/test_sasrec_real_quality.cpp
  ../common/real_data_group.h LIBS animerec_core animerec_real_data)
target_include_directories(test_sasrec_real_quality PRIVATE ${PROJECT_SOURCE_DIR}/tests/common
  ${PROJECT_SOURCE_DIR}/bench)

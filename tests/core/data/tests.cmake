# tests for core/data
animerec_add_test(test_interactions SOURCES data/test_interactions.cpp LIBS animerec_core)
animerec_add_test(test_csv_reader SOURCES data/test_csv_reader.cpp LIBS animerec_core)
animerec_add_test(test_csv_layouts SOURCES data/test_csv_layouts.cpp data/real_file_check.h LIBS animerec_core)
animerec_add_test(test_generator SOURCES data/test_generator.cpp LIBS animerec_core)
# the real-data group: layouts not shipped in data/sample
animerec_add_real_data_test(test_csv_real_layouts SOURCES data/test_csv_real_layouts.cpp
  data/real_file_check.h ../common/real_data_group.h LIBS animerec_core)
target_include_directories(test_csv_real_layouts PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)

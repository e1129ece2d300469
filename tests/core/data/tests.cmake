# tests for core/data
animerec_add_test(test_interactions SOURCES data/test_interactions.cpp LIBS animerec_core)
animerec_add_test(test_csv_reader SOURCES data/test_csv_reader.cpp LIBS animerec_core)
animerec_add_test(test_csv_layouts SOURCES data/test_csv_layouts.cpp LIBS animerec_core)
animerec_add_test(test_generator SOURCES data/test_generator.cpp LIBS animerec_core)

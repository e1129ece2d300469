# tests for core/eval
animerec_add_test(test_eval_metrics SOURCES eval/test_eval_metrics.cpp LIBS animerec_core)
animerec_add_test(test_eval_split SOURCES eval/test_eval_split.cpp LIBS animerec_core)
animerec_add_test(test_evaluator SOURCES eval/test_evaluator.cpp LIBS animerec_core)
animerec_add_test(test_hyperparameter_search SOURCES eval/test_hyperparameter_search.cpp LIBS animerec_core)
animerec_add_test(test_ab_statistics SOURCES eval/test_ab_statistics.cpp LIBS animerec_core)
animerec_add_test(test_model_selection SOURCES eval/test_model_selection.cpp LIBS animerec_core)
animerec_add_test(test_time_order SOURCES eval/test_time_order.cpp LIBS animerec_core)
# the real-data group: P3 on the 2022 update scrape and the 2018 lists
animerec_add_real_data_test(test_time_order_real SOURCES eval/test_time_order_real.cpp
  ../common/real_data_group.h LIBS animerec_core animerec_real_data)
target_include_directories(test_time_order_real PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)
animerec_add_test(test_quality_counts SOURCES eval/test_quality_counts.cpp LIBS animerec_core)

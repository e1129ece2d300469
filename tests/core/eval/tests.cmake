# tests for core/eval
animerec_add_test(test_eval_metrics SOURCES eval/test_eval_metrics.cpp LIBS animerec_core)
animerec_add_test(test_eval_split SOURCES eval/test_eval_split.cpp LIBS animerec_core)
animerec_add_test(test_evaluator SOURCES eval/test_evaluator.cpp LIBS animerec_core)
animerec_add_test(test_hyperparameter_search SOURCES eval/test_hyperparameter_search.cpp LIBS animerec_core)
animerec_add_test(test_ab_statistics SOURCES eval/test_ab_statistics.cpp LIBS animerec_core)
animerec_add_test(test_model_selection SOURCES eval/test_model_selection.cpp LIBS animerec_core)
